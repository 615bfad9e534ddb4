// One table of WeChat errcodes: what each means, how the client retries it, and what a person should do.
// Sources: wechat-api.md §1, §2, §3, §4, §5.3.

/**
 * How the client answers a code:
 * - backoff: retry with exponential backoff and jitter (system busy);
 * - minute: retry after about a minute (minute quota);
 * - token: fetch a new token once and retry once;
 * - tagging: retry once after a pause (45159 is reported intermittently for valid tag ids);
 * - none: surface it.
 */
export type RetryClass = "backoff" | "minute" | "token" | "tagging" | "none";

export interface ErrcodeInfo {
  meaning: string;
  retry: RetryClass;
  hint?: (errmsg: string) => string;
}

const info = (meaning: string, retry: RetryClass = "none", hint?: string | ((errmsg: string) => string)): ErrcodeInfo => ({
  meaning,
  retry,
  ...(hint !== undefined && { hint: typeof hint === "string" ? () => hint : hint }),
});

const MENU_RULES = "check the menu against WeChat's rules: run 'wxconf validate'";

export const ERRCODES: Readonly<Record<number, ErrcodeInfo>> = {
  [-1]: info("system busy", "backoff", "WeChat is busy; wxconf retried with backoff. Run the command again in a few minutes."),
  40001: info("invalid credential: the access token is invalid or not the latest", "token", tokenHint),
  40002: info("invalid grant_type"),
  40003: info("invalid openid", "none", "an openid in 'members' does not follow this account: remove it or check the account"),
  40005: info("invalid file type", "none", "assets take bmp, png, jpeg, jpg or gif images: run 'wxconf validate'"),
  40007: info("invalid media_id", "none", "media_id buttons need a permanent material's id (素材管理); 'wxconf plan' checks them"),
  40009: info("invalid image size", "none", "assets take images of at most 10 MB: run 'wxconf validate'"),
  40013: info("invalid appid", "none", "check account.app_id (开发 > 基本配置 in the MP console)"),
  40014: info("invalid access token", "token", tokenHint),
  40016: info("invalid number of top-level buttons", "none", MENU_RULES),
  40017: info("invalid button type", "none", MENU_RULES),
  40018: info("invalid button name length", "none", MENU_RULES),
  40019: info("invalid button key length", "none", MENU_RULES),
  40020: info("invalid button url length", "none", MENU_RULES),
  40022: info("invalid sub-menu level", "none", MENU_RULES),
  40023: info("invalid number of sub buttons", "none", MENU_RULES),
  40024: info("invalid sub button type", "none", MENU_RULES),
  40025: info("invalid sub button name length", "none", MENU_RULES),
  40026: info("invalid sub button key length", "none", MENU_RULES),
  40027: info("invalid sub button url length", "none", MENU_RULES),
  40032: info("invalid openid list size", "none", "batches hold 1 to 50 openids; this is a wxconf bug if you see it"),
  40033: info("invalid charset: the request contained \\uXXXX escapes", "none", "this is a wxconf bug: request bodies must be raw UTF-8"),
  40037: info("invalid template_id", "none", "check template_id_short against the template library (模板消息 > 模板库)"),
  40054: info("invalid button url domain", "none", MENU_RULES),
  40055: info("invalid sub button url domain", "none", MENU_RULES),
  40103: info("invalid industry index", "none", "industry codes are 1 to 41: run 'wxconf validate'"),
  40118: info("invalid media_id", "none", "media_id buttons need a permanent material's id"),
  48005: info("the material is used by a menu or an auto-reply", "none", "remove it from the auto-reply (MP console) or the menu first"),
  40125: info("invalid appsecret", "none", "check the app secret ($WXCONF_APP_SECRET or account.app_secret) and account.app_id"),
  40164: info("the caller's IP address is not on the account's IP whitelist", "none", ipWhitelistHint),
  40243: info("the AppSecret is frozen", "none", "unfreeze or reset the AppSecret in the MP console (开发 > 基本配置)"),
  40246: info("empty or unknown keywords for this template", "none", "keywords must be chosen from the library template's keyword list, in order"),
  41001: info("access_token missing", "none", "this is a wxconf bug"),
  41002: info("appid missing"),
  41004: info("appsecret missing", "none", "set $WXCONF_APP_SECRET or account.app_secret: ${VAR}"),
  42001: info("access token expired", "token", tokenHint),
  43002: info("this API must be called with POST"),
  43004: info("the follower does not follow the account"),
  45009: info(
    "the daily quota of this API is used up",
    "none",
    "wait until tomorrow, or reset the counters (10 times a month) in the MP console; 'POST /cgi-bin/openapi/quota/get' with the API's cgi_path shows daily_limit, used and remain",
  ),
  45010: info("menu count over the limit", "none", MENU_RULES),
  45011: info("the minute quota of this API is used up", "minute", "slow down: wxconf waited and retried; run it again in a minute"),
  45026: info(
    "too many templates (WeChat keeps at most 25)",
    "none",
    "delete unused templates, or set prune.templates: true so wxconf deletes the ones the file does not list",
  ),
  45056: info("too many tags (WeChat allows 100)", "none", "delete unused tags, or set prune.tags: true"),
  45057: info("the tag has more than 100 000 followers and cannot be deleted", "none", "untag followers until 100 000 or fewer remain, then delete it"),
  45058: info("system tags (ids 0, 1, 2) cannot be changed or deleted"),
  45059: info("a follower would carry more than 20 tags", "none", "remove other tags from that follower first"),
  45064: info("the menu links a mini program that is not linked to the account", "none", "link the mini program to the account in the MP console first"),
  45157: info("the tag name is already used", "none", "tag names are unique: rename or remove the other tag"),
  45158: info("the tag name is too long (30 bytes at most)"),
  45159: info("invalid tag id", "tagging", "the tag may have been deleted meanwhile: run 'wxconf plan' again"),
  46002: info("menu version does not exist"),
  46003: info("no menu exists"),
  47001: info("data format error: the body is not the JSON WeChat expects", "none", "this is a wxconf bug"),
  47003: info("argument invalid"),
  48001: info(
    "API unauthorized: the account is not allowed to call this API",
    "none",
    "tags, conditional menus and template messages need a verified (认证) service or subscription account; check 接口权限 in the MP console",
  ),
  48004: info("the API is banned for this account", "none", "see the notice in the MP console"),
  48006: info("clear_quota was used too often this month"),
  65301: info("no conditional menu with this menuid", "none", "the menu was deleted meanwhile: run 'wxconf plan' again"),
  65302: info("no such follower"),
  65303: info("conditional menus need a default menu first", "none", "give the file a 'menu', or create the default menu first"),
  65304: info("the matchrule is empty"),
  65305: info("too many conditional menus"),
  65306: info("the account cannot use conditional menus", "none", "conditional menus need a verified (认证) account"),
  65307: info("the conditional menu is empty"),
  65308: info("a button has no response type"),
  65309: info("conditional menus are switched off for this account"),
  65316: info("conditional menus link to more than 3 URL domains", "none", MENU_RULES),
  65317: info("invalid URL in a conditional menu", "none", MENU_RULES),
  65320: info("sex, region and language matchrules are no longer supported", "none", "match on a tag instead"),
  76003: info("invalid cgi_path for quota/get"),
  76021: info("quota/get does not know this cgi_path"),
  76022: info("this token cannot query that API's quota"),
};

export function errcodeInfo(errcode: number): ErrcodeInfo | undefined {
  return ERRCODES[errcode];
}

function tokenHint(): string {
  return "wxconf fetched a new token once and the call still failed: if $WXCONF_ACCESS_TOKEN or token_command gave the token, check that it is current; otherwise check that nothing calls force_refresh";
}

function ipWhitelistHint(errmsg: string): string {
  const ip = /invalid ip ([0-9a-fA-F.:]+)/.exec(errmsg)?.[1];
  const which = ip ? `add ${ip}` : "add the IP address this machine uses to reach WeChat";
  return `${which} to the IP whitelist (MP console: 设置与开发 > 基本配置 > IP白名单), or route wxconf through a whitelisted egress with HTTPS_PROXY`;
}

/** Errcodes that mean "this account may not read that" (unverified, not authorised): the data is absent, not broken. */
export const UNREADABLE_ERRCODES: readonly number[] = [48001, 48004, 65306];
