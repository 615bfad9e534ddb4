// The one place wxconf's bytes leave the process: standard output, standard error and the files it writes
// (saved plans, imported files, previews). Each passes through redact(), so no output can forget it.
import { writeFileSync, writeSync } from "node:fs";
import { redact } from "./secrets.js";

/**
 * Writes straight to the descriptor: Node's stdio streams cost a tenth of a short command's start to make,
 * and a synchronous write is never lost at exit. A descriptor that would block (EAGAIN) hands the rest to
 * the stream, and every later write too, in order; a reader that went away (EPIPE, `| head`) ends output.
 * `write` is fs.writeSync but in tests.
 */
export function descriptorWriter(
  fd: number,
  stream: () => NodeJS.WritableStream,
  write: (fd: number, bytes: Uint8Array, offset: number) => number = writeSync,
): (text: string) => void {
  let streaming = false;
  let closed = false;
  return (text) => {
    if (closed) return;
    if (streaming) {
      stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, "utf8");
    let written = 0;
    try {
      while (written < bytes.length) written += write(fd, bytes, written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") closed = true;
      else if (code === "EAGAIN") {
        streaming = true;
        // The stream reports a reader that went away as an event: the same quiet end.
        stream().on("error", () => {
          closed = true;
        });
        stream().write(bytes.subarray(written));
      } else throw error;
    }
  };
}

const stdout = descriptorWriter(1, () => process.stdout);
const stderr = descriptorWriter(2, () => process.stderr);

export function writeStdout(text: string): void {
  stdout(redact(text));
}

export function writeStderr(text: string): void {
  stderr(redact(text));
}

export function writeOutputFile(path: string, text: string): void {
  writeFileSync(path, redact(text));
}

/** A file of bytes from the account (an imported image): not text wxconf wrote, so nothing to redact. */
export function writeOutputBytes(path: string, bytes: Uint8Array): void {
  writeFileSync(path, bytes);
}
