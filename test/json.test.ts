// The streaming digest must hash exactly the bytes canonicalJson writes: saved plans compare checksums.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalSha256 } from "../src/json.js";

const oracle = (value: unknown) => createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");

describe("canonicalSha256", () => {
  it("is sha256 of canonicalJson for any JSON value, non-ASCII and long texts included", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(canonicalSha256(value)).toBe(oracle(value));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("leaves undefined and functions out of objects, writes null for them in lists, and calls toJSON", () => {
    const value = { b: [1, undefined, () => 1, Number.NaN], a: undefined, c: new Date(0), d: { toJSON: () => ({ z: 1, y: [2] }) }, 键: "值" };
    expect(canonicalSha256(value)).toBe(oracle(value));
  });

  it("hashes texts longer than one piece (64 KiB) the same", () => {
    const members = Array.from({ length: 20_000 }, (_, index) => `oMember${index}_会员`);
    expect(canonicalSha256({ tags: [{ name: "big", members }] })).toBe(oracle({ tags: [{ name: "big", members }] }));
  });
});
