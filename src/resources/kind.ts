// The contract of a resource kind, and the data kinds produce. A kind is one folder of src/resources/
// listed once in the registry (index.ts); the planner, apply, the checksum and the renderers work on what
// this file describes and never name a kind (the way octoDNS keeps a record type in one module).
//
// What a kind must do:
// - `section`: the key of the file it owns; the kind's section.ts adds its desired type to DesiredSections
//   (TypeScript module augmentation), so that `desired.<section>` is typed without a central list. The
//   kind is managed when its section is present, and not read at all otherwise.
// - `check(file, context)`: WeChat's rules and its own consistency for its section (after the schema), as
//   problems at paths; `fromFile(file, context)`: the section as the plan compares it, defaults applied.
//   `context.dir` is the file's folder, for paths a section names (an asset's image).
// - `read(desired, session)`: read what its diff needs through the shared ReadSession (each API is called
//   once per plan however many kinds ask), returning its part of LiveState.
// - `diff(desired, live, facts)`: pure, no I/O. Returns its changes, the steps (API calls) that make them,
//   what it leaves unmanaged, warnings, problems (which make the plan fail), destructive findings (which
//   need --allow-destroy) and the facts later kinds need (PlanFacts). Each step has an id and says which
//   steps (ids or groups) it must come after; the planner orders them (plan/order.ts).
// - `confirm(step, body, change, read)`: after a write whose outcome is unknown (a lost answer, -1 to a
//   create), and before every create that is not idempotent, re-read and say whether the call's effect is
//   already on the account (for a create: with the answer a create would have given, such as the new id).
// - `fingerprint(live, deleted)`: the live facts its plan depends on, by address, for the checksum: every
//   fact that changes what apply would do, and nothing volatile.
// What a kind may do: `pictures(desired)`, the menus of its section as followers see them (`wxconf
// preview`); `outputs(desired, session)`, the ids application code needs (`wxconf output`);
// `importRead(session, options)` and `toFile(live, context)`, its section of `wxconf import` (what the live
// account reads as in a file: `plan` on it shows no changes); `prunable`, whether `prune.<section>` applies;
// export helpers for the kinds after it (a tag's id placeholder, the group of steps
// that use a tag), and read what earlier kinds read (LiveState is shared).
import type { Document } from "yaml";
import type { RuleProblem } from "../config/issues.js";
import type { Json, JsonObject } from "../json.js";
import type { ArticleState, ReadClient } from "../wechat/client.js";
import type { Placeholder, WriteRequest } from "../wechat/requests.js";
import type {
  ApiIndustry,
  ApiMaterial,
  ApiSubscription,
  ApiTag,
  ApiTemplate,
  MenuButton,
  MenuState,
  PublicSubscriptionKeyword,
  PublicSubscriptionTitle,
} from "../wechat/types.js";

/**
 * The desired state, one field per kind's section (`tags`, `menu`...), each added by its kind's section.ts
 * (`declare module "../kind.js" { interface DesiredSections { tags?: DesiredTag[] } }`). Absent = not managed.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the kinds' section.ts files add the fields (module augmentation).
export interface DesiredSections {}

export interface DesiredState extends DesiredSections {
  app_id: string;
  /** Per section: delete live objects the file does not list (`prune.tags`). */
  prune: Readonly<Record<string, boolean>>;
}

export type Action = "create" | "update" | "delete";

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
  kind: string;
  name: string;
  /** ["create"], ["update"], ["delete"], or ["delete", "create"] for a replacement. */
  actions: Action[];
  /** Why, as a code (`renamed`, `cannot_update`, `precedence_moved`...); render/reasons.ts has the sentences. */
  reason_code: string;
  /** The values the reason speaks of (`{ from: "老客户", id: 101 }`). */
  reason_args?: JsonObject;
  before: Json | null;
  after: Json | null;
  details: Detail[];
}

/** A live object of a managed kind that the file does not list: information, not drift. */
export interface Unmanaged {
  address: string;
  kind: string;
  note: string;
}

/** A destructive change that apply performs only with --allow-destroy: `rule` names it for people and scripts. */
export interface SafetyFinding {
  rule: string;
  address: string;
  message: string;
}

/**
 * Deleting (or untagging) more than this share of a kind's objects (of a tag's followers), when there are
 * at least MASS_MINIMUM, is a mass change that needs --allow-destroy.
 */
export const MASS_SHARE = 0.3;
export const MASS_MINIMUM = 10;

/** The mass-delete finding for `deleted` of `total` objects, if the share and the count make it one. */
export function massDelete(address: string, label: string, deleted: number, total: number): SafetyFinding[] {
  if (total < MASS_MINIMUM || deleted / total <= MASS_SHARE) return [];
  return [
    {
      rule: "mass_delete",
      address,
      message: `deleting ${deleted} of ${total} ${label} (${Math.round((100 * deleted) / total)}%, more than ${MASS_SHARE * 100}% of ${MASS_MINIMUM} or more)`,
    },
  ];
}

/** `tag.VIP`, or `tag["two words"]` when the name is not a plain word. */
export function addressOf(kind: string, name: string): string {
  return /^[^\s."'[\]\\]+$/.test(name) ? `${kind}.${name}` : `${kind}[${JSON.stringify(name)}]`;
}

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
  /** gettemplate: the account's subscription templates. */
  subscriptions?: ApiSubscription[];
  /** The public subscription templates of the account's categories, and the keywords of the tids the file names. */
  subscriptionLibrary?: { titles: PublicSubscriptionTitle[]; keywords: Record<string, PublicSubscriptionKeyword[]> };
  /** batchget_material: every permanent material (for assets, wxconf's uploads by their names). */
  materials?: ApiMaterial[];
  /** For import: the images wxconf uploaded that live menus use, downloaded (their bytes match their names' hash). */
  assetImages?: Array<{ name: string; filename: string; media_id: string; bytes: Uint8Array }>;
  /** What the account has of the material and articles the file's default menu names by id. */
  menuReferences?: ReferenceFacts;
  /** The same, for the file's conditional menus. */
  conditionalMenuReferences?: ReferenceFacts;
}

/** Whether the ids buttons name exist on the account; `unreadable` when WeChat would not say. */
export interface ReferenceFacts {
  materialIds?: string[];
  articles: Record<string, ArticleState>;
  unreadable: string[];
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
  subscriptions(): Promise<ApiSubscription[]> {
    return this.once("subscriptions", () => this.reader.getSubscriptions());
  }
  subscriptionTitles(): Promise<PublicSubscriptionTitle[]> {
    return this.once("subscription-titles", async () => this.reader.getSubscriptionTitles(await this.reader.getSubscriptionCategories()));
  }
  subscriptionKeywords(tid: string): Promise<PublicSubscriptionKeyword[]> {
    return this.once(`subscription-keywords:${tid}`, () => this.reader.getSubscriptionKeywords(tid));
  }
  materials(): Promise<ApiMaterial[]> {
    return this.once("materials", () => this.reader.getMaterials());
  }
  materialImage(mediaId: string): Promise<Buffer> {
    return this.once(`material-image:${mediaId}`, () => this.reader.getMaterialImage(mediaId));
  }
  article(articleId: string): Promise<ArticleState> {
    return this.once(`article:${articleId}`, () => this.reader.getArticle(articleId));
  }
}

/**
 * Facts a kind's diff hands to the kinds after it in the registry, as explicit outputs. Absent when the
 * kind that produces it is not managed: a consumer then falls back on the live state.
 */
export interface PlanFacts {
  /** Tag name -> id after apply, or a placeholder for a tag this plan creates (from tags). */
  tagIds?: ReadonlyMap<string, number | Placeholder>;
  /** Templates WeChat deletes because the industry changes (from industry). */
  templatesDeletedByIndustry?: readonly ApiTemplate[];
  /** Asset name -> media_id after apply, or a placeholder for an asset this plan uploads (from assets). */
  assetIds?: ReadonlyMap<string, string | Placeholder>;
  /** Whether the default menu exists after apply, and whether this plan deletes it (from menu). */
  defaultMenu?: "present" | "absent" | "deleted";
}

/** A step before it is ordered and numbered: a request, what it is for, and what it must come after. */
export interface StepDraft {
  /** Unique in the plan, conventionally the address and the action: `tag.VIP:create`. */
  id: string;
  /** Names of groups other steps can depend on as a whole (`tag:untag`). */
  groups?: string[];
  /** Ids or groups this step must come after; a name no step of the plan has is no constraint. */
  after?: string[];
  /** It deletes an object: it runs as late as the steps that depend on it allow. */
  removes?: boolean;
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
  /** Destructive changes, which apply makes only with --allow-destroy. */
  safety: SafetyFinding[];
  /** What this kind tells the kinds after it. */
  facts: PlanFacts;
}

export function emptyKindPlan(): KindPlan {
  return { changes: [], steps: [], unmanaged: [], warnings: [], problems: [], safety: [], facts: {} };
}

/** One API call of a plan, as apply sees it: the step's request, with its body's placeholders resolved. */
export interface StepCall {
  address: string;
  endpoint: WriteRequest["endpoint"];
}

/**
 * Whether a write's effect is on the account, found by re-reading what it affects. When it is, `answer`
 * stands in for the call's answer (a new tag's id, a new template's id).
 */
export type Confirmation = { applied: true; answer: JsonObject } | { applied: false };
export const APPLIED: Confirmation = { applied: true, answer: {} };
export const NOT_APPLIED: Confirmation = { applied: false };

/** Where the file is: paths it names (an asset's file) are relative to its folder. */
export interface SectionContext {
  dir: string;
}

export interface ResourceModule<K extends string = string> {
  /** Addresses start with it (`tag.VIP`); plans list it in `managed`. */
  kind: K;
  /** The key of the file this kind owns; present = managed. */
  section: keyof DesiredSections & string;
  check(file: Readonly<Record<string, unknown>>, context: SectionContext): RuleProblem[];
  /** Its part of the desired state; called only when the file has no problems. */
  fromFile(file: Readonly<Record<string, unknown>>, context: SectionContext): Partial<DesiredSections>;
  read(desired: DesiredState, session: ReadSession): Promise<LiveState>;
  diff(desired: DesiredState, live: LiveState, facts: PlanFacts): KindPlan;
  confirm(step: StepCall, body: JsonObject, change: Change | undefined, read: ReadClient): Promise<Confirmation>;
  fingerprint(live: LiveState, deleted: ReadonlySet<string>): Record<string, Json>;
  pictures?(desired: DesiredState): MenuPicture[];
  outputs?(desired: DesiredState, session: ReadSession): Promise<OutputSection[]>;
  importRead?(session: ReadSession, options: ImportReadOptions): Promise<LiveState>;
  toFile?(live: LiveState, context: ImportContext): SectionImport;
  prunable?: true;
}

/** A named set of ids for application code (`wxconf output`): `tags: { VIP: 101 }`; `env` names its env lines. */
export interface OutputSection {
  name: string;
  values: Record<string, Json>;
  /** The prefix of its lines in `--format env` (WXCONF_TAG_); absent: JSON only. */
  envPrefix?: string;
}

export interface ImportReadOptions {
  withMembers: boolean;
  /** Files can be written beside the output (import -o): images may be downloaded to become assets. */
  withAssets: boolean;
}

/** What `wxconf import` asks of a kind. */
export interface ImportContext {
  withMembers: boolean;
  /** The sections the kinds before this one wrote (conditional menus need the default menu's). */
  exported: Readonly<Record<string, unknown>>;
}

/** A console-menu button the API cannot create: import writes it as a comment, and exits 1 unless --lenient. */
export interface DroppedButton {
  path: string;
  type: string;
  /** What the button did, for the comment that replaces it. */
  summary: string;
  /** A type the API can create, but the console left out fields it needs (a mini-program button's url). */
  missing?: string[];
}

export interface SectionImport {
  /** The section's value; undefined leaves the section out (not managed). */
  value?: unknown;
  /** Comments and flow style, once the document exists. */
  decorate?(doc: Document): void;
  notices: string[];
  dropped?: DroppedButton[];
  /** Files to write beside the output, by path relative to it (an asset's image). */
  files?: Array<{ path: string; bytes: Uint8Array }>;
}

/** A menu of the file, for `wxconf preview`. */
export interface MenuPicture {
  address: string;
  subtitle: string;
  buttons: MenuButton[];
}

/** Keeps a kind's name as a literal type, so that the registry can derive ResourceKind from its list. */
export function defineKind<K extends string>(module: ResourceModule<K>): ResourceModule<K> {
  return module;
}

/** Thrown when the file cannot be applied to this account as it is; lists every reason. */
export class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "PlanError";
  }
}
