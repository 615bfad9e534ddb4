import { ConfigError, formatIssue } from "../config/issues.js";
import { PlanError } from "../resources/kind.js";
import { ClientConfigError, CredentialsError, NetworkError, UnexpectedAnswerError, WeChatError, WriteOutcomeUnknownError } from "../wechat/errors.js";
import { redact } from "../secrets.js";
import { styler } from "../render/style.js";

/** A file with thousands of problems (a pasted list) shows the first ones; fixing them shows the rest. */
const MAX_ISSUES_SHOWN = 200;

/** How an error reads for a person on stderr; never with a token or secret in it. */
export function describeError(error: unknown, color: boolean): string {
  return redact(describe(error, color));
}

function describe(error: unknown, color: boolean): string {
  const paint = styler(color);
  const label = paint("red", "Error:");
  if (error instanceof ConfigError) {
    const count = error.issues.length;
    const shown = error.issues.slice(0, MAX_ISSUES_SHOWN).map(formatIssue);
    if (count > MAX_ISSUES_SHOWN) shown.push(`… and ${count - MAX_ISSUES_SHOWN} more`);
    return [...shown, `${count} problem${count === 1 ? "" : "s"} found.`].join("\n");
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
    return `${label} could not reach WeChat: ${error.message}.\n  Hint: ${error.hint ?? "check the network, HTTPS_PROXY/NO_PROXY, and --api-base or $WXCONF_API_BASE."}`;
  }
  if (error instanceof UnexpectedAnswerError) {
    return `${label} ${error.message}.\n  Hint: ${error.hint}`;
  }
  if (error instanceof CredentialsError || error instanceof ClientConfigError) return `${label} ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  const debug = process.env.WXCONF_DEBUG && error instanceof Error && error.stack ? `\n${error.stack}` : "";
  return `${label} ${message}${debug}`;
}
