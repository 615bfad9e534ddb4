// The write requests wxconf makes, built in one place: the typed client sends them, and the planner puts
// them into a plan's steps so that what a reviewer reads is exactly what apply sends.
import type { Json, JsonObject } from "../json.js";
import type { EndpointName } from "./endpoints.js";
import { buttonsToJson, matchruleToJson } from "./normalize.js";
import type { Matchrule, MenuButton } from "./types.js";

/**
 * A value known only after an earlier call of the same apply (a new tag's id): `{ "$ref": "tag.VIP.id" }`,
 * with `"as": "string"` where WeChat wants the value as a string.
 */
export type Placeholder = { $ref: string } | { $ref: string; as: "string" };

export function isPlaceholder(value: unknown): value is Placeholder {
  return typeof value === "object" && value !== null && typeof (value as { $ref?: unknown }).$ref === "string";
}

/**
 * A string that stands for a placeholder where a value must be a string until the request is built (a
 * button's media_id): plans show it as it reads, and requests carry it as `{ "$ref": ... }`.
 */
export const deferred = (ref: string): string => `(known after apply: ${ref})`;
const DEFERRED = /^\(known after apply: (.+)\)$/;

function withPlaceholders(value: Json): Json {
  if (typeof value === "string") {
    const ref = DEFERRED.exec(value)?.[1];
    return ref === undefined ? value : { $ref: ref };
  }
  if (Array.isArray(value)) return value.map(withPlaceholders);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withPlaceholders(item)]));
  return value;
}

export interface WriteRequest {
  endpoint: EndpointName;
  /** Query parameters besides access_token (`kfaccount/del?kf_account=`). */
  query?: Record<string, string>;
  body?: JsonObject;
}

export const requests = {
  createMenu: (button: readonly MenuButton[]): WriteRequest => ({ endpoint: "menuCreate", body: { button: withPlaceholders(buttonsToJson(button)) } }),
  deleteMenu: (): WriteRequest => ({ endpoint: "menuDelete" }),
  addConditionalMenu: (button: readonly MenuButton[], matchrule: Matchrule, tagId?: Placeholder): WriteRequest => ({
    endpoint: "menuAddConditional",
    body: {
      button: withPlaceholders(buttonsToJson(button)),
      matchrule: { ...matchruleToJson(matchrule), ...(tagId && { tag_id: { $ref: tagId.$ref, as: "string" } }) },
    },
  }),
  deleteConditionalMenu: (menuid: string): WriteRequest => ({ endpoint: "menuDelConditional", body: { menuid } }),
  createTag: (name: string): WriteRequest => ({ endpoint: "tagsCreate", body: { tag: { name } } }),
  renameTag: (id: number, name: string): WriteRequest => ({ endpoint: "tagsUpdate", body: { tag: { id, name } } }),
  deleteTag: (id: number): WriteRequest => ({ endpoint: "tagsDelete", body: { tag: { id } } }),
  tagFollowers: (tagid: number | Placeholder, openids: readonly string[]): WriteRequest => ({
    endpoint: "tagsBatchTagging",
    body: { openid_list: [...openids], tagid },
  }),
  untagFollowers: (tagid: number | Placeholder, openids: readonly string[]): WriteRequest => ({
    endpoint: "tagsBatchUntagging",
    body: { openid_list: [...openids], tagid },
  }),
  setIndustry: (primary: number, secondary: number): WriteRequest => ({
    endpoint: "templateSetIndustry",
    body: { industry_id1: String(primary), industry_id2: String(secondary) },
  }),
  addTemplate: (templateIdShort: string, keywords: readonly string[]): WriteRequest => ({
    endpoint: "templateAdd",
    body: { template_id_short: templateIdShort, keyword_name_list: [...keywords] },
  }),
  deleteTemplate: (templateId: string): WriteRequest => ({ endpoint: "templateDelete", body: { template_id: templateId } }),
  addSubscription: (tid: string, kidList: readonly number[], sceneDesc: string): WriteRequest => ({
    endpoint: "subscriptionAdd",
    body: { tid, kidList: [...kidList], sceneDesc },
  }),
  deleteSubscription: (priTmplId: string): WriteRequest => ({ endpoint: "subscriptionDelete", body: { priTmplId } }),
  /** Multipart: `media` is the file's bytes (read at apply, relative to the configuration file's folder). */
  uploadImage: (image: { file: string; filename: string; sha256: string; content_type: string }): WriteRequest => ({
    endpoint: "materialAdd",
    query: { type: "image" },
    body: { media: { file: image.file, filename: image.filename, sha256: image.sha256, content_type: image.content_type } },
  }),
  deleteMaterial: (mediaId: string): WriteRequest => ({ endpoint: "materialDelete", body: { media_id: mediaId } }),
};
