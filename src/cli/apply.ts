import { readFileSync } from "node:fs";
import { applyPlan, resultOf } from "../apply/apply.js";
import { ApplyRefused, checkChecksum, checkQuota, checkSafety, checkSavedPlan } from "../apply/preflight.js";
import { initialOutcomes, type ApplyResult } from "../apply/result.js";
import { DEFAULT_CONFIG_FILE } from "../config/defaults.js";
import { DEFAULT_PARALLELISM, type ApplyCollaborators } from "../apply/execute.js";
import { isJsonObject, type JsonObject } from "../json.js";
import { makePlan } from "../plan/build.js";
import { applyCollaborators } from "../plan/collaborators.js";
import { managedKinds } from "../resources/index.js";
import { hasChanges, PLAN_FORMAT_VERSION, type Plan } from "../plan/model.js";
import type { WriteClient } from "../wechat/client.js";
import { renderApplyJson, renderApplyText } from "../render/apply.js";
import { renderPlanText } from "../render/text.js";
import { elapsed, openForWriting, type AccountOptions } from "./account.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { exitCodeFor, type Interrupts, type StopSignal } from "./interrupt.js";
import { stepProgress, stepsLine } from "./progress.js";
import { ask } from "./prompt.js";

export interface ApplyOptions extends Omit<AccountOptions, "config"> {
  config?: string;
  writeParallelism?: string;
  autoApprove?: boolean;
  expectChecksum?: string;
  allowDestroy?: boolean;
  format: "text" | "json";
}

/** How long apply waits, after an interrupt, for the call in flight to be answered ($WXCONF_INTERRUPT_WAIT_MS). */
function inFlightWaitMs(): number {
  const configured = Number(process.env.WXCONF_INTERRUPT_WAIT_MS);
  return Number.isFinite(configured) && configured >= 0 ? configured : 10_000;
}

/** The file and a client for apply, its token on the way (a fleet opens the next accounts ahead of their turn). */
export function openForApply(options: ApplyOptions & { config: string }, out: Console) {
  return openForWriting({ ...options, maxInFlight: Math.max(DEFAULT_PARALLELISM, parallelismOf(options.writeParallelism)) }, out);
}

export async function runApply(
  planFile: string | undefined,
  options: ApplyOptions,
  out: Console,
  interrupts: Interrupts,
  opened?: ReturnType<typeof openForApply>,
): Promise<ExitCode> {
  // A saved plan was reviewed already; otherwise a person approves at a terminal, or CI says so explicitly.
  const approved = planFile !== undefined || options.autoApprove === true;
  if (!approved && !out.interactive) {
    throw new Error("apply needs approval: run it at a terminal to answer 'yes', or pass --auto-approve (or a plan saved with 'wxconf plan --out')");
  }
  const parallelism = parallelismOf(options.writeParallelism);
  const saved = planFile === undefined ? undefined : readSavedPlan(planFile);
  // A saved plan applies the file it was made from, unless -c says otherwise.
  const configFile = options.config ?? (saved && typeof saved.config_file === "string" ? saved.config_file : DEFAULT_CONFIG_FILE);
  const { config, client } = opened ?? openForApply({ ...options, config: configFile }, out);
  const json = options.format === "json";
  let abandoned = false;
  try {
    out.error(
      `Reading account ${config.desired.app_id}: ${managedKinds(config.desired)
        .map((kind) => kind.kind)
        .join(", ")}…`,
    );
    const started = Date.now();
    const { plan } = await makePlan(configFile, config.desired, client.read);
    out.error(`Read the account in ${elapsed(started)}.\n`);
    if (planFile !== undefined) checkSavedPlan(saved, plan, planFile);
    if (options.expectChecksum !== undefined) checkChecksum(options.expectChecksum, plan);
    if (!json) out.info(renderPlanText(plan, { color: out.colorOut }).replace(/\n$/, ""));
    if (!hasChanges(plan)) {
      if (json) out.info(renderApplyJson(resultOf(plan, [], "no_changes")).replace(/\n$/, ""));
      return EXIT.ok;
    }
    checkSafety(plan, options.allowDestroy === true);
    // Before the prompt: a person should not approve a plan that cannot run today. Unattended, a plan of
    // one call is not checked: it cannot be half-applied, and WeChat refuses that call itself (45009).
    if (!approved || plan.steps.length > 1) for (const warning of await checkQuota(plan, client.read)) out.error(`Warning: ${warning}`);
    if (!approved) {
      const answer = await ask("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
      if (answer !== "yes") {
        out.error("Apply cancelled: nothing was written.");
        return EXIT.error;
      }
    }
    out.error(`\n${stepsLine(plan)}`);
    const result = await runSteps(plan, client.write, applyCollaborators(plan, config.desired, client.read), out, interrupts, parallelism);
    abandoned = result.steps.some((step) => step.status === "in_flight");
    out.info(json ? renderApplyJson(result).replace(/\n$/, "") : `\n${renderApplyText(result, out.colorOut).replace(/\n$/, "")}`);
    if (result.status === "interrupted") return exitCodeFor(result.signal === "SIGTERM" ? "SIGTERM" : "SIGINT");
    return result.status === "applied" ? EXIT.ok : EXIT.error;
  } catch (error) {
    if (!(error instanceof ApplyRefused)) throw error;
    if (json) out.info(JSON.stringify({ format_version: PLAN_FORMAT_VERSION, status: "refused", reason: error.message, details: error.details }, null, 2));
    out.error([`Refused: ${error.message}.`, ...error.details.map((detail) => `  ${detail}`)].join("\n"));
    return EXIT.refused;
  } finally {
    // A call still in flight after an interrupt is not waited for any longer.
    await (abandoned ? client.destroy() : client.close());
  }
}

/**
 * Runs the steps. On the first SIGINT or SIGTERM no new step starts; the call in flight is awaited (at most
 * IN_FLIGHT_WAIT_MS), and the report says what was done, what was in flight and what was not attempted.
 */
async function runSteps(
  plan: Plan,
  write: WriteClient,
  collaborators: ApplyCollaborators,
  out: Console,
  interrupts: Interrupts,
  parallelism: number,
): Promise<ApplyResult> {
  const outcomes = initialOutcomes(plan.steps);
  let signalled: StopSignal | undefined;
  let onSignal: (() => void) | undefined;
  const waitMs = inFlightWaitMs();
  const waitedEnough = new Promise<"timeout">((resolve) => {
    onSignal = () => setTimeout(() => resolve("timeout"), waitMs).unref();
  });
  const release = interrupts.takeOver((signal) => {
    signalled = signal;
    out.error(
      `\nInterrupted (${signal}): no new step will start; waiting for the call in flight (at most ${waitMs / 1000} s). Press Ctrl-C again to exit at once.`,
    );
    onSignal?.();
  });
  try {
    const hooks = { ...stepProgress(out), stopRequested: () => signalled !== undefined, signal: () => signalled };
    const finished = await Promise.race([applyPlan(plan, write, collaborators, hooks, outcomes, parallelism), waitedEnough]);
    if (finished !== "timeout") return finished;
    return { ...resultOf(plan, outcomes, "interrupted"), signal: signalled ?? "SIGINT" };
  } finally {
    release();
  }
}

function parallelismOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PARALLELISM;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 64) throw new Error(`--write-parallelism must be a whole number from 1 to 64, not '${text}'`);
  return value;
}

function readSavedPlan(file: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot read the saved plan ${file}: ${code === "ENOENT" ? "no such file (make one with 'wxconf plan --out FILE')" : (error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON: a saved plan is the file 'wxconf plan --out FILE' writes`);
  }
  if (!isJsonObject(parsed)) throw new Error(`${file} is not a plan saved by 'wxconf plan --out'`);
  return parsed;
}
