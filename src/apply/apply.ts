import type { DesiredState } from "../config/types.js";
import { makePlan, managedModules } from "../plan/build.js";
import type { Plan } from "../plan/model.js";
import type { ReadClient, WriteClient } from "../wechat/client.js";
import { executeSteps, type StepHooks } from "./execute.js";
import type { ApplyResult } from "./result.js";

/**
 * Runs a plan's steps, then reads the account again and plans once more: what is left is reported,
 * so that "Apply complete!" is a fact, not a hope.
 */
export async function applyPlan(
  plan: Plan,
  desired: DesiredState,
  client: { read: ReadClient; write: WriteClient },
  hooks: StepHooks & { onVerify?(): void } = {},
): Promise<ApplyResult> {
  const steps = await executeSteps(plan, client, managedModules(desired), hooks);
  const base = { format_version: plan.format_version, account: plan.account, checksum: plan.checksum, summary: plan.summary, steps };
  if (steps.some((step) => step.status === "failed")) return { ...base, status: "failed", remaining: [] };
  hooks.onVerify?.();
  const { plan: after } = await makePlan(plan.config_file, desired, client.read);
  return { ...base, status: after.changes.length === 0 ? "applied" : "incomplete", remaining: after.changes };
}
