// Real menu/get payloads from public SDKs' test suites, replayed byte for byte: a file with the same
// menu plans no changes (normalisation leaves no spurious difference).
import nock from "nock";
import { stringify } from "yaml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makePlan } from "../src/plan/build.js";
import { openReadClient } from "../src/wechat/client.js";
import { configOf } from "./helpers/account.js";
import { fixture, fixtureText, FIXTURES_PRESENT } from "./helpers/fixtures.js";

const API = "https://api.weixin.qq.com";
const options = { credentials: { app_id: "wx0123456789abcdef" }, env: { WXCONF_ACCESS_TOKEN: "TOKEN_FOR_FIXTURE_TESTS", WXCONF_RETRY_BASE_MS: "1" } };

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

async function planWith(sections: string, menuGetAnswer: string, tags: unknown[] = []) {
  nock(API).get("/cgi-bin/menu/get").query(true).reply(200, menuGetAnswer);
  nock(API).get("/cgi-bin/tags/get").query(true).optionally().reply(200, { tags });
  const client = openReadClient(options);
  return (await makePlan("wxconf.yaml", configOf(sections).desired, client.read)).plan;
}

describe.skipIf(!FIXTURES_PRESENT)("real menu payloads plan no spurious change", () => {
  it.each(["wechatpy__menu_get.json", "doraemonext__menu_get.json"])("%s, pasted into the file as WeChat wrote it", async (name) => {
    // The file holds the menu exactly as the payload shows it, leaves' empty sub_button included.
    const menu = fixture<{ menu: unknown }>(name).menu;
    const plan = await planWith(stringify({ menu }), fixtureText(name));
    expect(plan.changes).toEqual([]);
    expect(plan.steps).toEqual([]);
  });

  it("doraemonext__menu_get.json: one changed url is one button-level change", async () => {
    const menu = fixture<{ menu: { button: Array<{ sub_button: Array<{ url?: string }> }> } }>("doraemonext__menu_get.json").menu;
    const edited = structuredClone(menu);
    (edited.button[2]?.sub_button[0] as { url: string }).url = "https://www.sogou.com/";
    const plan = await planWith(stringify({ menu: edited }), fixtureText("doraemonext__menu_get.json"));
    expect(plan.changes.map((change) => change.details)).toEqual([
      [{ path: "菜单 > 搜索", action: "update", attribute: "url", before: "http://www.soso.com/", after: "https://www.sogou.com/" }],
    ]);
  });

  it("co-wechat-api__conditional_menu.json: group_id reads as tag_id, and its removed rules are named", async () => {
    const conditional = fixtureText("co-wechat-api__conditional_menu.json");
    const menuGet = `{"menu":{"button":[{"type":"click","name":"今日歌曲","key":"V1001_TODAY_MUSIC","sub_button":[]}],"menuid":208379532},"conditionalmenu":[${conditional.trim().replace(/}$/, ',"menuid":208379533}')}]}`;
    const request = fixture<{ button: unknown[] }>("co-wechat-api__conditional_menu.json");
    const sections = stringify({
      menu: { button: [{ type: "click", name: "今日歌曲", key: "V1001_TODAY_MUSIC" }] },
      conditional_menus: [{ name: "starred_android", matchrule: { tag_id: 2, client_platform_type: 2 }, button: request.button }],
    });
    const plan = await planWith(sections, menuGet, [{ id: 2, name: "星标组", count: 8 }]);
    const removed = plan.changes.find((change) => change.address === "conditional_menu.#208379533");
    expect(removed?.details[0]).toEqual({
      path: "matchrule",
      action: "delete",
      before: "tag 星标组 (id 2), Android, sex 1, country 中国, province 广东, city 广州 (rules WeChat removed: the menu no longer matches anyone)",
    });
    expect(plan.steps.map((step) => step.path)).toEqual(["/cgi-bin/menu/delconditional", "/cgi-bin/menu/addconditional"]);
    expect(plan.steps[1]?.body).toEqual({
      button: request.button.map((button) => JSON.parse(JSON.stringify(button))),
      matchrule: { tag_id: "2", client_platform_type: "2" },
    });
  });
});
