import { writeOutputFile } from "../sink.js";
import { hasChanges, type Plan } from "../plan/model.js";
import { renderPlanJson } from "../render/json.js";
import { type PlanFormat, renderPlan } from "../render/plan.js";
import { elapsed, openForReading, type AccountOptions } from "./account.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

export type Format = PlanFormat;

export interface PlanOptions extends AccountOptions {
  format: Format;
  out?: string;
  detailedExitcode?: boolean;
}

/** Reads the account (only reads: the client cannot write) and computes the plan. */
export async function readPlan(options: AccountOptions, out: Console): Promise<Plan> {
  const { config, client } = openForReading(options, out);
  try {
    // The planner loads while the token request is in flight.
    const [{ makePlan }, { managedKinds }] = await Promise.all([import("../plan/build.js"), import("../resources/index.js")]);
    const kinds = managedKinds(config.desired).map((kind) => kind.kind);
    out.error(`Reading account ${config.desired.app_id}: ${kinds.length ? kinds.join(", ") : "nothing is managed"}…`);
    const started = Date.now();
    const { plan } = await makePlan(options.config, config.desired, client.read);
    out.error(`Read the account in ${elapsed(started)} with ${client.stats().requests} API call(s).\n`);
    return plan;
  } finally {
    await client.close();
  }
}

export async function runPlan(options: PlanOptions, out: Console): Promise<ExitCode> {
  const plan = await readPlan(options, out);
  out.info(renderPlan(plan, options.format, "plan", out.colorOut).replace(/\n$/, ""));
  if (options.out) {
    writeOutputFile(options.out, renderPlanJson(plan));
    out.error(`\nSaved the plan to ${options.out}: 'wxconf apply ${options.out}' applies it if the account has not changed.`);
  }
  return options.detailedExitcode && hasChanges(plan) ? EXIT.changes : EXIT.ok;
}
