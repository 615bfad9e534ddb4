import type { Credentials } from "../config/types.js";
import { isJsonObject, type Json, type JsonObject } from "../json.js";
import { ENDPOINTS, type Endpoint } from "./endpoints.js";
import { errcodeInfo } from "./errcodes.js";
import { UnexpectedAnswerError, WeChatError } from "./errors.js";
import { createDispatcher, MAX_ANSWER_BYTES, resolveApiBase, timeoutsFromEnv } from "./http.js";
import { cleanButtons, normalizeIndustry, normalizeMenuGet, normalizeTags, normalizeTemplates } from "./normalize.js";
import { registerSecretsFromEnv } from "../secrets.js";
import { writeStderr } from "../sink.js";
import { requests, type WriteRequest } from "./requests.js";
import { ARTICLE_MISSING, MATERIAL_MAX_PER_TYPE, MATERIAL_PAGE_SIZE, MATERIAL_TYPES, SUBSCRIPTION_LIMITS, TAG_LIMITS } from "./rules.js";
import { selectTokenProvider, type TokenProvider } from "./token.js";
import { retryPolicyFromEnv, Transport, type RetryEvent, type RetryPolicy } from "./transport.js";
import { openWire } from "./wire.js";
import type {
  ApiIndustry,
  ApiQuota,
  ApiMaterial,
  ApiSubscription,
  ApiTag,
  ApiTemplate,
  CallbackProbe,
  Matchrule,
  MenuButton,
  MenuState,
  PublicSubscriptionKeyword,
  PublicSubscriptionTitle,
} from "./types.js";

/** Everything wxconf reads. `plan`, `drift`, `import` and `output` get only this: they cannot write. */
export interface ReadClient {
  getMenu(): Promise<MenuState>;
  /** get_current_selfmenu_info, raw: it also shows a menu made in the MP console. */
  getSelfMenuInfo(): Promise<JsonObject>;
  tryMatch(userId: string): Promise<MenuButton[]>;
  getTags(): Promise<ApiTag[]>;
  /** All followers with the tag, page by page; `knownCount` (from tags/get) saves the final empty page. */
  getTagMembers(tagId: number, knownCount?: number): Promise<string[]>;
  getTagsOfFollower(openid: string): Promise<number[]>;
  getTemplates(): Promise<ApiTemplate[]>;
  getIndustry(): Promise<ApiIndustry>;
  getQuota(cgiPath: string): Promise<ApiQuota>;
  /** WeChat's own reachability probe of the message server (callback/check). */
  checkCallback(): Promise<CallbackProbe>;
  /** The account's subscription categories' ids (getcategory). */
  getSubscriptionCategories(): Promise<string[]>;
  /** Every public subscription template of these categories, page by page (getpubtemplatetitles). */
  getSubscriptionTitles(categoryIds: readonly string[]): Promise<PublicSubscriptionTitle[]>;
  getSubscriptionKeywords(tid: string): Promise<PublicSubscriptionKeyword[]>;
  /** The account's subscription templates (gettemplate). */
  getSubscriptions(): Promise<ApiSubscription[]>;
  /** Every permanent material (get_materialcount, then batchget_material by type, 20 a page). */
  getMaterials(): Promise<ApiMaterial[]>;
  /** An image material's bytes (get_material answers them raw). */
  getMaterialImage(mediaId: string): Promise<Buffer>;
  /** A published article (freepublish/getarticle): 53600 means there is none. */
  getArticle(articleId: string): Promise<ArticleState>;
}

export type ArticleState = "published" | "deleted" | "missing";

export interface WriteClient {
  /** Sends a request as built by `requests` (placeholders already resolved) and returns WeChat's answer. */
  send(request: WriteRequest): Promise<JsonObject>;
  createMenu(button: readonly MenuButton[]): Promise<void>;
  deleteMenu(): Promise<void>;
  addConditionalMenu(button: readonly MenuButton[], matchrule: Matchrule): Promise<string>;
  deleteConditionalMenu(menuid: string): Promise<void>;
  createTag(name: string): Promise<ApiTag>;
  renameTag(id: number, name: string): Promise<void>;
  deleteTag(id: number): Promise<void>;
  tagFollowers(tagId: number, openids: readonly string[]): Promise<void>;
  untagFollowers(tagId: number, openids: readonly string[]): Promise<void>;
  setIndustry(primary: number, secondary: number): Promise<void>;
  addTemplate(templateIdShort: string, keywords: readonly string[]): Promise<string>;
  deleteTemplate(templateId: string): Promise<void>;
}

export interface ClientOptions {
  credentials: Credentials;
  /** --api-base; $WXCONF_API_BASE and then WeChat otherwise. */
  apiBase?: string;
  env?: Readonly<Record<string, string | undefined>>;
  retry?: Partial<RetryPolicy>;
  maxInFlight?: number;
  onRetry?: (event: RetryEvent) => void;
  /** Where WXCONF_DEBUG=1 writes one redacted line per request. */
  debug?: (line: string) => void;
  /** The folder upload paths are relative to (the configuration file's). */
  filesDir?: string;
}

export interface ClientStats {
  requests: number;
  writes: number;
}

interface Connection {
  caller: Caller;
  transport: Transport;
  /** Starts fetching the access token now; a failure is reported by the first call that needs it. */
  prefetchToken(): void;
  close(): Promise<void>;
  /** Ends every connection now, calls in flight included (after an interrupt). */
  destroy(): Promise<void>;
}

function connect(options: ClientOptions, allowWrites: boolean): Connection {
  const env = options.env ?? process.env;
  const apiBase = resolveApiBase(options.apiBase, env);
  const timeouts = timeoutsFromEnv(env);
  const wire = openWire(timeouts, createDispatcher(timeouts, env));
  registerSecretsFromEnv(env);
  const retry = { ...retryPolicyFromEnv(env), ...options.retry };
  const debug = options.debug ?? (env.WXCONF_DEBUG ? (line: string) => writeStderr(`[wxconf] ${line}\n`) : undefined);
  const transport = new Transport({
    apiBase,
    wire,
    deadlineMs: timeouts.answerMs,
    maxAnswerBytes: MAX_ANSWER_BYTES,
    retry,
    ...(options.maxInFlight !== undefined && { maxInFlight: options.maxInFlight }),
    ...(options.onRetry && { onRetry: options.onRetry }),
    ...(debug && { debug }),
    ...(options.filesDir !== undefined && { filesDir: options.filesDir }),
  });
  const tokens = selectTokenProvider(options.credentials, transport, env);
  return {
    caller: new Caller(transport, tokens, allowWrites, 2 * retry.baseMs),
    transport,
    prefetchToken: () => void tokens.token().catch(() => undefined),
    close: () => wire.close(),
    destroy: async () => {
      transport.abortAll();
      await wire.destroy();
    },
  };
}

export interface OpenClient {
  read: ReadClient;
  stats(): ClientStats;
  prefetchToken(): void;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

/** A client that can only read: for plan, drift, import and output. */
export function openReadClient(options: ClientOptions): OpenClient {
  const connection = connect(options, false);
  return {
    read: readClient(connection.caller),
    stats: () => ({ ...connection.transport.stats }),
    prefetchToken: connection.prefetchToken,
    close: connection.close,
    destroy: connection.destroy,
  };
}

/** A client that reads and writes: for apply. */
export function openClient(options: ClientOptions): OpenClient & { write: WriteClient } {
  const connection = connect(options, true);
  return {
    read: readClient(connection.caller),
    write: writeClient(connection.caller),
    stats: () => ({ ...connection.transport.stats }),
    prefetchToken: connection.prefetchToken,
    close: connection.close,
    destroy: connection.destroy,
  };
}

/** Adds the access token and WeChat's per-code handling on top of the transport's retries. */
class Caller {
  constructor(
    private readonly transport: Transport,
    private readonly tokens: TokenProvider,
    private readonly allowWrites: boolean,
    private readonly taggingPauseMs: number,
  ) {}

  async call(endpoint: Endpoint, body?: JsonObject, tolerate: readonly number[] = [], query?: Readonly<Record<string, string>>): Promise<JsonObject> {
    if (endpoint.write && !this.allowWrites) throw new Error(`${endpoint.path} changes the account, and this client is read-only`);
    let token = await this.tokens.token();
    let tokenRefreshed = false;
    let taggingRetried = false;
    for (;;) {
      const answer = await this.transport.send(endpoint, { token, ...(query && { query }), ...(body && { body }) });
      const errcode = Number(answer.errcode ?? 0);
      if (errcode === 0 || tolerate.includes(errcode)) return answer;
      const retry = errcodeInfo(errcode)?.retry;
      if (retry === "token" && !tokenRefreshed && this.tokens.invalidate(token)) {
        tokenRefreshed = true;
        token = await this.tokens.token();
        continue;
      }
      if (retry === "tagging" && !taggingRetried && isTagging(endpoint)) {
        taggingRetried = true;
        await new Promise((resolve) => setTimeout(resolve, this.taggingPauseMs));
        continue;
      }
      throw new WeChatError(endpoint.path, errcode, String(answer.errmsg ?? ""));
    }
  }
}

const isTagging = (endpoint: Endpoint) => endpoint === ENDPOINTS.tagsBatchTagging || endpoint === ENDPOINTS.tagsBatchUntagging;

/**
 * Answers that lack what the call must return are refused: a read without its list would look like an
 * empty account, and apply would then create duplicates.
 */
function required(answer: JsonObject, endpoint: Endpoint, field: string, shape: "list" | "object" | "number"): JsonObject {
  const value = answer[field];
  const fits =
    shape === "list"
      ? Array.isArray(value)
      : shape === "object"
        ? isJsonObject(value)
        : typeof value === "number" || (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)));
  if (fits) return answer;
  throw new UnexpectedAnswerError(
    endpoint.path,
    `it has no '${field}' ${shape === "list" ? "list" : shape === "object" ? "object" : "number"} (errcode ${String(answer.errcode ?? "absent")})`,
    "WeChat always sends it; a proxy, gateway or another service may be answering for it (check --api-base and $WXCONF_API_BASE). Nothing was changed.",
  );
}

function readClient(caller: Caller): ReadClient {
  const read = async (endpoint: Endpoint, field: string, shape: "list" | "object" | "number", body?: JsonObject) =>
    required(await caller.call(endpoint, body), endpoint, field, shape);
  return {
    getMenu: async () => {
      const answer = await caller.call(ENDPOINTS.menuGet, undefined, [46003]);
      return normalizeMenuGet(Number(answer.errcode ?? 0) === 46003 ? answer : required(answer, ENDPOINTS.menuGet, "menu", "object"));
    },
    getSelfMenuInfo: () => read(ENDPOINTS.selfMenuInfo, "is_menu_open", "number"),
    tryMatch: async (userId) => {
      const answer = await caller.call(ENDPOINTS.menuTryMatch, { user_id: userId });
      return cleanButtons(required(isJsonObject(answer.menu) ? answer.menu : answer, ENDPOINTS.menuTryMatch, "button", "list").button);
    },
    getTags: async () => normalizeTags(await read(ENDPOINTS.tagsGet, "tags", "list")),
    getTagMembers: async (tagId, knownCount) => {
      const members: string[] = [];
      const cursors = new Set<string>();
      let next = "";
      for (;;) {
        // The last page may have no `data` (wechat-api.md §3); `count` is always there.
        const answer = await read(ENDPOINTS.tagMembers, "count", "number", { tagid: tagId, next_openid: next });
        const page = isJsonObject(answer.data) && Array.isArray(answer.data.openid) ? answer.data.openid.map(String) : [];
        for (const openid of page) members.push(openid);
        next = typeof answer.next_openid === "string" ? answer.next_openid : "";
        // A cursor seen before would page forever (a broken or hostile server): refuse it.
        if (page.length > 0 && next !== "" && cursors.size === cursors.add(next).size)
          throw new UnexpectedAnswerError(
            ENDPOINTS.tagMembers.path,
            `next_openid ${next} came back: its pages go round in a circle`,
            "is --api-base a WeChat API?",
          );
        // The end: an empty page or no next_openid; or as many as tags/get counted, saving a call.
        if (page.length === 0 || next === "" || (knownCount !== undefined && members.length >= knownCount)) return members;
        if (page.length > TAG_LIMITS.membersPageSize)
          throw new UnexpectedAnswerError(ENDPOINTS.tagMembers.path, "it returned more than a page", "is --api-base a WeChat API?");
      }
    },
    getTagsOfFollower: async (openid) => {
      const answer = await read(ENDPOINTS.tagsOfFollower, "tagid_list", "list", { openid });
      return (answer.tagid_list as Json[]).map(Number);
    },
    getTemplates: async () => normalizeTemplates(await read(ENDPOINTS.templateList, "template_list", "list")),
    getIndustry: async () => normalizeIndustry(await caller.call(ENDPOINTS.templateGetIndustry)),
    getMaterials: async () => {
      const counts = await read(ENDPOINTS.materialCount, "image_count", "number");
      const pages = MATERIAL_TYPES.flatMap((type) => {
        const total = Number(counts[`${type}_count`] ?? 0);
        // A count from the server sizes the reads: one past WeChat's own cap is not believed.
        if (!(total >= 0 && total <= MATERIAL_MAX_PER_TYPE))
          throw new UnexpectedAnswerError(
            ENDPOINTS.materialCount.path,
            `it counts ${String(counts[`${type}_count`])} ${type} materials`,
            "is --api-base a WeChat API?",
          );
        return Array.from({ length: Math.ceil(total / MATERIAL_PAGE_SIZE) }, (_, page) => ({ type, offset: page * MATERIAL_PAGE_SIZE }));
      });
      const answers = await Promise.all(
        pages.map(async (page) => ({ type: page.type, answer: await read(ENDPOINTS.materialList, "item", "list", { ...page, count: MATERIAL_PAGE_SIZE }) })),
      );
      return answers.flatMap(({ type, answer }) =>
        (answer.item as Json[]).filter(isJsonObject).map((item) => ({ media_id: String(item.media_id ?? ""), name: String(item.name ?? ""), type })),
      );
    },
    getMaterialImage: async (mediaId) => {
      const answer = await caller.call(ENDPOINTS.materialGet, { media_id: mediaId });
      if (typeof answer.content_base64 !== "string")
        throw new UnexpectedAnswerError(ENDPOINTS.materialGet.path, "it answered JSON, not the image's bytes", `is ${mediaId} an image material?`);
      return Buffer.from(answer.content_base64, "base64");
    },
    getArticle: async (articleId) => {
      const answer = await caller.call(ENDPOINTS.articleGet, { article_id: articleId }, [ARTICLE_MISSING]);
      if (Number(answer.errcode ?? 0) === ARTICLE_MISSING) return "missing";
      const items = (required(answer, ENDPOINTS.articleGet, "news_item", "list").news_item as Json[]).filter(isJsonObject);
      return items.length > 0 && items.every((item) => item.is_deleted === true) ? "deleted" : "published";
    },
    getSubscriptionCategories: async () => {
      const answer = await read(ENDPOINTS.subscriptionCategories, "data", "list");
      return (answer.data as Json[]).filter(isJsonObject).map((category) => String(category.id ?? ""));
    },
    getSubscriptionTitles: async (categoryIds) => {
      const titles: PublicSubscriptionTitle[] = [];
      if (categoryIds.length === 0) return titles;
      const size = SUBSCRIPTION_LIMITS.titlesPageSize;
      for (let start = 0; ; start += size) {
        if (start >= SUBSCRIPTION_LIMITS.maxPublicTitles)
          throw new UnexpectedAnswerError(
            ENDPOINTS.subscriptionTitles.path,
            `it listed more than ${SUBSCRIPTION_LIMITS.maxPublicTitles} titles`,
            "is --api-base a WeChat API?",
          );
        const query = { ids: categoryIds.join(","), start: String(start), limit: String(size) };
        const answer = required(await caller.call(ENDPOINTS.subscriptionTitles, undefined, [], query), ENDPOINTS.subscriptionTitles, "data", "list");
        const page = (answer.data as Json[]).filter(isJsonObject);
        for (const title of page) {
          titles.push({
            tid: String(title.tid ?? ""),
            title: String(title.title ?? ""),
            type: Number(title.type ?? 0),
            categoryId: String(title.categoryId ?? ""),
          });
        }
        if (page.length > size)
          throw new UnexpectedAnswerError(ENDPOINTS.subscriptionTitles.path, "it returned more than a page", "is --api-base a WeChat API?");
        if (page.length < size || titles.length >= Number(answer.count ?? 0)) return titles;
      }
    },
    getSubscriptionKeywords: async (tid) => {
      const answer = required(await caller.call(ENDPOINTS.subscriptionKeywords, undefined, [], { tid }), ENDPOINTS.subscriptionKeywords, "data", "list");
      return (answer.data as Json[]).filter(isJsonObject).map((keyword) => ({
        kid: Number(keyword.kid),
        name: String(keyword.name ?? ""),
        rule: String(keyword.rule ?? ""),
        example: String(keyword.example ?? ""),
      }));
    },
    getSubscriptions: async () => {
      const answer = await read(ENDPOINTS.subscriptionList, "data", "list");
      return (answer.data as Json[]).filter(isJsonObject).map((template) => ({
        priTmplId: String(template.priTmplId ?? ""),
        title: String(template.title ?? ""),
        content: String(template.content ?? ""),
        type: Number(template.type ?? 0),
      }));
    },
    checkCallback: async () => {
      const answer = await read(ENDPOINTS.callbackCheck, "ping", "list", { action: "all", check_operator: "DEFAULT" });
      const list = (value: Json | undefined) => (Array.isArray(value) ? value.filter(isJsonObject) : []);
      return {
        dns: list(answer.dns).map((entry) => ({ ip: String(entry.ip ?? ""), real_operator: String(entry.real_operator ?? "") })),
        ping: list(answer.ping).map((entry) => ({
          ip: String(entry.ip ?? ""),
          from_operator: String(entry.from_operator ?? ""),
          package_loss: String(entry.package_loss ?? ""),
          time: String(entry.time ?? ""),
        })),
      };
    },
    getQuota: async (cgiPath) => {
      const answer = await read(ENDPOINTS.quotaGet, "quota", "object", { cgi_path: cgiPath });
      const quota = answer.quota as JsonObject;
      return { daily_limit: Number(quota.daily_limit ?? 0), used: Number(quota.used ?? 0), remain: Number(quota.remain ?? 0) };
    },
  };
}

function writeClient(caller: Caller): WriteClient {
  const send = (request: WriteRequest) => caller.call(ENDPOINTS[request.endpoint], request.body, [], request.query);
  const done = async (request: WriteRequest) => {
    await send(request);
  };
  return {
    send,
    createMenu: (button) => done(requests.createMenu(button)),
    deleteMenu: () => done(requests.deleteMenu()),
    addConditionalMenu: async (button, matchrule) => String((await send(requests.addConditionalMenu(button, matchrule))).menuid ?? ""),
    deleteConditionalMenu: (menuid) => done(requests.deleteConditionalMenu(menuid)),
    createTag: async (name) => {
      const answer = await send(requests.createTag(name));
      const tag = isJsonObject(answer.tag) ? answer.tag : {};
      return { id: Number(tag.id), name: String(tag.name ?? name), count: 0 };
    },
    renameTag: (id, name) => done(requests.renameTag(id, name)),
    deleteTag: (id) => done(requests.deleteTag(id)),
    tagFollowers: (tagId, openids) => done(requests.tagFollowers(tagId, openids)),
    untagFollowers: (tagId, openids) => done(requests.untagFollowers(tagId, openids)),
    setIndustry: (primary, secondary) => done(requests.setIndustry(primary, secondary)),
    addTemplate: async (short, keywords) => String((await send(requests.addTemplate(short, keywords))).template_id ?? ""),
    deleteTemplate: (templateId) => done(requests.deleteTemplate(templateId)),
  };
}
