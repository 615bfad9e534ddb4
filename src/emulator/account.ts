// The emulator's one account, in memory: followers, tags and members, menus, templates, industry, quotas,
// tokens. Seeded from a YAML state file (EmulatorSeed) or an object in tests.
import { createHash, randomBytes } from "node:crypto";
import type { Json } from "../json.js";
import { ENDPOINTS } from "../wechat/endpoints.js";
import { cleanButtons, normalizeMatchrule } from "../wechat/normalize.js";
import { INDUSTRIES, isSystemTag, type MATERIAL_TYPES, RESERVED_TAGS, TAG_LIMITS } from "../wechat/rules.js";
import type { Matchrule, MenuButton } from "../wechat/types.js";
import { PUBLIC_SUBSCRIPTIONS, privateTemplate, type StoredSubscription, SUBSCRIPTION_CATEGORIES } from "./subscriptions.js";

export interface LibraryTemplate {
  template_id_short: string;
  title: string;
  /** The industry code the library template belongs to. */
  industry: number;
  /** The keywords a template can be made of. */
  keywords: string[];
}

/** The state file's shape: every field optional. */
export interface EmulatorSeed {
  app_id?: string;
  app_secret?: string;
  /** Unverified accounts get 48001 on tag, conditional menu and template APIs. Default true. */
  verified?: boolean;
  /** When set, token calls from other addresses answer 40164. */
  ip_whitelist?: string[];
  followers?: string[];
  tags?: Array<{ id?: number; name: string; members?: string[] }>;
  menu?: { button: unknown[] } | null;
  conditional_menus?: Array<{ menuid?: number | string; matchrule: Record<string, unknown>; button: unknown[] }>;
  industry?: { primary: number; secondary: number } | null;
  template_library?: Array<Partial<LibraryTemplate> & { template_id_short: string; title: string; keywords: string[] }>;
  /** Installed templates: by library id and keywords, or fully described. */
  templates?: Array<{ template_id?: string; template_id_short?: string; title?: string; keywords: string[]; industry?: number }>;
  /** Daily limits by API path, overriding the defaults. */
  quotas?: Record<string, number>;
  /**
   * A menu published in the MP console, in get_current_selfmenu_info's shape (types text, img, news...).
   * menu/get cannot see it; only get_current_selfmenu_info shows it, and only while no API menu exists.
   */
  console_menu?: { button: Json[] } | null;
  /** The account's subscription categories (ids of the emulator's library); default all. */
  subscription_categories?: string[];
  /** Installed subscription templates, by tid and keyword names. */
  subscriptions?: Array<{ tid: string; keywords: string[]; scene?: string }>;
  /** Permanent material (images by default), by media_id: what media_id buttons may name. */
  materials?: Array<{ media_id: string; name?: string; type?: (typeof MATERIAL_TYPES)[number] }>;
  /** Published articles (freepublish), by article_id: what article_id buttons may name. */
  articles?: Array<{ article_id: string; title?: string; deleted?: boolean }>;
  /** Many accounts in one emulator (a fleet): each with its own app_id, app_secret and state. */
  accounts?: EmulatorSeed[];
}

export const DEFAULT_APP_ID = "wx0123456789abcdef";
export const DEFAULT_APP_SECRET = "emulator-app-secret-0123456789abcdef";

/** A small template library with the templates the examples use. */
export const DEFAULT_LIBRARY: LibraryTemplate[] = [
  { template_id_short: "47123", title: "订单发货通知", industry: 1, keywords: ["订单号", "发货时间", "快递公司", "快递单号", "收货地址"] },
  { template_id_short: "43216", title: "收款成功通知", industry: 1, keywords: ["收款金额", "收款时间", "付款人", "交易单号"] },
  { template_id_short: "40012", title: "会员注册成功通知", industry: 1, keywords: ["会员名称", "会员等级", "注册时间"] },
  { template_id_short: "41855", title: "预约成功通知", industry: 2, keywords: ["预约项目", "预约时间", "预约地点", "联系电话"] },
  { template_id_short: "42981", title: "工单处理通知", industry: 2, keywords: ["工单编号", "处理状态", "处理时间", "处理人"] },
  { template_id_short: "46077", title: "快递签收通知", industry: 13, keywords: ["快递单号", "签收时间", "签收人"] },
];

export interface StoredTemplate {
  template_id: string;
  template_id_short: string;
  title: string;
  keywords: string[];
  industry: number;
}

export interface StoredConditionalMenu {
  menuid: number;
  matchrule: Matchrule;
  button: MenuButton[];
}

interface Token {
  value: string;
  expiresAt: number;
}

export class Account {
  readonly appId: string;
  readonly appSecret: string;
  verified: boolean;
  ipWhitelist: string[] | undefined;
  /** openid -> the ids of its tags, in the order they were applied (the newest decides menu matching). */
  readonly followers = new Map<string, number[]>();
  /** id -> tag; members in insertion order (user/tag/get pages through them). */
  readonly tags = new Map<number, { id: number; name: string; members: Set<string> }>();
  nextTagId: number = TAG_LIMITS.firstAssignedId;
  menu: { button: MenuButton[] } | null = null;
  consoleMenu: { button: Json[] } | null;
  defaultMenuId = 0;
  /** Oldest first; the newest matches first. */
  conditional: StoredConditionalMenu[] = [];
  nextMenuId = 400_000_001;
  industry: { primary: number; secondary: number } | null = null;
  readonly library = new Map<string, LibraryTemplate>();
  templates: StoredTemplate[] = [];
  private templateSeq = 0;
  subscriptionCategories: string[];
  subscriptions: StoredSubscription[] = [];
  /** Uploaded images keep their bytes (get_material answers them). */
  materials: Array<{ media_id: string; name: string; type: string; update_time: number; bytes?: Buffer }> = [];
  readonly articles = new Map<string, { article_id: string; title: string; deleted: boolean }>();
  private subscriptionSeq = 0;
  private mediaSeq = 0;
  readonly dailyLimits = new Map<string, number>();
  readonly used = new Map<string, number>();
  readonly classicTokens = new Map<string, number>();
  stable: Token | undefined;
  /** The stable token before the last rotation, valid a little longer. */
  previousStable: Token | undefined;

  constructor(
    seed: EmulatorSeed = {},
    readonly tokenTtlMs = 7_200_000,
  ) {
    this.appId = seed.app_id ?? DEFAULT_APP_ID;
    this.appSecret = seed.app_secret ?? DEFAULT_APP_SECRET;
    this.verified = seed.verified ?? true;
    this.ipWhitelist = seed.ip_whitelist;
    for (const openid of seed.followers ?? []) this.followers.set(openid, []);
    for (const tag of RESERVED_TAGS) if (tag.listed) this.tags.set(tag.id, { id: tag.id, name: tag.name, members: new Set() });
    for (const tag of seed.tags ?? []) this.seedTag(tag);
    if (seed.menu) this.menu = { button: cleanButtons(seed.menu.button) };
    this.consoleMenu = seed.console_menu ?? null;
    for (const menu of seed.conditional_menus ?? []) {
      const menuid = menu.menuid === undefined ? this.nextMenuId++ : Number(menu.menuid);
      this.nextMenuId = Math.max(this.nextMenuId, menuid + 1);
      this.conditional.push({ menuid, matchrule: normalizeMatchrule(menu.matchrule), button: cleanButtons(menu.button) });
    }
    this.conditional.sort((a, b) => a.menuid - b.menuid);
    if (this.menu && this.conditional.length > 0) this.defaultMenuId = this.nextMenuId++;
    this.industry = seed.industry ?? null;
    this.subscriptionCategories = seed.subscription_categories ?? SUBSCRIPTION_CATEGORIES.map((category) => category.id);
    for (const installed of seed.subscriptions ?? []) {
      const library = PUBLIC_SUBSCRIPTIONS.find((entry) => entry.tid === installed.tid);
      const kids = installed.keywords.map((name) => library?.keywords.find((keyword) => keyword.name === name)?.kid ?? 0);
      this.subscriptions.push(privateTemplate(this.newSubscriptionId(), installed.tid, kids, installed.scene ?? "订阅"));
    }
    for (const material of seed.materials ?? []) {
      this.materials.push({
        media_id: material.media_id,
        name: material.name ?? `${material.media_id}.jpg`,
        type: material.type ?? "image",
        update_time: 1_700_000_000,
      });
    }
    for (const article of seed.articles ?? []) {
      this.articles.set(article.article_id, { article_id: article.article_id, title: article.title ?? "文章", deleted: article.deleted ?? false });
    }
    for (const entry of seed.template_library ?? DEFAULT_LIBRARY) {
      this.library.set(String(entry.template_id_short), { industry: 1, ...entry, template_id_short: String(entry.template_id_short) });
    }
    for (const template of seed.templates ?? []) this.seedTemplate(template);
    for (const [path, limit] of Object.entries(seed.quotas ?? {})) this.dailyLimits.set(path, limit);
  }

  private seedTag(tag: { id?: number; name: string; members?: string[] }): void {
    const id = tag.id ?? this.nextTagId;
    if (isSystemTag(id)) {
      for (const openid of tag.members ?? []) this.addMember(id, openid);
      return;
    }
    this.tags.set(id, { id, name: tag.name, members: new Set() });
    this.nextTagId = Math.max(this.nextTagId, id + 1);
    for (const openid of tag.members ?? []) this.addMember(id, openid);
  }

  private seedTemplate(template: NonNullable<EmulatorSeed["templates"]>[number]): void {
    const library = template.template_id_short ? this.library.get(String(template.template_id_short)) : undefined;
    this.templates.push({
      template_id: template.template_id ?? this.newTemplateId(),
      template_id_short: String(template.template_id_short ?? ""),
      title: template.title ?? library?.title ?? "未命名模板",
      keywords: template.keywords,
      industry: template.industry ?? library?.industry ?? 1,
    });
  }

  addMember(tagId: number, openid: string): void {
    const tag = this.tags.get(tagId);
    if (!tag) return;
    if (!this.followers.has(openid)) this.followers.set(openid, []);
    const owned = this.followers.get(openid) as number[];
    if (!owned.includes(tagId)) owned.push(tagId);
    tag.members.add(openid);
  }

  removeMember(tagId: number, openid: string): void {
    this.tags.get(tagId)?.members.delete(openid);
    const owned = this.followers.get(openid);
    if (owned)
      this.followers.set(
        openid,
        owned.filter((id) => id !== tagId),
      );
  }

  newTemplateId(): string {
    this.templateSeq++;
    return createHash("sha256").update(`${this.appId}:template:${this.templateSeq}`).digest("base64url").slice(0, 43);
  }

  templateContent(template: StoredTemplate): string {
    return template.keywords.map((keyword, index) => `${keyword}：{{keyword${index + 1}.DATA}}`).join("\n");
  }

  industryName(code: number): { first_class: string; second_class: string } {
    const industry = INDUSTRIES[code] ?? { first_class: "其它", second_class: "其它" };
    // get_industry writes "/" as "|" (wechat-api.md §11.1).
    return { first_class: industry.first_class, second_class: industry.second_class.replace(/\//g, "|") };
  }

  dailyLimit(path: string): number {
    const configured = this.dailyLimits.get(path);
    if (configured !== undefined) return configured;
    return Object.values(ENDPOINTS).find((endpoint) => endpoint.path === path)?.dailyLimit ?? 10_000;
  }

  newSubscriptionId(): string {
    this.subscriptionSeq++;
    return createHash("sha256").update(`${this.appId}:subscription:${this.subscriptionSeq}`).digest("base64url").slice(0, 43);
  }

  /** Media ids look like WeChat's: 43 url-safe characters. */
  newMediaId(): string {
    this.mediaSeq++;
    return createHash("sha256").update(`${this.appId}:media:${this.mediaSeq}`).digest("base64url").slice(0, 43);
  }

  issueToken(): string {
    return randomBytes(96).toString("base64url");
  }

  /** Expires every token now (tests: the next call answers 42001). */
  expireTokens(): void {
    const past = Date.now() - 1;
    for (const token of this.classicTokens.keys()) this.classicTokens.set(token, past);
    if (this.stable) this.stable.expiresAt = past;
    if (this.previousStable) this.previousStable.expiresAt = past;
  }

  /** "valid", "expired" or "unknown" for an access token. */
  tokenStatus(token: string): "valid" | "expired" | "unknown" {
    const now = Date.now();
    const classic = this.classicTokens.get(token);
    const candidates = [classic === undefined ? undefined : { value: token, expiresAt: classic }, this.stable, this.previousStable];
    const match = candidates.find((candidate) => candidate?.value === token);
    if (!match) return "unknown";
    return match.expiresAt > now ? "valid" : "expired";
  }
}
