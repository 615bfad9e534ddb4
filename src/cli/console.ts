import { writeStderr, writeStdout } from "../sink.js";

/** Where a command writes: results to stdout, everything else (progress, warnings, errors) to stderr. */
export interface Console {
  /** A line of the command's result (stdout). */
  info(text: string): void;
  /** Progress, warnings and errors (stderr). */
  error(text: string): void;
  /** Raw text on stderr without a newline (a spinner's frame). */
  progress(text: string): void;
  /** Whether to colour stdout / stderr: only on a TTY, never with NO_COLOR or --no-color. */
  colorOut: boolean;
  colorErr: boolean;
  /** Whether a person is at the terminal (prompts, spinners). */
  interactive: boolean;
}

export function processConsole(options: { color?: boolean } = {}): Console {
  const allowed = options.color !== false && !process.env.NO_COLOR && process.env.TERM !== "dumb";
  return {
    info: (text) => writeStdout(`${text}\n`),
    error: (text) => writeStderr(`${text}\n`),
    progress: writeStderr,
    colorOut: allowed && process.stdout.isTTY === true,
    colorErr: allowed && process.stderr.isTTY === true,
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
  };
}
