// What apply did, for a person: done, failed (with WeChat's errcode, message and a hint), not attempted.
import type { ApplyResult, StepOutcome } from "../apply/result.js";
import { changeLines } from "./lines.js";
import { styler } from "./style.js";
import { append } from "../append.js";

const RECOVERED: Record<NonNullable<StepOutcome["recovered"]>, string> = {
  confirmed: " (answer lost; a re-read showed it had taken effect)",
  sent_again: " (answer lost; a re-read showed it had not, so it was sent again)",
  already_present: " (not sent: a re-read just before showed it had been made meanwhile)",
};

const stepLine = (step: StepOutcome) => `  ${step.index}. ${step.description}${step.recovered ? RECOVERED[step.recovered] : ""}`;

export function renderApplyText(result: ApplyResult, color: boolean): string {
  const paint = styler(color);
  const { add, change, destroy } = result.summary;
  const total = result.steps.length;
  if (result.status === "applied") {
    return `${paint("green", `Apply complete! Resources: ${add} added, ${change} changed, ${destroy} destroyed.`)}\nThe account was read again after the last step: it matches the configuration.\n`;
  }

  const out: string[] = [];
  if (result.status === "incomplete") {
    out.push(paint("yellow", `Apply made all ${total} calls, but reading the account again shows it still differs from the file:`), "");
    for (const remaining of result.remaining) {
      append(
        out,
        changeLines(remaining, "plan").map((line) => `  ${line.level ? "    " : ""}${line.mark} ${line.text}`),
      );
      out.push("");
    }
    out.push("Run 'wxconf plan' to see why; WeChat may take a moment to show a change.");
    return `${out.join("\n")}\n`;
  }

  const done = result.steps.filter((step) => step.status === "done");
  const inFlight = result.steps.filter((step) => step.status === "in_flight");
  const skipped = result.steps.filter((step) => step.status === "not_attempted");
  const failed = result.steps.find((step) => step.status === "failed");
  if (result.status === "unverified") {
    out.push(paint("yellow", `Apply made all ${total} calls, but reading the account again to confirm failed: ${result.verify_error ?? "unknown error"}`));
  } else if (result.status === "interrupted") {
    out.push(paint("yellow", `Apply interrupted (${result.signal ?? "signal"}) after ${done.length} of ${total} steps: no new step was started.`));
  } else if (failed) {
    out.push(paint("red", `Apply stopped at step ${failed.index} of ${total}: ${failed.description}`));
    const error = failed.error;
    if (error?.errcode !== undefined) {
      out.push(`  WeChat refused ${failed.api}: errcode ${error.errcode}, "${error.errmsg ?? ""}"`);
      if (error.meaning) out.push(`  Meaning: ${error.meaning}`);
      if (error.hint) out.push(`  Hint: ${error.hint}`);
    } else if (error) {
      out.push(`  ${error.message}`);
    }
  }
  out.push("", `Done (${done.length} of ${total}):`, ...(done.length ? done.map(stepLine) : ["  (none)"]));
  if (inFlight.length > 0)
    out.push("", `In flight, outcome unknown (${inFlight.length}): sent, but apply stopped before the answer came`, ...inFlight.map(stepLine));
  if (result.status !== "unverified") out.push("", `Not attempted (${skipped.length}):`, ...(skipped.length ? skipped.map(stepLine) : ["  (none)"]));
  out.push(
    "",
    result.status === "unverified"
      ? "Run 'wxconf plan' to see the account as it is now."
      : "Nothing was rolled back. Fix the cause and run 'wxconf apply' again: it plans from the account as it is now and does only what is left.",
  );
  return `${out.join("\n")}\n`;
}

export function renderApplyJson(result: ApplyResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
