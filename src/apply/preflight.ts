// The checks apply makes before its first write. Each refusal means nothing was written (exit 3).
import { canonicalJson, isJsonObject, type JsonObject } from "../json.js";
import { planContractProblems } from "../plan/contract.js";
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
 * account facts it depends on unchanged, the same steps), made by this version of wxconf. What was
 * reviewed is what runs, or nothing does; a refusal says what changed.
 */
export function checkSavedPlan(saved: unknown, current: Plan, source: string): void {
  if (!isJsonObject(saved) || typeof saved.checksum !== "string") throw new ApplyRefused(`${source} is not a plan saved by 'wxconf plan --out'`);
  const tool = isJsonObject(saved.tool) ? saved.tool.version : undefined;
  if (saved.format_version !== current.format_version || tool !== current.tool.version) {
    throw new ApplyRefused(
      `${source} was made by wxconf ${String(tool)} (plan format ${String(saved.format_version)}); this is wxconf ${current.tool.version}: make the plan again`,
    );
  }
  const broken = planContractProblems(saved);
  if (broken.length > 0) throw new ApplyRefused(`${source} is not a plan as 'wxconf plan --out' writes it (schemas/plan.schema.json)`, broken.slice(0, 10));
  const account = isJsonObject(saved.account) ? saved.account.app_id : undefined;
  if (account !== current.account.app_id) throw new ApplyRefused(`${source} is for account ${String(account)}, but the file is for ${current.account.app_id}`);
  if (saved.checksum === current.checksum && canonicalJson(saved.steps) === canonicalJson(current.steps)) return;

  const fingerprint = isJsonObject(saved.fingerprint) ? saved.fingerprint : {};
  const savedFacts = isJsonObject(fingerprint.account) ? fingerprint.account : {};
  const details: string[] = [];
  if (fingerprint.file !== current.fingerprint.file) details.push(`the file changed: ${current.config_file} is not what the plan was made from`);
  const differing = changedAddresses(savedFacts, current.fingerprint.account);
  if (differing.length > 0)
    details.push(`the account changed at ${differing.slice(0, 20).join(", ")}${differing.length > 20 ? ` and ${differing.length - 20} more` : ""}`);
  if (details.length === 0) details.push("the steps apply would run now differ from the saved ones");
  throw new ApplyRefused(`${source} no longer matches the file and the account: nothing was written`, [
    ...details,
    `saved checksum   ${saved.checksum}`,
    `current checksum ${current.checksum}`,
    "run 'wxconf plan' again and review the new plan",
  ]);
}

/** Addresses whose facts differ, appeared or disappeared between two fingerprints. */
function changedAddresses(before: JsonObject, after: Readonly<Record<string, string>>): string[] {
  const addresses = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...addresses].filter((address) => before[address] !== after[address]).sort();
}

/** `--expect-checksum`: with or without the `sha256:` prefix, in any letter case. */
export function normalizeChecksum(text: string): string {
  const hex = text
    .trim()
    .replace(/^sha256:/i, "")
    .toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new ApplyRefused(`--expect-checksum '${text}' is not a checksum: give the 64 hex digits wxconf plan printed, with or without 'sha256:'`);
  return `sha256:${hex}`;
}

export function checkChecksum(expected: string, current: Plan): void {
  if (normalizeChecksum(expected) === current.checksum) return;
  throw new ApplyRefused("the plan made now is not the one reviewed: the file or the account changed since; nothing was written", [
    `expected checksum ${normalizeChecksum(expected)}`,
    `current checksum  ${current.checksum}`,
    "run 'wxconf plan' again and review the new plan (a saved plan, 'wxconf apply PLAN.json', also names what changed)",
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
