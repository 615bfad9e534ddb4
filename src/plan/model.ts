// The plan: plain, serialisable data. It is the JSON contract (`wxconf plan --format json`, --out), what
// the renderers draw and what apply executes. Consumers ignore keys they do not know.
import type { Json, JsonObject } from "../json.js";
import type { EndpointName } from "../wechat/endpoints.js";

/** 1.1: the checksum covers the file, the live facts the plan depends on and the steps (`fingerprint`). */
export const PLAN_FORMAT_VERSION = "1.1";

export type Action = "create" | "update" | "delete";
export type ResourceKind = "industry" | "tag" | "template" | "menu" | "conditional_menu";

/** One line of detail under a change: an attribute, a button, the members, the precedence. */
export interface Detail {
  /** What the line is about: "name", "服务 > 官网", "members", "precedence". */
  path: string;
  action: Action;
  /** For a changed attribute of `path` (a button's url). */
  attribute?: string;
  before?: Json;
  after?: Json;
  /** Words for values that are not plain ("deleted by WeChat with its industry"). */
  note?: string;
}

export interface Change {
  /** `tag.VIP`, `menu.default`, `conditional_menu.testers`, `template.order_shipped`, `industry`. */
  address: string;
  kind: ResourceKind;
  name: string;
  /** ["create"], ["update"], ["delete"], or ["delete", "create"] for a replacement. */
  actions: Action[];
  /** Why, in words: "conditional menus cannot be updated: its buttons changed". */
  reason: string;
  before: Json | null;
  after: Json | null;
  details: Detail[];
}

/** One API call apply will make, in order. Bodies hold `{ "$ref": ... }` for values known after apply. */
export interface Step {
  index: number;
  /** The change this call serves, and its kind. */
  address: string;
  kind: ResourceKind;
  description: string;
  endpoint: EndpointName;
  method: "GET" | "POST";
  path: string;
  body?: JsonObject;
  /** A value this call returns that later steps use: `{ ref: "tag.VIP.id", from: "tag.id" }`. */
  produces?: { ref: string; from: string };
}

/** A live object of a managed kind that the file does not list: information, not drift. */
export interface Unmanaged {
  address: string;
  kind: ResourceKind;
  note: string;
}

export type SafetyRule = "tag_with_followers" | "default_menu_delete" | "industry_change" | "mass_delete" | "mass_untag" | "console_menu_replaced";

/**
 * Deleting (or untagging) more than this share of a kind's objects (of a tag's followers), when there are
 * at least MASS_MINIMUM, is a mass change that needs --allow-destroy.
 */
export const MASS_SHARE = 0.3;
export const MASS_MINIMUM = 10;

/** A destructive change that apply performs only with --allow-destroy. */
export interface SafetyFinding {
  rule: SafetyRule;
  address: string;
  message: string;
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
  managed: ResourceKind[];
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

/** `tag.VIP`, or `tag["two words"]` when the name is not a plain word. */
export function addressOf(kind: ResourceKind, name: string): string {
  return /^[^\s."'[\]\\]+$/.test(name) ? `${kind}.${name}` : `${kind}[${JSON.stringify(name)}]`;
}

export function summarize(changes: readonly Change[], steps: readonly Step[]): PlanSummary {
  const count = (action: Action) => changes.filter((change) => change.actions.includes(action)).length;
  return { add: count("create"), change: count("update"), destroy: count("delete"), calls: steps.length };
}
