// Real WeChat payloads from public SDKs' test suites (../shared/fixtures/wechat/), replayed byte for byte
// at the wire and read through the client's normalisation.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../src/json.js";
import { openClient, openReadClient } from "../src/wechat/client.js";
import { normalizeMenuGet } from "../src/wechat/normalize.js";
import { checkMatchrule } from "../src/wechat/rules.js";
import { fixture, fixtureText, FIXTURES_PRESENT } from "./helpers/fixtures.js";

const API = "https://api.weixin.qq.com";
const options = { credentials: { app_id: "wx0123456789abcdef" }, env: { WXCONF_ACCESS_TOKEN: "TOKEN_FOR_FIXTURE_TESTS", WXCONF_RETRY_BASE_MS: "1" } };

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe.skipIf(!FIXTURES_PRESENT)("real SDK fixtures through the client", () => {
  it("wechatpy menu_get: a leaf's empty sub_button is dropped", async () => {
    nock(API).get("/cgi-bin/menu/get").query(true).reply(200, fixtureText("wechatpy__menu_get.json"));
    const menu = await openReadClient(options).read.getMenu();
    expect(menu).toEqual({ default: { button: [{ name: "test", type: "click", key: "test" }] }, conditional: [] });
  });

  it("doraemonext menu_get: WeChat's own sample menu, parents and leaves", async () => {
    nock(API).get("/cgi-bin/menu/get").query(true).reply(200, fixtureText("doraemonext__menu_get.json"));
    const menu = await openReadClient(options).read.getMenu();
    expect(menu.default?.button).toEqual([
      { name: "今日歌曲", type: "click", key: "V1001_TODAY_MUSIC" },
      { name: "歌手简介", type: "click", key: "V1001_TODAY_SINGER" },
      {
        name: "菜单",
        sub_button: [
          { name: "搜索", type: "view", url: "http://www.soso.com/" },
          { name: "视频", type: "view", url: "http://v.qq.com/" },
          { name: "赞一下我们", type: "click", key: "V1001_GOOD" },
        ],
      },
    ]);
  });

  it("co-wechat-api conditional_menu: group_id becomes tag_id, values become strings, removed rules are flagged", () => {
    const request = fixture<JsonObject>("co-wechat-api__conditional_menu.json");
    const state = normalizeMenuGet({ menu: { button: [] }, conditionalmenu: [{ ...request, menuid: 208379533 }] });
    expect(state.conditional).toEqual([
      {
        menuid: "208379533",
        matchrule: { tag_id: "2", client_platform_type: "2", sex: "1", country: "中国", province: "广东", city: "广州" },
        button: [
          { name: "今日歌曲", type: "click", key: "V1001_TODAY_MUSIC" },
          {
            name: "菜单",
            sub_button: [
              { name: "搜索", type: "view", url: "http://www.soso.com/" },
              { name: "视频", type: "view", url: "http://v.qq.com/" },
              { name: "赞一下我们", type: "click", key: "V1001_GOOD" },
            ],
          },
        ],
      },
    ]);
    expect(checkMatchrule(request.matchrule).map((issue) => issue.errcode)).toEqual([65320, 65320, 65320, 65320]);
  });

  it("wechatpy user_tag_get: pages until the list ends, or stops at the count tags/get gave", async () => {
    const calls: unknown[] = [];
    nock(API)
      .post("/cgi-bin/user/tag/get")
      .query(true)
      .times(2)
      .reply((_uri, body) => {
        calls.push(body);
        return [200, calls.length === 1 ? fixtureText("wechatpy__user_tag_get.json") : { count: 0, next_openid: "" }];
      });
    const client = openReadClient(options).read;
    expect(await client.getTagMembers(134)).toEqual(["OPENID1", "OPENID2"]);
    expect(calls).toEqual([
      { tagid: 134, next_openid: "" },
      { tagid: 134, next_openid: "OPENID2" },
    ]);
    nock(API).post("/cgi-bin/user/tag/get").query(true).reply(200, fixtureText("wechatpy__user_tag_get.json"));
    expect(await client.getTagMembers(134, 2)).toEqual(["OPENID1", "OPENID2"]);
  });

  it("wechatpy groups_get: the legacy list of system groups 0, 1, 2 has the same shape as tags/get", async () => {
    const groups = fixture<{ groups: unknown[] }>("wechatpy__groups_get.json").groups;
    nock(API).get("/cgi-bin/tags/get").query(true).reply(200, { tags: groups });
    const tags = await openReadClient(options).read.getTags();
    expect(tags.map((tag) => [tag.id, tag.name, tag.count])).toEqual([
      [0, "未分组", 72596],
      [1, "黑名单", 36],
      [2, "星标组", 8],
      [104, "华东媒", 4],
      [106, "★不测试组★", 1],
    ]);
  });

  it("doraemonext template_api_add_template: the template_id is read from the answer", async () => {
    nock(API).post("/cgi-bin/template/api_add_template").query(true).reply(200, fixtureText("doraemonext__template_api_add_template.json"));
    expect(await openClient(options).write.addTemplate("TM00015", ["a"])).toBe("Doclyl5uP7Aciu-qZ7mJNPtWkbkYnWBWVja26EGbNyk");
  });

  it("wechatpy menu_create and menu_delete: an empty errmsg with errcode 0 is success", async () => {
    nock(API).post("/cgi-bin/menu/create").query(true).reply(200, fixtureText("wechatpy__menu_create.json"));
    nock(API).get("/cgi-bin/menu/delete").query(true).reply(200, fixtureText("wechatpy__menu_delete.json"));
    const client = openClient(options).write;
    await expect(client.createMenu([{ name: "a", type: "click", key: "A" }])).resolves.toBeUndefined();
    await expect(client.deleteMenu()).resolves.toBeUndefined();
  });

  it.each(["wechatpy__token.json", "doraemonext__token.json"])("%s: the token is used and never printed", async (name) => {
    const token = fixture<{ access_token: string }>(name).access_token;
    nock(API).post("/cgi-bin/stable_token").reply(200, fixtureText(name));
    let used: string | null = null;
    nock(API)
      .get("/cgi-bin/tags/get")
      .query(true)
      .reply((uri) => {
        used = new URL(uri, API).searchParams.get("access_token");
        return [200, { tags: [] }];
      });
    const lines: string[] = [];
    const client = openReadClient({
      credentials: { app_id: "wx0123456789abcdef", app_secret: "fixture-secret-value" },
      env: { WXCONF_RETRY_BASE_MS: "1" },
      debug: (line) => lines.push(line),
    });
    await client.read.getTags();
    expect(used).toBe(token);
    expect(lines.join("\n")).not.toContain(token);
  });
});
