import { loadConfig } from "../config/load.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import type { Console } from "./console.js";

export interface ValidateOptions {
  config: string;
}

/** Offline: reads and checks the file, makes no network call. */
export function runValidate(options: ValidateOptions, out: Console): ExitCode {
  loadConfig(options.config);
  out.info(`${options.config} is valid`);
  return EXIT.ok;
}
