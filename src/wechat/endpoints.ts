// The WeChat endpoints wxconf uses, described once for the client and the emulator: method, whether a
// call changes the account, whether it needs an access token, and the default daily quota
// (wechat-api.md §5.2; where WeChat publishes none, the emulator's default is marked "not published").

export interface Endpoint {
  path: string;
  method: "GET" | "POST";
  /** Changes the account. A write whose answer is lost must not be repeated blindly. */
  write: boolean;
  /** Takes ?access_token=. */
  auth: boolean;
  /**
   * Creates a new object each time it takes effect: repeating it after an unclear answer (-1, a lost
   * answer) could make a duplicate, so such an answer is an unknown outcome, settled by re-reading.
   */
  creates: boolean;
  dailyLimit: number;
  /** Sent as multipart/form-data: a body field `{file, filename, sha256, content_type}` is that file's bytes. */
  multipart?: true;
  /** May answer with raw bytes (an image) instead of JSON: the answer is then `{content_base64, content_type}`. */
  binaryAnswer?: true;
}

const endpoint = (path: string, method: "GET" | "POST", write: boolean, dailyLimit: number, auth = true, creates = false): Endpoint => ({
  path,
  method,
  write,
  auth,
  creates,
  dailyLimit,
});

export const ENDPOINTS = {
  stableToken: endpoint("/cgi-bin/stable_token", "POST", false, 500_000, false),
  /** wxconf never calls it (every call invalidates the token production servers hold); the emulator serves it. */
  classicToken: endpoint("/cgi-bin/token", "GET", false, 2_000, false),

  menuGet: endpoint("/cgi-bin/menu/get", "GET", false, 10_000),
  menuCreate: endpoint("/cgi-bin/menu/create", "POST", true, 1_000),
  menuDelete: endpoint("/cgi-bin/menu/delete", "GET", true, 1_000),
  menuAddConditional: endpoint("/cgi-bin/menu/addconditional", "POST", true, 2_000, true, true),
  menuDelConditional: endpoint("/cgi-bin/menu/delconditional", "POST", true, 2_000),
  menuTryMatch: endpoint("/cgi-bin/menu/trymatch", "POST", false, 20_000),
  selfMenuInfo: endpoint("/cgi-bin/get_current_selfmenu_info", "GET", false, 10_000),

  // Tag quotas are not published (wechat-api.md §3): these are the emulator's defaults.
  tagsGet: endpoint("/cgi-bin/tags/get", "GET", false, 1_000),
  tagsCreate: endpoint("/cgi-bin/tags/create", "POST", true, 1_000, true, true),
  tagsUpdate: endpoint("/cgi-bin/tags/update", "POST", true, 1_000),
  tagsDelete: endpoint("/cgi-bin/tags/delete", "POST", true, 1_000),
  tagsBatchTagging: endpoint("/cgi-bin/tags/members/batchtagging", "POST", true, 100_000),
  tagsBatchUntagging: endpoint("/cgi-bin/tags/members/batchuntagging", "POST", true, 100_000),
  tagMembers: endpoint("/cgi-bin/user/tag/get", "POST", false, 100_000),
  tagsOfFollower: endpoint("/cgi-bin/tags/getidlist", "POST", false, 100_000),

  // Template quotas are not published either.
  templateSetIndustry: endpoint("/cgi-bin/template/api_set_industry", "POST", true, 1_000),
  templateGetIndustry: endpoint("/cgi-bin/template/get_industry", "GET", false, 10_000),
  templateAdd: endpoint("/cgi-bin/template/api_add_template", "POST", true, 1_000, true, true),
  templateList: endpoint("/cgi-bin/template/get_all_private_template", "GET", false, 10_000),
  templateDelete: endpoint("/cgi-bin/template/del_private_template", "POST", true, 1_000),

  quotaGet: endpoint("/cgi-bin/openapi/quota/get", "POST", false, 10_000),
  clearQuota: endpoint("/cgi-bin/clear_quota", "POST", true, 10),
  // Subscription notifications (/wxaapi/newtmpl/*, wechat-api.md §4.4, §12.2); quotas not published.
  subscriptionCategories: endpoint("/wxaapi/newtmpl/getcategory", "GET", false, 10_000),
  subscriptionTitles: endpoint("/wxaapi/newtmpl/getpubtemplatetitles", "GET", false, 10_000),
  subscriptionKeywords: endpoint("/wxaapi/newtmpl/getpubtemplatekeywords", "GET", false, 10_000),
  subscriptionList: endpoint("/wxaapi/newtmpl/gettemplate", "GET", false, 10_000),
  subscriptionAdd: endpoint("/wxaapi/newtmpl/addtemplate", "POST", true, 1_000, true, true),
  subscriptionDelete: endpoint("/wxaapi/newtmpl/deltemplate", "POST", true, 1_000),
  // Permanent material and published articles, read to check the ids menu buttons name (§6.3, §12.3).
  materialCount: endpoint("/cgi-bin/material/get_materialcount", "GET", false, 10_000),
  materialList: endpoint("/cgi-bin/material/batchget_material", "POST", false, 10_000),
  articleGet: endpoint("/cgi-bin/freepublish/getarticle", "POST", false, 10_000),
  materialGet: { ...endpoint("/cgi-bin/material/get_material", "POST", false, 10_000), binaryAnswer: true },
  materialAdd: { ...endpoint("/cgi-bin/material/add_material", "POST", true, 1_000, true, true), multipart: true },
  materialDelete: endpoint("/cgi-bin/material/del_material", "POST", true, 1_000),
  /** 网络检测: WeChat resolves and pings the account's message server (quota not published). */
  callbackCheck: endpoint("/cgi-bin/callback/check", "POST", false, 10_000),
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;

const BY_PATH = new Map<string, Endpoint>(Object.values(ENDPOINTS).map((entry) => [entry.path, entry]));

export function endpointByPath(path: string): Endpoint | undefined {
  return BY_PATH.get(path);
}
