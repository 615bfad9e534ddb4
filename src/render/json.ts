import type { Plan } from "../plan/model.js";

/** The versioned JSON contract of a plan (format_version); consumers ignore keys they do not know. */
export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
