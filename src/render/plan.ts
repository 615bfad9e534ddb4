// A plan in the format a command was asked for.
import type { Plan } from "../plan/model.js";
import { renderPlanJson } from "./json.js";
import type { Framing } from "./lines.js";
import { renderPlanMarkdown } from "./markdown.js";
import { renderPlanText } from "./text.js";

export type PlanFormat = "text" | "markdown" | "json";

export function renderPlan(plan: Plan, format: PlanFormat, framing: Framing, color: boolean): string {
  if (format === "json") return renderPlanJson(plan);
  if (format === "markdown") return renderPlanMarkdown(plan, { framing });
  return renderPlanText(plan, { color, framing });
}
