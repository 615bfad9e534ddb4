import { readFileSync } from "node:fs";
import { applyPlan } from "../apply/apply.js";
import { ApplyRefused, checkChecksum, checkQuota, checkSafety, checkSavedPlan } from "../apply/preflight.js";
import { makePlan, managedModules } from "../plan/build.js";
import { hasChanges } from "../plan/model.js";
import { renderApplyJson, renderApplyText } from "../render/apply.js";
import { renderPlanText } from "../render/text.js";
import { elapsed, openForWriting, type AccountOptions } from "./account.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { stepProgress, stepsLine } from "./progress.js";
import { ask } from "./prompt.js";

export interface ApplyOptions extends AccountOptions {
  autoApprove?: boolean;
  expectChecksum?: string;
  allowDestroy?: boolean;
  format: "text" | "json";
}

export async function runApply(planFile: string | undefined, options: ApplyOptions, out: Console): Promise<ExitCode> {
  // A saved plan was reviewed already; otherwise a person approves at a terminal, or CI says so explicitly.
  const approved = planFile !== undefined || options.autoApprove === true;
  if (!approved && !out.interactive) {
    throw new Error("apply needs approval: run it at a terminal to answer 'yes', or pass --auto-approve (or a plan saved with 'wxconf plan --out')");
  }
  const saved: unknown = planFile === undefined ? undefined : JSON.parse(readFileSync(planFile, "utf8"));
  const { config, client } = openForWriting(options, out);
  const json = options.format === "json";
  try {
    out.error(`Reading account ${config.desired.app_id}: ${managedModules(config.desired).map((module) => module.kind).join(", ")}…`);
    const started = Date.now();
    const { plan } = await makePlan(options.config, config.desired, client.read);
    out.error(`Read the account in ${elapsed(started)}.\n`);
    if (planFile !== undefined) checkSavedPlan(saved, plan, planFile);
    if (options.expectChecksum !== undefined) checkChecksum(options.expectChecksum, plan);
    if (!json) out.info(renderPlanText(plan, { color: out.colorOut }).replace(/\n$/, ""));
    if (!hasChanges(plan)) {
      if (json) out.info(JSON.stringify({ status: "no_changes", checksum: plan.checksum }));
      return EXIT.ok;
    }
    checkSafety(plan, options.allowDestroy === true);
    if (!approved) {
      const answer = await ask("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
      if (answer !== "yes") {
        out.error("Apply cancelled: nothing was written.");
        return EXIT.error;
      }
    }
    for (const warning of await checkQuota(plan, client.read)) out.error(`Warning: ${warning}`);
    out.error(`\n${stepsLine(plan)}`);
    const result = await applyPlan(plan, config.desired, client, stepProgress(out));
    out.info(json ? renderApplyJson(result).replace(/\n$/, "") : `\n${renderApplyText(result, out.colorOut).replace(/\n$/, "")}`);
    return result.status === "applied" ? EXIT.ok : EXIT.error;
  } catch (error) {
    if (!(error instanceof ApplyRefused)) throw error;
    if (json) out.info(JSON.stringify({ status: "refused", reason: error.message, details: error.details }, null, 2));
    out.error([`Refused: ${error.message}.`, ...error.details.map((detail) => `  ${detail}`)].join("\n"));
    return EXIT.refused;
  } finally {
    await client.close();
  }
}
