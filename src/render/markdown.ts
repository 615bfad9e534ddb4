// The plan as a pull-request comment: the summary first, a banner when anything is deleted, the details
// in a collapsed diff block, the checksum; never longer than GitHub allows (65 536 characters).
import type { Plan } from "../plan/model.js";
import { cleanButtons } from "../wechat/normalize.js";
import { callsLine, changeLines, summaryLine, type Framing, type Line } from "./lines.js";
import { textPreview } from "./menu-preview.js";
import { append } from "../append.js";

export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  framing?: Framing;
  /** Characters at most; the details are cut to fit, never the summary. */
  maxLength?: number;
}

/** A compact picture of each menu the plan creates or changes (a change whose result has buttons), as followers will see it. */
function menuPreviews(plan: Plan): string[] {
  const blocks: string[] = [];
  for (const change of plan.changes) {
    const after = change.after;
    if (!after || typeof after !== "object" || Array.isArray(after) || !Array.isArray(after.button)) continue;
    blocks.push("", `${change.address}, as followers will see it:`, "```text", textPreview(cleanButtons(after.button)), "```");
  }
  return blocks;
}

/** The first `limit` items, then how many more: the banner must stay short whatever the plan. */
function listed(items: readonly string[], limit: number): string[] {
  return items.length <= limit ? [...items] : [...items.slice(0, limit), `and ${items.length - limit} more`];
}

/**
 * In a diff block GitHub colours lines by their first character: marks go to column 0, and an update's `~`
 * (which GitHub leaves uncoloured) is written `!`, which it colours as changed.
 */
function diffLine(line: Line): string {
  const mark = line.mark === "~" ? "!" : line.mark;
  if (line.level === 0) return mark === "#" ? `# ${line.text}` : `${mark} ${line.text}`;
  return `${mark}     ${line.text}`;
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const framing = options.framing ?? "plan";
  const limit = options.maxLength ?? GITHUB_COMMENT_LIMIT - 1_000;
  const title = framing === "drift" ? "wxconf drift" : "wxconf plan";
  const head: string[] = [
    `### ${title}: ${summaryLine(plan, framing)}`,
    "",
    `Account \`${plan.account.app_id}\`, file \`${plan.config_file}\`.${plan.steps.length ? ` ${callsLine(plan)}` : ""}`,
    "",
  ];

  const deleted = plan.changes.filter((change) => change.actions.includes("delete"));
  if (deleted.length > 0) {
    const names = listed(
      deleted.map((change) => `\`${change.address}\``),
      20,
    ).join(", ");
    head.push("> [!CAUTION]", `> **This ${framing === "drift" ? "drift's fix" : "plan"} deletes ${deleted.length} object(s):** ${names}`);
    for (const finding of listed(
      plan.safety.map((item) => `${item.message} (apply needs \`--allow-destroy\`)`),
      10,
    ))
      head.push(`> - ${finding}`);
    head.push("");
  }
  for (const warning of plan.warnings) head.push(`> [!WARNING]`, `> ${warning}`, "");

  const foot = ["", `Checksum \`${plan.checksum}\`: \`wxconf apply --expect-checksum ${plan.checksum}\` applies exactly this plan, or nothing.`];
  if (plan.changes.length === 0 && plan.unmanaged.length === 0) return `${[...head, ...foot].join("\n")}\n`;

  const body: string[] = [];
  for (const change of plan.changes) {
    append(body, changeLines(change, framing).map(diffLine));
    body.push("");
  }
  if (plan.unmanaged.length > 0) {
    body.push("# Not managed by this file (left alone, and not drift):");
    for (const item of plan.unmanaged) body.push(`  ${item.address}: ${item.note}`);
  }

  const open = [
    `<details><summary>Details: ${plan.changes.length} change(s)${plan.unmanaged.length ? `, ${plan.unmanaged.length} not managed` : ""}</summary>`,
    "",
    "```diff",
  ];
  const close = ["```", ...menuPreviews(plan), "", "</details>"];
  const fixed = [...head, ...open, ...close, ...foot].join("\n").length + 200;
  const kept: string[] = [];
  let size = fixed;
  for (const line of body) {
    if (size + line.length + 1 > limit) break;
    kept.push(line);
    size += line.length + 1;
  }
  if (kept.length < body.length) {
    kept.push(`… ${body.length - kept.length} more line(s) cut to fit GitHub's comment limit: run \`wxconf ${framing} --format text\` for all of them.`);
  }
  return `${[...head, ...open, ...kept, ...close, ...foot].join("\n")}\n`;
}
