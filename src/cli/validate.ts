import { ConfigError, type ConfigIssue, formatWarning } from "../config/issues.js";
import { annotation } from "../render/github.js";
import { loadConfig } from "../resources/load.js";
import type { Console } from "./console.js";
import { describeError } from "./errors.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

export interface ValidateOptions {
  config: string;
  format?: "text" | "json" | "github";
}

/** Offline: reads and checks the file, makes no network call. */
export function runValidate(options: ValidateOptions, out: Console): ExitCode {
  let errors: ConfigIssue[] = [];
  let warnings: ConfigIssue[] = [];
  try {
    warnings = loadConfig(options.config).warnings;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Every problem at once: the warnings too (after the errors), not only once the errors are fixed.
    if ((options.format ?? "text") === "text") {
      out.error(describeError(error, out.colorErr));
      for (const warning of error.warnings) out.error(formatWarning(warning));
      return EXIT.error;
    }
    errors = error.issues;
    warnings = error.warnings;
  }
  const format = options.format ?? "text";
  if (format === "json") {
    const problems = [...errors.map((issue) => ({ ...issue, severity: "error" })), ...warnings.map((issue) => ({ ...issue, severity: "warning" }))];
    out.info(JSON.stringify({ format_version: "1.0", file: options.config, valid: errors.length === 0, problems }, null, 2));
  } else if (format === "github") {
    for (const issue of errors) out.info(annotation("error", issue));
    for (const issue of warnings) out.info(annotation("warning", issue));
    out.error(errors.length ? `${errors.length} problem(s) found in ${options.config}` : `${options.config} is valid`);
  } else {
    for (const warning of warnings) out.error(formatWarning(warning));
    out.info(`${options.config} is valid${warnings.length ? ` (${warnings.length} warning${warnings.length === 1 ? "" : "s"})` : ""}`);
  }
  return errors.length > 0 ? EXIT.error : EXIT.ok;
}
