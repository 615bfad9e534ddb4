// The plan: plain, serialisable data. It is the JSON contract (`wxconf plan --format json`, --out), what
// the renderers draw and what apply executes. Consumers ignore keys they do not know.
import type { JsonObject } from "../json.js";
import type { Action, Change, SafetyFinding, Unmanaged } from "../resources/kind.js";
import type { EndpointName } from "../wechat/endpoints.js";

/** 1.1: the checksum covers the file, the live facts the plan depends on and the steps (`fingerprint`). */
export const PLAN_FORMAT_VERSION = "1.1";

export type { Action, Change, Detail, SafetyFinding, Unmanaged } from "../resources/kind.js";
export { addressOf } from "../resources/kind.js";

/**
 * One API call apply will make, in order. Bodies hold `{ "$ref": ... }` for values known after apply.
 * `id`, `groups` and `after` are the dependencies the order was computed from: a step may run once every
 * step named in `after` (by id, or all steps of a group) is done.
 */
export interface Step {
  index: number;
  id: string;
  groups?: string[];
  after?: string[];
  /** The change this call serves, and its kind. */
  address: string;
  kind: string;
  description: string;
  endpoint: EndpointName;
  method: "GET" | "POST";
  path: string;
  /** Query parameters besides access_token. */
  query?: Record<string, string>;
  body?: JsonObject;
  /** A value this call returns that later steps use: `{ ref: "tag.VIP.id", from: "tag.id" }`. */
  produces?: { ref: string; from: string };
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  /** API calls apply will make (the steps). */
  calls: number;
}

export interface Plan {
  format_version: string;
  tool: { name: "wxconf"; version: string };
  account: { app_id: string };
  config_file: string;
  /** `sha256:` of the fingerprint and the steps: what the plan depends on and what apply would do. */
  checksum: string;
  fingerprint: Fingerprint;
  /** The kinds the file manages; the others were neither read nor compared. */
  managed: string[];
  changes: Change[];
  unmanaged: Unmanaged[];
  steps: Step[];
  summary: PlanSummary;
  safety: SafetyFinding[];
  warnings: string[];
}

/**
 * What a plan depends on, so that a refusal can say what changed: the file (its desired state) and the
 * live facts by address. Follower counts are left out (they change all the time) except for tags the plan
 * deletes.
 */
export interface Fingerprint {
  file: string;
  account: Record<string, string>;
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0;
}

export function summarize(changes: readonly Change[], steps: readonly Step[]): PlanSummary {
  const count = (action: Action) => changes.filter((change) => change.actions.includes(action)).length;
  return { add: count("create"), change: count("update"), destroy: count("delete"), calls: steps.length };
}
