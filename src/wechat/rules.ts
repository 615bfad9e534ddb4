// WeChat's limits and rules, kept in one place: the config validator reports them with file positions,
// the emulator answers them with WeChat's errcodes. Facts and sources: ../shared/wechat-api.md §2, §3, §4.

export const BUTTON_TYPES = [
  "click",
  "view",
  "miniprogram",
  "scancode_push",
  "scancode_waitmsg",
  "pic_sysphoto",
  "pic_photo_or_album",
  "pic_weixin",
  "location_select",
  "media_id",
  "view_limited",
  "article_id",
  "article_view_limited",
] as const;
export type ButtonType = (typeof BUTTON_TYPES)[number];

export const BUTTON_FIELDS = ["key", "url", "appid", "pagepath", "media_id", "article_id"] as const;
export type ButtonField = (typeof BUTTON_FIELDS)[number];

/** The fields each button type needs besides `name` (wechat-api.md §2.1). */
export const REQUIRED_FIELDS: Readonly<Record<ButtonType, readonly ButtonField[]>> = {
  click: ["key"],
  view: ["url"],
  miniprogram: ["url", "appid", "pagepath"],
  scancode_push: ["key"],
  scancode_waitmsg: ["key"],
  pic_sysphoto: ["key"],
  pic_photo_or_album: ["key"],
  pic_weixin: ["key"],
  location_select: ["key"],
  media_id: ["media_id"],
  view_limited: ["media_id"],
  article_id: ["article_id"],
  article_view_limited: ["article_id"],
};

export const MENU_LIMITS = {
  minTopButtons: 1,
  maxTopButtons: 3,
  minSubButtons: 1,
  maxSubButtons: 5,
  topNameBytes: 16,
  subNameBytes: 60,
  keyBytes: 128,
  urlBytes: 1024,
  /** All conditional menus together may link to at most this many URL domains (65316). */
  conditionalUrlDomains: 3,
} as const;

/**
 * How much of a name WeChat shows, in display columns (a Chinese character is 2): about 4 Chinese
 * characters at the top, 8 below; longer names are cut with "…" (wechat-api.md §2.1, community staff answer).
 */
export const MENU_DISPLAY = { topColumns: 8, subColumns: 16 } as const;

/** Permanent material (wechat-api.md §6.3, §12.3): the types batchget_material lists, and its page size. */
export const MATERIAL_TYPES = ["image", "video", "voice", "news"] as const;
export const MATERIAL_PAGE_SIZE = 20;
/** The most material of one type an account may hold (news and images 100 000, the others 1 000). */
export const MATERIAL_MAX_PER_TYPE = 100_000;
/** Images uploaded with add_material (wechat-api.md §12.3): formats by their first bytes, and the size cap. */
export const IMAGE_LIMITS = { maxBytes: 10 * 1024 * 1024, extensions: ["bmp", "png", "jpeg", "jpg", "gif"] } as const;
export type ImageFormat = "png" | "jpeg" | "gif" | "bmp";
export const IMAGE_CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = { png: "image/png", jpeg: "image/jpeg", gif: "image/gif", bmp: "image/bmp" };

/** What an image's bytes say it is, or undefined for anything WeChat does not take as an image. */
export function imageFormatOf(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (...prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "gif";
  if (starts(0x42, 0x4d)) return "bmp";
  return undefined;
}

/** freepublish/getarticle's answer for an article_id that does not exist. */
export const ARTICLE_MISSING = 53600;
/** menu/create's answer for a media_id that is not a permanent material (community threads; 40118 in our table). */
export const INVALID_MEDIA_ID = 40007;

/** Subscription notifications (wechat-api.md §4.4, §12.2). */
export const SUBSCRIPTION_LIMITS = {
  /** Private templates per account (200012). */
  maxTemplates: 25,
  /** sceneDesc. */
  sceneChars: 15,
  minKeywords: 2,
  maxKeywords: 5,
  /** getpubtemplatetitles' page (limit at most 30). */
  titlesPageSize: 30,
  /** Not published: a bound on the public templates of an account's categories, so a looping answer ends. */
  maxPublicTitles: 30_000,
} as const;

/** What a data key of each rule accepts when sent (wechat-api.md §12.2 value limits); `max` in characters. */
export const SUBSCRIPTION_DATA_RULES: Readonly<Record<string, { max?: number; note: string }>> = {
  thing: { max: 20, note: "text, at most 20 characters" },
  number: { max: 32, note: "digits, at most 32" },
  letter: { max: 32, note: "letters, at most 32" },
  symbol: { max: 5, note: "symbols, at most 5" },
  character_string: { max: 32, note: "letters, digits and symbols, at most 32" },
  time: { note: "a time (24-hour, may be a range with ~)" },
  date: { note: "a date (may be a range with ~)" },
  amount: { max: 11, note: "a currency symbol and at most 10 digits, may end with 元" },
  phone_number: { max: 17, note: "a phone number, at most 17" },
  car_number: { max: 8, note: "a plate number, at most 8" },
  name: { max: 10, note: "a name, at most 10 CJK characters or 20 letters" },
  phrase: { max: 5, note: "at most 5 CJK characters" },
  enum: { note: "one of the keyword's enumerated values" },
};

/** Old template-library ids (TM..., OPENTM...): WeChat refuses to add them since 2023 (40247). */
export const OLD_LIBRARY_TEMPLATE_ID = /^(OPEN)?TM\d+$/i;

/** Matchrule fields WeChat no longer accepts (65320, privacy). */
export const REMOVED_MATCHRULE_FIELDS = ["sex", "country", "province", "city", "language"] as const;
export const CLIENT_PLATFORM_TYPES = { "1": "iOS", "2": "Android", "3": "other" } as const;

export const TAG_LIMITS = {
  maxTags: 100,
  nameBytes: 30,
  firstAssignedId: 100,
  maxTagsPerFollower: 20,
  batchSize: 50,
  membersPageSize: 10_000,
  /** A tag with more followers than this cannot be deleted (45057). */
  maxFollowersToDelete: 100_000,
} as const;

/** System tags: ids 0-2 cannot be changed or deleted (45058); tags/get lists only 星标组. */
export const RESERVED_TAGS: ReadonlyArray<{ id: number; name: string; listed: boolean }> = [
  { id: 0, name: "未分组", listed: false },
  { id: 1, name: "黑名单", listed: false },
  { id: 2, name: "星标组", listed: true },
];

/** Whether a tag id is one of WeChat's system tags: never declared, created, renamed or deleted by wxconf. */
/** The fields a button of this type lacks (an empty string counts as absent). */
export function missingButtonFields(button: { type?: string } & Partial<Record<ButtonField, unknown>>): ButtonField[] {
  if (!button.type || !(BUTTON_TYPES as readonly string[]).includes(button.type)) return [];
  return REQUIRED_FIELDS[button.type as ButtonType].filter((field) => button[field] === undefined || button[field] === null || button[field] === "");
}

export function isSystemTag(id: number): boolean {
  return RESERVED_TAGS.some((tag) => tag.id === id);
}

export const TEMPLATE_LIMITS = { maxTemplates: 25 } as const;

/** Template-message industry codes (wechat-api.md §11.1). */
export const INDUSTRIES: Readonly<Record<number, { first_class: string; second_class: string }>> = {
  1: { first_class: "IT科技", second_class: "互联网/电子商务" },
  2: { first_class: "IT科技", second_class: "IT软件与服务" },
  3: { first_class: "IT科技", second_class: "IT硬件与设备" },
  4: { first_class: "IT科技", second_class: "电子技术" },
  5: { first_class: "IT科技", second_class: "通信与运营商" },
  6: { first_class: "IT科技", second_class: "网络游戏" },
  7: { first_class: "金融业", second_class: "银行" },
  8: { first_class: "金融业", second_class: "基金理财信托" },
  9: { first_class: "金融业", second_class: "保险" },
  10: { first_class: "餐饮", second_class: "餐饮" },
  11: { first_class: "酒店旅游", second_class: "酒店" },
  12: { first_class: "酒店旅游", second_class: "旅游" },
  13: { first_class: "运输与仓储", second_class: "快递" },
  14: { first_class: "运输与仓储", second_class: "物流" },
  15: { first_class: "运输与仓储", second_class: "仓储" },
  16: { first_class: "教育", second_class: "培训" },
  17: { first_class: "教育", second_class: "院校" },
  18: { first_class: "政府与公共事业", second_class: "学术科研" },
  19: { first_class: "政府与公共事业", second_class: "交警" },
  20: { first_class: "政府与公共事业", second_class: "博物馆" },
  21: { first_class: "政府与公共事业", second_class: "公共事业/非盈利机构" },
  22: { first_class: "医药护理", second_class: "医药医疗" },
  23: { first_class: "医药护理", second_class: "护理美容" },
  24: { first_class: "医药护理", second_class: "保健与卫生" },
  25: { first_class: "交通工具", second_class: "汽车相关" },
  26: { first_class: "交通工具", second_class: "摩托车相关" },
  27: { first_class: "交通工具", second_class: "火车相关" },
  28: { first_class: "交通工具", second_class: "飞机相关" },
  29: { first_class: "房地产", second_class: "建筑" },
  30: { first_class: "房地产", second_class: "物业" },
  31: { first_class: "消费品", second_class: "消费品" },
  32: { first_class: "商业服务", second_class: "法律" },
  33: { first_class: "商业服务", second_class: "会展" },
  34: { first_class: "商业服务", second_class: "中介服务" },
  35: { first_class: "商业服务", second_class: "认证" },
  36: { first_class: "商业服务", second_class: "审计" },
  37: { first_class: "文体娱乐", second_class: "传媒" },
  38: { first_class: "文体娱乐", second_class: "体育" },
  39: { first_class: "文体娱乐", second_class: "娱乐休闲" },
  40: { first_class: "印刷", second_class: "印刷" },
  41: { first_class: "其它", second_class: "其它" },
};

export function industryLabel(code: number): string {
  const industry = INDUSTRIES[code];
  return industry ? `${industry.first_class} / ${industry.second_class}` : `unknown industry ${code}`;
}

/** get_industry answers names, and writes code 1 as `互联网|电子商务`: compare with `|` and `/` made equal. */
export function industryCodeOf(firstClass: string, secondClass: string): number | undefined {
  // | or the full-width ｜
  const norm = (text: string) => text.replace(/[|\uFF5C]/g, "/").trim();
  for (const [code, industry] of Object.entries(INDUSTRIES)) {
    if (norm(industry.first_class) === norm(firstClass) && norm(industry.second_class) === norm(secondClass)) {
      return Number(code);
    }
  }
  return undefined;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

// ---------------------------------------------------------------------------------------------------------
// Rule checks. They take loosely typed input (the emulator checks whatever a client sends) and return every
// problem found, each with the path of the offending value, a message for a person and WeChat's errcode.

export type RulePath = ReadonlyArray<string | number>;
export interface RuleIssue {
  path: RulePath;
  message: string;
  errcode: number;
  /** WeChat accepts it (and ignores it): validate warns, the emulator accepts. */
  warning?: true;
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === "object" && value !== null && !Array.isArray(value);

/** Codes differ between top-level buttons and sub buttons (wechat-api.md §2.1). */
const CODES = {
  top: { count: 40016, type: 40017, name: 40018, key: 40019, url: 40020, urlScheme: 40054 },
  sub: { count: 40023, type: 40024, name: 40025, key: 40026, url: 40027, urlScheme: 40055 },
} as const;

export function checkMenuButtons(buttons: unknown, path: RulePath = ["button"]): RuleIssue[] {
  const list = Array.isArray(buttons) ? buttons : [];
  const issues: RuleIssue[] = [];
  if (list.length < MENU_LIMITS.minTopButtons || list.length > MENU_LIMITS.maxTopButtons) {
    issues.push({
      path,
      errcode: CODES.top.count,
      message: `a menu has ${MENU_LIMITS.minTopButtons} to ${MENU_LIMITS.maxTopButtons} top-level buttons, this one has ${list.length}`,
    });
  }
  // Every button is checked whatever the count: every problem at once.
  for (const [index, button] of list.entries()) issues.push(...checkButton(button, [...path, index], "top"));
  return issues;
}

function checkButton(button: unknown, path: RulePath, level: "top" | "sub"): RuleIssue[] {
  const codes = CODES[level];
  if (!isObject(button)) return [{ path, errcode: codes.type, message: "a button must be a mapping with a name" }];
  const issues: RuleIssue[] = [];
  const name = typeof button.name === "string" ? button.name : "";
  issues.push(...checkName(name, [...path, "name"], level));
  const label = name ? `button '${name}'` : "this button";
  const children = button.sub_button;
  const hasChildren = Array.isArray(children) && children.length > 0;

  if (hasChildren) {
    if (level === "sub") {
      return [
        ...issues,
        { path: [...path, "sub_button"], errcode: 40022, message: `${label}: menus have two levels only; a sub button cannot have sub buttons` },
      ];
    }
    if (button.type !== undefined) {
      issues.push({
        path: [...path, "type"],
        errcode: codes.type,
        message: `${label} has sub buttons, so it cannot have a type: a parent only opens its sub-menu (remove 'type')`,
      });
    }
    // The docs forbid only a type beside sub_button; live menus carry a key or url there, and WeChat keeps them.
    for (const field of BUTTON_FIELDS) {
      if (button[field] !== undefined) {
        issues.push({
          path: [...path, field],
          errcode: codes.type,
          warning: true,
          message: `${label} has sub buttons, so '${field}' does nothing (WeChat accepts and ignores it; you may remove it)`,
        });
      }
    }
    if (children.length > MENU_LIMITS.maxSubButtons) {
      issues.push({
        path: [...path, "sub_button"],
        errcode: CODES.sub.count,
        message: `${label} has ${children.length} sub buttons, the limit is ${MENU_LIMITS.maxSubButtons}`,
      });
    }
    children.forEach((child, index) => {
      issues.push(...checkButton(child, [...path, "sub_button", index], "sub"));
    });
    return issues;
  }

  if (Array.isArray(children) && level === "top" && button.type === undefined) {
    issues.push({
      path: [...path, "sub_button"],
      errcode: CODES.sub.count,
      message: `${label} has an empty sub_button: give it ${MENU_LIMITS.minSubButtons} to ${MENU_LIMITS.maxSubButtons} sub buttons, or a type`,
    });
    return issues;
  }
  if (button.type === undefined) {
    issues.push({ path, errcode: codes.type, message: `${label} needs a type (${BUTTON_TYPES.join(", ")}) or sub buttons` });
    return issues;
  }
  if (typeof button.type !== "string" || !(BUTTON_TYPES as readonly string[]).includes(button.type)) {
    issues.push({
      path: [...path, "type"],
      errcode: codes.type,
      message: `${label} has unknown type '${String(button.type)}'; WeChat's types are ${BUTTON_TYPES.join(", ")}`,
    });
    return issues;
  }
  const type = button.type as ButtonType;
  for (const field of missingButtonFields(button)) {
    issues.push({ path, errcode: missingFieldCode(field, codes), message: `${label} of type ${type} needs '${field}'` });
  }
  if (typeof button.key === "string" && utf8Bytes(button.key) > MENU_LIMITS.keyBytes) {
    issues.push({
      path: [...path, "key"],
      errcode: codes.key,
      message: `${label}: key is ${utf8Bytes(button.key)} bytes, the limit is ${MENU_LIMITS.keyBytes}`,
    });
  }
  if (typeof button.url === "string" && button.url !== "") issues.push(...checkUrl(button.url, [...path, "url"], label, codes));
  return issues;
}

function missingFieldCode(field: ButtonField, codes: (typeof CODES)["top" | "sub"]): number {
  if (field === "key") return codes.key;
  if (field === "url") return codes.url;
  if (field === "media_id") return 40118;
  return codes.type;
}

function checkName(name: string, path: RulePath, level: "top" | "sub"): RuleIssue[] {
  const limit = level === "top" ? MENU_LIMITS.topNameBytes : MENU_LIMITS.subNameBytes;
  const code = CODES[level].name;
  if (name === "") return [{ path, errcode: code, message: "a button needs a name" }];
  const bytes = utf8Bytes(name);
  if (bytes <= limit) return [];
  const where = level === "top" ? "top-level button" : "sub button";
  return [{ path, errcode: code, message: `name '${name}' is ${bytes} bytes, the limit is ${limit} for a ${where} (UTF-8: a Chinese character is 3 bytes)` }];
}

function checkUrl(url: string, path: RulePath, label: string, codes: (typeof CODES)["top" | "sub"]): RuleIssue[] {
  const bytes = utf8Bytes(url);
  if (bytes > MENU_LIMITS.urlBytes) {
    return [{ path, errcode: codes.url, message: `${label}: url is ${bytes} bytes, the limit is ${MENU_LIMITS.urlBytes}` }];
  }
  if (urlDomain(url) === undefined) {
    return [{ path, errcode: codes.urlScheme, message: `${label}: url '${url}' must be an absolute http:// or https:// address` }];
  }
  return [];
}

/** The host of an http(s) URL, or undefined when it is not one. */
export function urlDomain(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export function collectUrls(buttons: unknown): string[] {
  if (!Array.isArray(buttons)) return [];
  return buttons.flatMap((button) => {
    if (!isObject(button)) return [];
    const own = typeof button.url === "string" ? [button.url] : [];
    return [...own, ...collectUrls(button.sub_button)];
  });
}

/** A matchrule as WeChat receives it (tag_id and client_platform_type as strings). */
export function checkMatchrule(matchrule: unknown, path: RulePath = ["matchrule"]): RuleIssue[] {
  if (!isObject(matchrule)) return [{ path, errcode: 65304, message: "a conditional menu needs a matchrule" }];
  const issues: RuleIssue[] = [];
  for (const field of REMOVED_MATCHRULE_FIELDS) {
    if (matchrule[field] !== undefined && matchrule[field] !== "") {
      issues.push({
        path: [...path, field],
        errcode: 65320,
        message: `matchrule '${field}' is no longer supported: WeChat removed sex, region and language rules for privacy and rejects them (65320); match on a tag instead`,
      });
    }
  }
  const platform = matchrule.client_platform_type;
  if (platform !== undefined && platform !== "" && !Object.keys(CLIENT_PLATFORM_TYPES).includes(String(platform))) {
    issues.push({
      path: [...path, "client_platform_type"],
      errcode: 65304,
      message: `client_platform_type must be 1 (iOS), 2 (Android) or 3 (other), not '${String(platform)}'`,
    });
  }
  const meaningful = Object.entries(matchrule).some(
    ([field, value]) => value !== undefined && value !== "" && !(REMOVED_MATCHRULE_FIELDS as readonly string[]).includes(field),
  );
  if (!meaningful && issues.length === 0) {
    issues.push({ path, errcode: 65304, message: "the matchrule is empty: give it a tag (or tag_id) and/or a client_platform_type" });
  }
  return issues;
}

/** Counts the distinct URL domains across conditional menus; WeChat allows 3 (65316). */
export function conditionalMenuDomains(menus: ReadonlyArray<{ button: unknown }>): string[] {
  const domains = new Set<string>();
  for (const menu of menus) {
    for (const url of collectUrls(menu.button)) {
      const domain = urlDomain(url);
      if (domain) domains.add(domain);
    }
  }
  return [...domains].sort();
}

export function checkTagName(name: string): { errcode: number; message: string } | undefined {
  if (name.trim() === "") return { errcode: 45158, message: "a tag needs a name" };
  const bytes = utf8Bytes(name);
  if (bytes > TAG_LIMITS.nameBytes) {
    return { errcode: 45158, message: `tag name '${name}' is ${bytes} bytes, the limit is ${TAG_LIMITS.nameBytes}` };
  }
  if (RESERVED_TAGS.some((tag) => tag.name === name)) {
    return { errcode: 45157, message: `'${name}' is a WeChat system tag (ids 0-2); it cannot be created or renamed to` };
  }
  return undefined;
}
