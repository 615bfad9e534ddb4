import type { Json, JsonObject } from "../json.js";
import type { Plan, Step } from "../plan/model.js";
import type { Confirmation } from "../resources/kind.js";
import type { WriteClient } from "../wechat/client.js";
import { ENDPOINTS } from "../wechat/endpoints.js";
import { WeChatError, WriteOutcomeUnknownError } from "../wechat/errors.js";
import { redact } from "../secrets.js";
import { readPath, resolveRefs } from "./refs.js";
import { initialOutcomes, type StepError, type StepOutcome } from "./result.js";

/** What apply is handed instead of importing the planner: a kind's confirm, and a fresh plan to verify. */
export interface ApplyCollaborators {
  /** Whether `step`'s effect (its body resolved) is on the account now, found by re-reading it. */
  confirm(step: Step, body: JsonObject): Promise<Confirmation>;
  /** Reads the account and plans again: what is left after the steps. */
  replan(): Promise<Plan>;
}

export interface StepHooks {
  onStart?(step: Step, total: number): void;
  onEnd?(outcome: StepOutcome, total: number): void;
  /** Asked before each step: true stops apply there (an interrupt); the call in flight is finished first. */
  stopRequested?(): boolean;
}

/** How many times a write whose answer keeps getting lost is sent before apply gives up. */
const MAX_SENDS = 3;

/**
 * Runs the plan's steps in order and stops at the first failure. A write whose answer was lost is not
 * repeated blindly: its kind re-reads what it changed, and only a call that did not take effect is sent again.
 */
export async function executeSteps(
  plan: Plan,
  write: WriteClient,
  collaborators: Pick<ApplyCollaborators, "confirm">,
  hooks: StepHooks = {},
  outcomes: StepOutcome[] = initialOutcomes(plan.steps),
): Promise<StepOutcome[]> {
  const outputs = new Map<string, Json>();
  for (const [position, step] of plan.steps.entries()) {
    if (hooks.stopRequested?.()) break;
    const outcome = outcomes[position] as StepOutcome;
    outcome.status = "in_flight";
    hooks.onStart?.(step, plan.steps.length);
    const started = Date.now();
    try {
      const body = resolveRefs(step.body, outputs);
      const confirm = (resolved: JsonObject) => collaborators.confirm(step, resolved);
      const { answer, recovered } = await createOnce(step, body, confirm, () => sendConfirmingLostAnswers(step, body, write, confirm));
      if (step.produces) {
        const value = readPath(answer, step.produces.from);
        if (value === undefined) throw new Error(`${step.path} answered without ${step.produces.from}`);
        outputs.set(step.produces.ref, value);
      }
      outcome.status = "done";
      if (recovered) outcome.recovered = recovered;
    } catch (error) {
      outcome.status = "failed";
      outcome.error = describeStepError(error);
    }
    outcome.ms = Date.now() - started;
    hooks.onEnd?.(outcome, plan.steps.length);
    if (outcome.status === "failed") break;
  }
  return outcomes;
}

/**
 * A create that is not idempotent first makes sure its object did not appear since the plan was read (a
 * concurrent apply, a person in the console): one cheap read, so that the account never gets it twice.
 */
async function createOnce(
  step: Step,
  body: JsonObject,
  confirm: (body: JsonObject) => Promise<Confirmation>,
  send: () => Promise<{ answer: JsonObject; recovered?: StepOutcome["recovered"] }>,
): Promise<{ answer: JsonObject; recovered?: StepOutcome["recovered"] }> {
  if (!ENDPOINTS[step.endpoint].creates) return send();
  const present = await confirm(body);
  return present.applied ? { answer: present.answer, recovered: "already_present" } : send();
}

async function sendConfirmingLostAnswers(
  step: Step,
  body: JsonObject,
  write: WriteClient,
  confirm: (body: JsonObject) => Promise<Confirmation>,
): Promise<{ answer: JsonObject; recovered?: StepOutcome["recovered"] }> {
  let recovered: StepOutcome["recovered"];
  for (let send = 1; ; send++) {
    try {
      const answer = await write.send({ endpoint: step.endpoint, ...(step.query && { query: step.query }), ...(step.body !== undefined && { body }) });
      return recovered ? { answer, recovered } : { answer };
    } catch (error) {
      if (!(error instanceof WriteOutcomeUnknownError) || send >= MAX_SENDS) throw error;
      const confirmation = await confirm(body);
      if (confirmation.applied) return { answer: confirmation.answer, recovered: "confirmed" };
      recovered = "sent_again";
    }
  }
}

function describeStepError(error: unknown): StepError {
  if (error instanceof WeChatError) {
    return {
      message: error.message,
      errcode: error.errcode,
      errmsg: error.errmsg,
      ...(error.meaning && { meaning: error.meaning }),
      ...(error.hint && { hint: error.hint }),
    };
  }
  return { message: redact(error instanceof Error ? error.message : String(error)) };
}
