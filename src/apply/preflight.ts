// The checks apply makes before its first write. Each refusal means nothing was written (exit 3).
import { canonicalJson, isJsonObject } from "../json.js";
import type { Plan } from "../plan/model.js";
import type { ReadClient } from "../wechat/client.js";
import { WeChatError } from "../wechat/errors.js";

export class ApplyRefused extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = "ApplyRefused";
  }
}

/**
 * A saved plan runs only if recomputing it now gives the same plan: the same checksum (the file and the
 * account unchanged), made by this version of wxconf. What was reviewed is what runs, or nothing does.
 */
export function checkSavedPlan(saved: unknown, current: Plan, source: string): void {
  if (!isJsonObject(saved) || typeof saved.checksum !== "string") throw new ApplyRefused(`${source} is not a plan saved by 'wxconf plan --out'`);
  const tool = isJsonObject(saved.tool) ? saved.tool.version : undefined;
  if (saved.format_version !== current.format_version || tool !== current.tool.version) {
    throw new ApplyRefused(`${source} was made by wxconf ${String(tool)} (plan format ${String(saved.format_version)}); this is wxconf ${current.tool.version}: make the plan again`);
  }
  const account = isJsonObject(saved.account) ? saved.account.app_id : undefined;
  if (account !== current.account.app_id) throw new ApplyRefused(`${source} is for account ${String(account)}, but the file is for ${current.account.app_id}`);
  checkChecksum(saved.checksum, current);
  if (canonicalJson(saved.steps) !== canonicalJson(current.steps)) throw new ApplyRefused(`the steps in ${source} differ from the plan made now: make the plan again`);
}

export function checkChecksum(expected: string, current: Plan): void {
  if (expected === current.checksum) return;
  throw new ApplyRefused("the account changed since this plan was made (or the file did): nothing was written", [
    `expected checksum ${expected}`,
    `current checksum  ${current.checksum}`,
    "run 'wxconf plan' again and review the new plan",
  ]);
}

export function checkSafety(plan: Plan, allowDestroy: boolean): void {
  if (allowDestroy || plan.safety.length === 0) return;
  throw new ApplyRefused(
    "this plan is destructive; apply it with --allow-destroy if that is what you mean",
    plan.safety.map((finding) => `${finding.rule}: ${finding.message}`),
  );
}

/**
 * Before the first write: enough daily quota left for every API the steps call. An account that cannot
 * ask for its quota (48001, 76022) is told so in a warning; apply goes on.
 */
export async function checkQuota(plan: Plan, read: ReadClient): Promise<string[]> {
  const needed = new Map<string, number>();
  for (const step of plan.steps) needed.set(step.path, (needed.get(step.path) ?? 0) + 1);
  const warnings: string[] = [];
  const short: string[] = [];
  await Promise.all(
    [...needed].map(async ([path, calls]) => {
      try {
        const quota = await read.getQuota(path);
        if (quota.remain < calls) short.push(`${path}: ${calls} call(s) needed, ${quota.remain} left of ${quota.daily_limit} today`);
      } catch (error) {
        if (!(error instanceof WeChatError)) throw error;
        warnings.push(`could not check the daily quota of ${path} (errcode ${error.errcode}); going on`);
      }
    }),
  );
  if (short.length > 0) {
    throw new ApplyRefused("not enough daily quota left for this plan; nothing was written", [
      ...short.sort(),
      "wait until tomorrow, or reset the counters in the MP console (10 times a month)",
    ]);
  }
  return warnings;
}
