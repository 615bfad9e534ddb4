// The one place wxconf's bytes leave the process: standard output, standard error and the files it writes
// (saved plans, imported files, previews). Each passes through redact(), so no output can forget it.
import { writeFileSync } from "node:fs";
import { redact } from "./secrets.js";

export function writeStdout(text: string): void {
  process.stdout.write(redact(text));
}

export function writeStderr(text: string): void {
  process.stderr.write(redact(text));
}

export function writeOutputFile(path: string, text: string): void {
  writeFileSync(path, redact(text));
}
