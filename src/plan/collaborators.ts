// What apply needs from the planner and the kinds, handed to it (apply does not import the planner).
import type { DesiredState } from "../resources/kind.js";
import type { JsonObject } from "../json.js";
import { KINDS, kindOf } from "../resources/index.js";
import type { Confirmation } from "../resources/kind.js";
import type { ReadClient } from "../wechat/client.js";
import { makePlan } from "./build.js";
import type { Plan, Step } from "./model.js";

export function applyCollaborators(plan: Plan, desired: DesiredState, read: ReadClient) {
  return {
    /** The step's kind re-reads what the step affects. */
    confirm(step: Step, body: JsonObject): Promise<Confirmation> {
      const kind = kindOf(step.kind);
      if (!kind) throw new Error(`bug: no resource kind ${step.kind} in the registry`);
      return kind.confirm(
        step,
        body,
        plan.changes.find((change) => change.address === step.address),
        read,
      );
    },
    async replan(kinds: readonly string[]): Promise<Plan> {
      // The sections of the other kinds are left out: they are not read, nor compared.
      const only: DesiredState = { ...desired };
      for (const kind of KINDS) if (!kinds.includes(kind.kind)) delete only[kind.section];
      return (await makePlan(plan.config_file, only, read)).plan;
    },
  };
}
