// What every resource kind module provides, and the data that flows between them.
// Each kind owns its knowledge: what to read, how to normalise and compare, which calls a change needs.
import type { DesiredState } from "../config/types.js";
import type { Json, JsonObject } from "../json.js";
import type { Change, ResourceKind, SafetyFinding, Step, Unmanaged } from "../plan/model.js";
import type { ReadClient } from "../wechat/client.js";
import { ENDPOINTS } from "../wechat/endpoints.js";
import type { Placeholder, WriteRequest } from "../wechat/requests.js";
import type { ApiIndustry, ApiTag, ApiTemplate, MenuState } from "../wechat/types.js";

/** What was read from the account, normalised. Only what the file's sections need is present. */
export interface LiveState {
  /** menu/get: the default menu and the conditional menus (oldest first). */
  menu?: MenuState;
  /** tags/get, the system tag 2 included. */
  tags?: ApiTag[];
  /** Followers by tag id, for the tags whose members the file declares. */
  members?: Record<string, string[]>;
  templates?: ApiTemplate[];
  industry?: ApiIndustry;
  /**
   * get_current_selfmenu_info, raw, read only when menu/get shows no menu: a menu published in the MP
   * console, which an API menu would replace.
   */
  consoleMenu?: JsonObject;
}

/**
 * Reads for one plan: each API is called at most once however many kinds need it, and every kind reads
 * at the same time, so the plan's critical path is the token, one parallel round, then member pages.
 */
export class ReadSession {
  private readonly cache = new Map<string, Promise<unknown>>();
  constructor(private readonly reader: ReadClient) {}

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let pending = this.cache.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read();
      this.cache.set(key, pending);
    }
    return pending;
  }

  menu(): Promise<MenuState> {
    return this.once("menu", () => this.reader.getMenu());
  }
  tags(): Promise<ApiTag[]> {
    return this.once("tags", () => this.reader.getTags());
  }
  members(tag: ApiTag): Promise<string[]> {
    return this.once(`members:${tag.id}`, () => this.reader.getTagMembers(tag.id, tag.count));
  }
  templates(): Promise<ApiTemplate[]> {
    return this.once("templates", () => this.reader.getTemplates());
  }
  industry(): Promise<ApiIndustry> {
    return this.once("industry", () => this.reader.getIndustry());
  }
  selfMenu(): Promise<JsonObject> {
    return this.once("selfmenu", () => this.reader.getSelfMenuInfo());
  }
}

/** Facts an earlier kind's diff hands to later ones (the order is industry, tags, templates, menu, conditional menus). */
export interface PlanContext {
  /** Tag name -> id after apply, or a placeholder for a tag this plan creates. */
  tagIds: Map<string, number | Placeholder>;
  /** Templates WeChat deletes because the industry changes. */
  templatesDeletedByIndustry: ApiTemplate[];
  /** Whether the default menu exists after apply, and whether this plan deletes it. */
  defaultMenu: "present" | "absent" | "deleted";
}

/**
 * The order of calls. Renames before creates (a freed name), untagging before tagging (20 tags a follower),
 * deletes of conditional menus before adds (3 URL domains), deletes of what may still be referenced last.
 */
export const PHASE = {
  industry: 1,
  tagRename: 2,
  tagCreate: 3,
  untag: 4,
  tag: 5,
  /** Only when the 25-template cap would be passed otherwise. */
  templateDeleteFirst: 6,
  templateAdd: 7,
  defaultMenu: 8,
  conditionalDelete: 9,
  conditionalAdd: 10,
  templateDelete: 11,
  tagDelete: 12,
} as const;

/** A step before it is numbered: a request, its phase, and what it is for. */
export interface StepDraft {
  phase: number;
  address: string;
  description: string;
  request: WriteRequest;
  produces?: { ref: string; from: string };
}

export interface KindPlan {
  changes: Change[];
  steps: StepDraft[];
  unmanaged: Unmanaged[];
  warnings: string[];
  /** Problems that make the file impossible to apply to this account (plan fails with them). */
  problems: string[];
  /** Destructive changes this kind finds, which apply makes only with --allow-destroy. */
  safety: SafetyFinding[];
}

export function emptyKindPlan(): KindPlan {
  return { changes: [], steps: [], unmanaged: [], warnings: [], problems: [], safety: [] };
}

/**
 * Whether a write whose answer was lost took effect, found by re-reading what it affects. When it did,
 * `answer` stands in for the lost answer (a new tag's id, a new template's id).
 */
export type Confirmation = { applied: true; answer: JsonObject } | { applied: false };
export const APPLIED: Confirmation = { applied: true, answer: {} };
export const NOT_APPLIED: Confirmation = { applied: false };

export interface ResourceModule {
  kind: ResourceKind;
  managed(desired: DesiredState): boolean;
  /** Reads what this kind needs, through the shared session. */
  read(desired: DesiredState, session: ReadSession): Promise<LiveState>;
  diff(desired: DesiredState, live: LiveState, context: PlanContext): KindPlan;
  /** After a lost answer: re-reads the object `step` changed (its body resolved) and says whether the call took effect. */
  confirm(step: Step, body: JsonObject, change: Change | undefined, read: ReadClient): Promise<Confirmation>;
  /**
   * The live facts a plan of this kind depends on, by address, for the plan's checksum: everything that
   * changes what apply would do, and nothing volatile (a tag's follower count matters only when the plan
   * deletes the tag, `deleted` holding the addresses the plan deletes).
   */
  fingerprint(live: LiveState, deleted: ReadonlySet<string>): Record<string, Json>;
}

export function toStep(draft: StepDraft, kind: ResourceKind, index: number): Step {
  const endpoint = ENDPOINTS[draft.request.endpoint];
  return {
    index,
    address: draft.address,
    kind,
    description: draft.description,
    endpoint: draft.request.endpoint,
    method: endpoint.method,
    path: endpoint.path,
    ...(draft.request.body !== undefined && { body: draft.request.body }),
    ...(draft.produces && { produces: draft.produces }),
  };
}

/** Thrown when the file cannot be applied to this account as it is; lists every reason. */
export class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "PlanError";
  }
}
