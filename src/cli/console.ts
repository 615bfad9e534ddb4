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
  // NO_COLOR and --no-color turn colours off; FORCE_COLOR (not 0) turns them on without a terminal (CI logs).
  const force = process.env.FORCE_COLOR !== undefined && !["0", "false"].includes(process.env.FORCE_COLOR);
  const allowed = options.color !== false && !process.env.NO_COLOR && process.env.TERM !== "dumb" && !["0", "false"].includes(process.env.FORCE_COLOR ?? "");
  return {
    info: (text) => writeStdout(`${text}\n`),
    error: (text) => writeStderr(`${text}\n`),
    progress: writeStderr,
    // Asked when needed: Node makes a stdio stream on first use, and only apply ever needs stdin's.
    get colorOut() {
      return allowed && (force || process.stdout.isTTY === true);
    },
    get colorErr() {
      return allowed && (force || process.stderr.isTTY === true);
    },
    get interactive() {
      return process.stdin.isTTY === true && process.stderr.isTTY === true;
    },
  };
}
