import type { Plan } from "../plan/model.js";
import { redact } from "../secrets.js";
import type { WriteClient } from "../wechat/client.js";
import { DEFAULT_PARALLELISM, executeSteps, type ApplyCollaborators, type StepHooks } from "./execute.js";
import { initialOutcomes, type ApplyResult, type StepOutcome } from "./result.js";

/**
 * Runs a plan's steps, then reads the account again and plans once more: what is left is reported,
 * so that "Apply complete!" is a fact, not a hope.
 */
export async function applyPlan(
  plan: Plan,
  write: WriteClient,
  collaborators: ApplyCollaborators,
  hooks: StepHooks & { onVerify?(): void; signal?(): string | undefined } = {},
  outcomes: StepOutcome[] = initialOutcomes(plan.steps),
  parallelism = DEFAULT_PARALLELISM,
): Promise<ApplyResult> {
  const steps = await executeSteps(plan, write, collaborators, hooks, outcomes, parallelism);
  if (steps.some((step) => step.status === "failed")) return resultOf(plan, steps, "failed");
  const signal = hooks.signal?.();
  if (signal !== undefined) return { ...resultOf(plan, steps, "interrupted"), signal };
  hooks.onVerify?.();
  try {
    // Only what the steps changed is read again: the rest was read a moment ago and apply did not touch it.
    const changed = [...new Set(plan.steps.map((step) => step.kind))];
    const after = await collaborators.replan(changed);
    return { ...resultOf(plan, steps, after.changes.length === 0 ? "applied" : "incomplete"), remaining: after.changes };
  } catch (error) {
    // The steps' report matters more than the re-read: it is kept, and the failure said beside it.
    return { ...resultOf(plan, steps, "unverified"), verify_error: redact(error instanceof Error ? error.message : String(error)) };
  }
}

/** The report of the steps so far, before verification: for a failure, an interrupt, or a report cut short. */
export function resultOf(plan: Plan, steps: StepOutcome[], status: ApplyResult["status"]): ApplyResult {
  return { format_version: plan.format_version, account: plan.account, checksum: plan.checksum, status, summary: plan.summary, steps, remaining: [] };
}
