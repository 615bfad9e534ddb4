import { hasChanges } from "../plan/model.js";
import type { AccountOptions } from "./account.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { type Format, showPlan } from "./plan.js";

export interface DriftOptions extends AccountOptions {
  format: Format;
}

/** The plan, told as drift: what changed outside wxconf. Exit 0 in sync, 2 drift, 1 error. */
export async function runDrift(options: DriftOptions, out: Console): Promise<ExitCode> {
  const plan = await showPlan(options, "drift", out);
  return hasChanges(plan) ? EXIT.changes : EXIT.ok;
}
