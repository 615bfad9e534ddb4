import { formatWarning } from "../config/issues.js";
import { loadConfig } from "../resources/load.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import type { Console } from "./console.js";

export interface ValidateOptions {
  config: string;
}

/** Offline: reads and checks the file, makes no network call. */
export function runValidate(options: ValidateOptions, out: Console): ExitCode {
  const { warnings } = loadConfig(options.config);
  for (const warning of warnings) out.error(formatWarning(warning));
  out.info(`${options.config} is valid${warnings.length ? ` (${warnings.length} warning${warnings.length === 1 ? "" : "s"})` : ""}`);
  return EXIT.ok;
}
