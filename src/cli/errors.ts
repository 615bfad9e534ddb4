import { ConfigError, formatIssue } from "../config/issues.js";
import { redact } from "../wechat/secrets.js";

/** How an error reads for a person on stderr; never with a token or secret in it. */
export function describeError(error: unknown, color: boolean): string {
  return redact(describe(error, color));
}

function describe(error: unknown, _color: boolean): string {
  if (error instanceof ConfigError) {
    const count = error.issues.length;
    return [...error.issues.map(formatIssue), `${count} problem${count === 1 ? "" : "s"} found.`].join("\n");
  }
  const message = error instanceof Error ? error.message : String(error);
  const debug = process.env.WXCONF_DEBUG && error instanceof Error && error.stack ? `\n${error.stack}` : "";
  return `Error: ${message}${debug}`;
}
