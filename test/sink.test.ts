// Output goes straight to the descriptor; when it would block, the rest and everything after go through
// the stream, in order; when the reader is gone, output ends without an error.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { descriptorWriter } from "../src/sink.js";

const errno = (code: string) => Object.assign(new Error(code), { code });

describe("descriptorWriter", () => {
  it("hands the rest to the stream on EAGAIN, and every later write, in order", () => {
    const direct: Buffer[] = [];
    let calls = 0;
    // The descriptor takes 5 bytes, then 3, then would block.
    const write = (_fd: number, bytes: Uint8Array, offset: number) => {
      calls++;
      if (calls > 2) throw errno("EAGAIN");
      const taken = Buffer.from(bytes.subarray(offset, offset + (calls === 1 ? 5 : 3)));
      direct.push(taken);
      return taken.length;
    };
    const stream = new PassThrough();
    const streamed: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => streamed.push(chunk));
    const out = descriptorWriter(1, () => stream, write);
    out("hello, 世界\n");
    out("second line\n");
    expect(calls).toBe(3);
    expect(Buffer.concat([...direct, ...streamed]).toString("utf8")).toBe("hello, 世界\nsecond line\n");
    // Cut inside 世: the stream carries the rest of its bytes.
    expect(Buffer.concat(direct)).toEqual(Buffer.from("hello, 世", "utf8").subarray(0, 8));
  });

  it("ends output quietly on EPIPE, and throws any other error", () => {
    let calls = 0;
    const out = descriptorWriter(
      1,
      () => new PassThrough(),
      () => {
        calls++;
        throw errno("EPIPE");
      },
    );
    out("a");
    out("b");
    expect(calls).toBe(1);
    const broken = descriptorWriter(
      1,
      () => new PassThrough(),
      () => {
        throw errno("EBADF");
      },
    );
    expect(() => broken("a")).toThrow("EBADF");
  });
});
