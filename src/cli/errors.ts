import { ConfigError, formatIssue } from "../config/issues.js";
import { PlanError } from "../resources/kind.js";
import { ClientConfigError, CredentialsError, NetworkError, WeChatError, WriteOutcomeUnknownError } from "../wechat/errors.js";
import { redact } from "../wechat/secrets.js";
import { styler } from "../render/style.js";

/** How an error reads for a person on stderr; never with a token or secret in it. */
export function describeError(error: unknown, color: boolean): string {
  return redact(describe(error, color));
}

function describe(error: unknown, color: boolean): string {
  const paint = styler(color);
  const label = paint("red", "Error:");
  if (error instanceof ConfigError) {
    const count = error.issues.length;
    return [...error.issues.map(formatIssue), `${count} problem${count === 1 ? "" : "s"} found.`].join("\n");
  }
  if (error instanceof WeChatError) {
    return [
      `${label} WeChat refused ${error.api}: errcode ${error.errcode}, "${error.errmsg || "(no message)"}"`,
      ...(error.meaning ? [`  Meaning: ${error.meaning}`] : []),
      ...(error.hint ? [`  Hint: ${error.hint}`] : []),
    ].join("\n");
  }
  if (error instanceof PlanError) {
    return [`${label} the file cannot be applied to this account:`, ...error.problems.map((problem) => `  - ${problem}`)].join("\n");
  }
  if (error instanceof WriteOutcomeUnknownError) {
    return `${label} ${error.message}.\n  Hint: run 'wxconf plan' to see what the account holds now; 'wxconf apply' re-reads before it repeats anything.`;
  }
  if (error instanceof NetworkError) {
    return `${label} could not reach WeChat: ${error.message}.\n  Hint: check the network, HTTPS_PROXY/NO_PROXY, and --api-base or $WXCONF_API_BASE.`;
  }
  if (error instanceof CredentialsError || error instanceof ClientConfigError) return `${label} ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  const debug = process.env.WXCONF_DEBUG && error instanceof Error && error.stack ? `\n${error.stack}` : "";
  return `${label} ${message}${debug}`;
}
