import { ConfigError, type ConfigIssue } from "../config/issues.js";
import { hasChanges, type Plan } from "../plan/model.js";
import { annotation, renderPlanGithub } from "../render/github.js";
import { renderPlanJson } from "../render/json.js";
import type { Framing } from "../render/lines.js";
import { type PlanFormat, renderPlan } from "../render/plan.js";
import { PlanError } from "../resources/kind.js";
import { writeOutputFile } from "../sink.js";
import { elapsed, openForReading, type AccountOptions } from "./account.js";
import type { Console } from "./console.js";
import { describeError } from "./errors.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

/** github: the text plan, with its warnings, destructive changes and summary as workflow annotations. */
export type Format = PlanFormat | "github";

export interface PlanOptions extends AccountOptions {
  format: Format;
  out?: string;
  detailedExitcode?: boolean;
}

/** An account opened for reading: its file loaded and its token on the way (see openForReading). */
export type OpenedAccount = ReturnType<typeof openForReading>;

/**
 * Reads the account (only reads: the client cannot write) and computes the plan. `opened`: the account
 * already opened (a fleet opens the next accounts while others are planned, so their tokens are there).
 */
export async function readPlan(options: AccountOptions, out: Console, opened?: OpenedAccount): Promise<Plan> {
  return (await readPlanAndWarnings(options, out, opened)).plan;
}

async function readPlanAndWarnings(options: AccountOptions, out: Console, opened?: OpenedAccount): Promise<{ plan: Plan; warnings: ConfigIssue[] }> {
  const { config, client } = opened ?? openForReading(options, out);
  try {
    // The planner loads while the token request is in flight.
    const [{ makePlan }, { managedKinds }] = await Promise.all([import("../plan/build.js"), import("../resources/index.js")]);
    const kinds = managedKinds(config.desired).map((kind) => kind.kind);
    out.error(`Reading account ${config.desired.app_id}: ${kinds.length ? kinds.join(", ") : "nothing is managed"}…`);
    const started = Date.now();
    const { plan } = await makePlan(options.config, config.desired, client.read);
    out.error(`Read the account in ${elapsed(started)} with ${client.stats().requests} API call(s).\n`);
    return { plan, warnings: config.warnings };
  } finally {
    await client.close();
  }
}

/** Reads and prints the plan in the format asked for; as github, a failure is annotated too (and thrown). */
export async function showPlan(options: AccountOptions & { format: Format }, framing: Framing, out: Console): Promise<Plan> {
  if (options.format !== "github") {
    const plan = await readPlan(options, out);
    out.info(renderPlan(plan, options.format, framing, out.colorOut).replace(/\n$/, ""));
    return plan;
  }
  try {
    const { plan, warnings } = await readPlanAndWarnings(options, out);
    out.info(renderPlanGithub(plan, framing, warnings).replace(/\n$/, ""));
    return plan;
  } catch (error) {
    for (const line of failureAnnotations(error, options.config)) out.info(line);
    throw error;
  }
}

function failureAnnotations(error: unknown, file: string): string[] {
  if (error instanceof ConfigError) return error.issues.map((issue) => annotation("error", issue));
  if (error instanceof PlanError) return error.problems.map((message) => annotation("error", { file, title: "wxconf cannot plan this", message }));
  return [annotation("error", { file, title: "wxconf failed", message: describeError(error, false) })];
}

export async function runPlan(options: PlanOptions, out: Console): Promise<ExitCode> {
  const plan = await showPlan(options, "plan", out);
  if (options.out) {
    writeOutputFile(options.out, renderPlanJson(plan));
    out.error(`\nSaved the plan to ${options.out}: 'wxconf apply ${options.out}' applies it if the account has not changed.`);
  }
  return options.detailedExitcode && hasChanges(plan) ? EXIT.changes : EXIT.ok;
}
