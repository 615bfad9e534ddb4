// The plan as a Terraform user reads it: a legend, a header per change saying what and why, attribute
// lines, then the counts.
import type { Plan } from "../plan/model.js";
import { callsLine, changeLines, LEGEND, summaryLine, symbolsInUse, type Framing, type Line, type Mark } from "./lines.js";
import { styler, type Style } from "./style.js";
import { append } from "../append.js";

const MARK_STYLE: Partial<Record<Mark, Style>> = { "+": "green", "~": "yellow", "-": "red", "-/+": "red", "#": "dim", "!": "yellow" };

export interface TextOptions {
  color: boolean;
  framing?: Framing;
}

/** One line of a change, Terraform-style: headers indented two spaces, details six. */
function layout(line: Line, paint: ReturnType<typeof styler>): string {
  const style = MARK_STYLE[line.mark];
  const mark = style ? paint(style, line.mark) : line.mark;
  // Terraform's layout: "-/+" takes the indentation's place so that addresses line up.
  if (line.level === 0) return `${line.mark === "-/+" ? "" : "  "}${mark} ${line.mark === "#" ? paint("bold", line.text) : line.text}`;
  return `      ${mark} ${line.text}`;
}

export function renderPlanText(plan: Plan, options: TextOptions): string {
  const framing = options.framing ?? "plan";
  const paint = styler(options.color);
  const out: string[] = [];
  const intro =
    framing === "drift" && plan.changes.length > 0
      ? `wxconf compared account ${plan.account.app_id} with ${plan.config_file}; these differences were made outside wxconf.`
      : `wxconf compared account ${plan.account.app_id} with ${plan.config_file}.`;
  out.push(intro, "");

  if (plan.changes.length > 0) {
    out.push(
      framing === "drift" ? "Symbols show what apply would do to restore the file's configuration:" : "wxconf will perform the following actions. Symbols:",
    );
    for (const mark of symbolsInUse(plan)) out.push(`${mark.padStart(5)} ${LEGEND[mark]}`);
    out.push("");
    for (const change of plan.changes) {
      append(
        out,
        changeLines(change, framing).map((line) => layout(line, paint)),
      );
      out.push("");
    }
  }

  if (plan.unmanaged.length > 0) {
    out.push("Not managed by this file (left alone, and not drift):");
    for (const item of plan.unmanaged) out.push(`  ${item.address}: ${item.note}`);
    out.push("");
  }
  if (plan.safety.length > 0) {
    out.push(paint("bold", "Destructive: apply makes these changes only with --allow-destroy:"));
    for (const finding of plan.safety) out.push(`  ${paint("red", "!")} ${finding.message}`);
    out.push("");
  }
  for (const warning of plan.warnings) out.push(`${paint("yellow", "Warning:")} ${warning}`);
  if (plan.warnings.length > 0) out.push("");

  out.push(paint("bold", summaryLine(plan, framing)));
  const calls = callsLine(plan);
  if (calls && framing === "plan") out.push(calls);
  return `${out.join("\n")}\n`;
}
