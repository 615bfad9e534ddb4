// A plan as lines with symbols, shared by the text and markdown renderers (they differ only in layout).
import { reasonText } from "./reasons.js";
import type { Json } from "../json.js";
import type { Action, Change, Detail, Plan } from "../plan/model.js";
import { isPlaceholder } from "../wechat/requests.js";

export type Mark = "+" | "~" | "-" | "-/+" | "#" | " " | "!";

export interface Line {
  mark: Mark;
  /** 0: a change's header and address; 1: its details. */
  level: 0 | 1;
  text: string;
}

/** How the same plan is told: what `apply` will do, or what `drift` found changed outside wxconf. */
export type Framing = "plan" | "drift";

export function symbolOf(actions: readonly Action[]): Mark {
  if (actions.includes("delete") && actions.includes("create")) return "-/+";
  if (actions.includes("create")) return "+";
  if (actions.includes("delete")) return "-";
  return "~";
}

const PLAN_VERBS: Record<Exclude<Mark, "#" | " " | "!">, string> = {
  "+": "will be created",
  "~": "will be updated in place",
  "-": "will be deleted",
  "-/+": "must be replaced",
};
const DRIFT_VERBS: Record<Exclude<Mark, "#" | " " | "!">, string> = {
  "+": "is missing from the account",
  "~": "differs from the file",
  "-": "is on the account but not in the file",
  "-/+": "differs from the file",
};

export function headline(change: Change, framing: Framing): string {
  const symbol = symbolOf(change.actions) as keyof typeof PLAN_VERBS;
  const verb = (framing === "drift" ? DRIFT_VERBS : PLAN_VERBS)[symbol];
  return `${change.address} ${verb}: ${reasonText(change)}`;
}

/** A value as a person reads it: strings quoted, placeholders as "(known after apply)". */
export function formatValue(value: Json | undefined): string {
  if (value === undefined || value === null) return "null";
  if (isPlaceholder(value)) return "(known after apply)";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => (typeof item === "string" ? item : formatValue(item))).join(", ")}]`;
  if (typeof value === "object")
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${key}: ${formatValue(item)}`)
      .join(", ")} }`;
  return String(value);
}

const DETAIL_SYMBOL: Record<Action, Mark> = { create: "+", update: "~", delete: "-" };

function detailText(detail: Detail): string {
  const subject = detail.attribute ? `${detail.path}: ${detail.attribute}` : detail.path;
  const note = detail.note ? ` (${detail.note})` : "";
  if (detail.action === "update") return `${subject}: ${formatValue(detail.before)} -> ${formatValue(detail.after)}${note}`;
  const value = detail.action === "create" ? detail.after : detail.before;
  const shown = typeof value === "string" ? value : formatValue(value);
  return `${subject}${value === undefined ? "" : `: ${shown}`}${note}`;
}

/** A change without details shows the fields it creates or deletes. */
function fieldLines(change: Change): Line[] {
  const side = change.actions.includes("create") ? change.after : change.before;
  if (!side || typeof side !== "object" || Array.isArray(side)) return [];
  const symbol: Mark = change.actions.includes("create") ? "+" : "-";
  return Object.entries(side).map(([key, value]) => ({ mark: symbol, level: 1, text: `${key}: ${formatValue(value)}` }));
}

export function changeLines(change: Change, framing: Framing): Line[] {
  const lines: Line[] = [
    { mark: "#", level: 0, text: headline(change, framing) },
    { mark: symbolOf(change.actions), level: 0, text: change.address },
  ];
  const details =
    change.details.length > 0
      ? change.details.map((detail): Line => ({ mark: DETAIL_SYMBOL[detail.action], level: 1, text: detailText(detail) }))
      : fieldLines(change);
  return [...lines, ...details];
}

export function summaryLine(plan: Plan, framing: Framing): string {
  const { add, change, destroy } = plan.summary;
  if (plan.changes.length === 0) {
    return framing === "drift" ? "No drift. The account matches the configuration." : "No changes. The account matches the configuration.";
  }
  const counts = `${add} to add, ${change} to change, ${destroy} to destroy`;
  return framing === "drift" ? `Drift: ${plan.changes.length} difference(s); apply would make ${counts}.` : `Plan: ${counts}.`;
}

/** "9 API calls: 3 tags/members/batchtagging, 1 menu/create": what apply will send, counted by API. */
export function callsLine(plan: Plan): string {
  if (plan.steps.length === 0) return "";
  const counts = new Map<string, number>();
  for (const step of plan.steps) {
    const api = step.path.replace(/^\/cgi-bin\//, "");
    counts.set(api, (counts.get(api) ?? 0) + 1);
  }
  const list = [...counts].map(([api, count]) => `${count} ${api}`).join(", ");
  return `Apply will make ${plan.steps.length} API call${plan.steps.length === 1 ? "" : "s"}: ${list}.`;
}

export const LEGEND: Record<Exclude<Mark, "#" | " " | "!">, string> = {
  "+": "create",
  "~": "update in place",
  "-": "delete",
  "-/+": "delete, then create again (conditional menus cannot be updated)",
};

export function symbolsInUse(plan: Plan): Array<keyof typeof LEGEND> {
  const used = new Set(plan.changes.map((change) => symbolOf(change.actions)));
  return (["+", "~", "-", "-/+"] as const).filter((symbol) => used.has(symbol));
}
