import type { Json, JsonObject } from "../json.js";
import type { Plan, Step } from "../plan/model.js";
import type { Confirmation } from "../resources/kind.js";
import type { WriteClient } from "../wechat/client.js";
import { ENDPOINTS } from "../wechat/endpoints.js";
import { WeChatError, WriteOutcomeUnknownError } from "../wechat/errors.js";
import { Heap } from "../heap.js";
import { redact } from "../secrets.js";
import { readPath, resolveRefs } from "./refs.js";
import { initialOutcomes, type StepError, type StepOutcome } from "./result.js";

/** What apply is handed instead of importing the planner: a kind's confirm, and a fresh plan to verify. */
export interface ApplyCollaborators {
  /** Whether `step`'s effect (its body resolved) is on the account now, found by re-reading it. */
  confirm(step: Step, body: JsonObject): Promise<Confirmation>;
  /** Reads again what these kinds manage and plans them again: what is left after the steps. */
  replan(kinds: readonly string[]): Promise<Plan>;
}

export interface StepHooks {
  onStart?(step: Step, total: number): void;
  onEnd?(outcome: StepOutcome, total: number): void;
  /** Asked before each step: true stops apply there (an interrupt); the call in flight is finished first. */
  stopRequested?(): boolean;
}

/** How many times a write whose answer keeps getting lost is sent before apply gives up. */
const MAX_SENDS = 3;

/** Writes in flight at once unless told otherwise (`--write-parallelism`): WeChat publishes no limit; reads use 8 too. */
export const DEFAULT_PARALLELISM = 8;

/**
 * Runs the plan's steps: a step starts once every step it comes `after` is done (by id, or every step of a
 * group), at most `parallelism` at once, the plan's order breaking ties; with parallelism 1 it is the plan's
 * order exactly. At the first failure (or an interrupt) no new step starts; the calls in flight finish, and
 * the rest is reported not attempted. A write whose answer was lost is not repeated blindly: its kind
 * re-reads what it changed, and only a call that did not take effect is sent again.
 */
export async function executeSteps(
  plan: Plan,
  write: WriteClient,
  collaborators: Pick<ApplyCollaborators, "confirm">,
  hooks: StepHooks = {},
  outcomes: StepOutcome[] = initialOutcomes(plan.steps),
  parallelism = DEFAULT_PARALLELISM,
): Promise<StepOutcome[]> {
  const outputs = new Map<string, Json>();
  const graph = new StepGraph(plan.steps);
  let stopped = false;
  const running = new Set<Promise<void>>();

  const run = async (position: number): Promise<void> => {
    const step = plan.steps[position] as Step;
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
      stopped = true;
    }
    outcome.ms = Date.now() - started;
    hooks.onEnd?.(outcome, plan.steps.length);
    if (outcome.status === "done") graph.done(position);
  };

  for (;;) {
    if (hooks.stopRequested?.()) stopped = true;
    while (!stopped && running.size < Math.max(1, parallelism)) {
      const next = graph.next();
      if (next === undefined) break;
      const task: Promise<void> = run(next).finally(() => running.delete(task));
      running.add(task);
    }
    if (running.size === 0) break;
    await Promise.race(running);
  }
  return outcomes;
}

/**
 * Which steps may start: each waits for the steps it names in `after` by id, and for every step of a group
 * it names (one counter per group, so that "after every untagging" costs nothing per pair).
 */
class StepGraph {
  private readonly waitingOn: number[];
  private readonly dependants: number[][];
  private readonly groupLeft = new Map<string, number>();
  private readonly groupDependants = new Map<string, number[]>();
  private readonly ready = new Heap<number>((a, b) => a < b);

  constructor(private readonly steps: readonly Step[]) {
    const byId = new Map<string, number[]>();
    steps.forEach((step, position) => {
      const same = byId.get(step.id);
      if (same) same.push(position);
      else byId.set(step.id, [position]);
      for (const group of step.groups ?? []) this.groupLeft.set(group, (this.groupLeft.get(group) ?? 0) + 1);
    });
    this.waitingOn = steps.map(() => 0);
    this.dependants = steps.map(() => []);
    steps.forEach((step, position) => {
      for (const name of new Set(step.after ?? [])) {
        for (const before of byId.get(name) ?? []) {
          if (before === position) continue;
          (this.dependants[before] as number[]).push(position);
          this.waitingOn[position] = (this.waitingOn[position] as number) + 1;
        }
        if (this.groupLeft.has(name) && !(steps[position]?.groups ?? []).includes(name)) {
          const waiting = this.groupDependants.get(name);
          if (waiting) waiting.push(position);
          else this.groupDependants.set(name, [position]);
          this.waitingOn[position] = (this.waitingOn[position] as number) + 1;
        }
      }
    });
    this.waitingOn.forEach((count, position) => {
      if (count === 0) this.ready.push(position);
    });
  }

  /** The first step, in the plan's order, whose dependencies are done; undefined when none is ready now. */
  next(): number | undefined {
    return this.ready.pop();
  }

  done(position: number): void {
    for (const dependant of this.dependants[position] ?? []) this.release(dependant);
    for (const group of this.steps[position]?.groups ?? []) {
      const left = (this.groupLeft.get(group) ?? 1) - 1;
      this.groupLeft.set(group, left);
      if (left === 0) for (const dependant of this.groupDependants.get(group) ?? []) this.release(dependant);
    }
  }

  private release(position: number): void {
    this.waitingOn[position] = (this.waitingOn[position] as number) - 1;
    if (this.waitingOn[position] === 0) this.ready.push(position);
  }
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
