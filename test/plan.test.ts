// Planning against the emulator over real HTTP: every change kind, renames, membership batches,
// precedence with the fewest calls, tags created in the same plan, and no write ever.
import { afterEach, describe, expect, it } from "vitest";
import type { EmulatorSeed } from "../src/emulator/account.js";
import type { Plan, Step } from "../src/plan/model.js";
import { Accounts, followers, planAgainst } from "./helpers/account.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const apis = (plan: Plan) => plan.steps.map((step) => step.path.replace("/cgi-bin/", ""));
const change = (plan: Plan, address: string) => plan.changes.find((candidate) => candidate.address === address);

const MENU = `menu:
  button:
    - { name: 今日歌曲, type: click, key: V1001_TODAY_MUSIC }
    - name: 服务
      sub_button:
        - { name: 官网, type: view, url: "https://example.com/" }
        - { name: 赞一下我们, type: click, key: V1001_GOOD }
`;
const LIVE_MENU = {
  button: [
    { name: "今日歌曲", type: "click", key: "V1001_TODAY_MUSIC" },
    {
      name: "服务",
      sub_button: [
        { name: "官网", type: "view", url: "https://example.com/" },
        { name: "赞一下我们", type: "click", key: "V1001_GOOD" },
      ],
    },
  ],
};

describe("a fresh account", () => {
  it("plans every kind in dependency order, with one call per step and the reads in one round", async () => {
    const emulator = await accounts.start({ followers: followers(3) });
    const { plan, calls } = await planAgainst(
      emulator,
      `industry: { primary: 1, secondary: 2 }
tags:
  - name: VIP
    members: [o000000, o000001]
templates:
  order_shipped: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 发货时间] }
${MENU}conditional_menus:
  - name: vip
    matchrule: { tag: VIP }
    button: [{ name: 会员, type: view, url: "https://vip.example.com/" }]
`,
    );
    expect(apis(plan)).toEqual([
      "template/api_set_industry",
      "tags/create",
      "tags/members/batchtagging",
      "template/api_add_template",
      "menu/create",
      "menu/addconditional",
    ]);
    expect(plan.summary).toEqual({ add: 5, change: 0, destroy: 0, calls: 6 });
    expect(plan.steps.map((step) => step.index)).toEqual([1, 2, 3, 4, 5, 6]);
    // Token, then menu/get, tags/get, templates and industry once each, in parallel; no member pages for a
    // new tag; and, as menu/get shows no menu, whether the MP console published one.
    expect(calls.byPath).toEqual({
      "/cgi-bin/stable_token": 1,
      "/cgi-bin/menu/get": 1,
      "/cgi-bin/get_current_selfmenu_info": 1,
      "/cgi-bin/tags/get": 1,
      "/cgi-bin/template/get_all_private_template": 1,
      "/cgi-bin/template/get_industry": 1,
    });
    expect(calls.writes).toBe(0);
  });

  it("refers to a tag created in the same plan as known after apply", async () => {
    const emulator = await accounts.start();
    const { plan } = await planAgainst(
      emulator,
      `tags:\n  - name: 测试人员\n${MENU}conditional_menus:\n  - name: testers\n    matchrule: { tag: 测试人员 }\n    button: [{ name: 测试, type: click, key: T }]\n`,
    );
    const create = plan.steps.find((step) => step.path.endsWith("tags/create")) as Step;
    const add = plan.steps.find((step) => step.path.endsWith("menu/addconditional")) as Step;
    expect(create.produces).toEqual({ ref: "tag.测试人员.id", from: "tag.id" });
    expect(add.body).toEqual({ button: [{ name: "测试", type: "click", key: "T" }], matchrule: { tag_id: { $ref: "tag.测试人员.id", as: "string" } } });
    expect(add.index).toBeGreaterThan(create.index);
    expect(add.description).toBe("add conditional menu testers (tag 测试人员 (id known after apply)), precedence 1");
    expect(change(plan, "conditional_menu.testers")?.after).toMatchObject({ matchrule: { tag: "测试人员", tag_id: { $ref: "tag.测试人员.id" } } });
  });

  it("refuses conditional menus on an account without a default menu when the file does not manage it", async () => {
    const emulator = await accounts.start();
    await expect(
      planAgainst(emulator, `conditional_menus:\n  - name: ios\n    matchrule: { client_platform_type: 1 }\n    button: [{ name: a, type: click, key: A }]\n`),
    ).rejects.toThrow(/need a default menu/);
  });

  it("names a matchrule tag that exists nowhere", async () => {
    const emulator = await accounts.start({ menu: LIVE_MENU });
    await expect(
      planAgainst(emulator, `conditional_menus:\n  - name: x\n    matchrule: { tag: 不存在 }\n    button: [{ name: a, type: click, key: A }]\n`),
    ).rejects.toThrow("conditional_menu.x: tag '不存在' is neither in the file nor on the account");
  });
});

describe("an account that matches", () => {
  it("plans no changes and no calls", async () => {
    const emulator = await accounts.start({
      followers: ["oA", "oB"],
      industry: { primary: 1, secondary: 2 },
      tags: [{ id: 100, name: "VIP", members: ["oA", "oB"] }],
      templates: [{ template_id_short: "47123", keywords: ["订单号", "发货时间"] }],
      menu: LIVE_MENU,
      conditional_menus: [{ matchrule: { tag_id: "100" }, button: [{ name: "会员", type: "view", url: "https://vip.example.com/" }] }],
    });
    const { plan } = await planAgainst(
      emulator,
      `industry: { primary: 1, secondary: 2 }
tags: [{ name: VIP, members: [oB, oA] }]
templates:
  order_shipped: { title: 订单发货通知, keywords: [订单号, 发货时间] }
${MENU}conditional_menus:
  - { name: vip, matchrule: { tag: VIP }, button: [{ name: 会员, type: view, url: "https://vip.example.com/" }] }
`,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.steps).toEqual([]);
    expect(plan.summary).toEqual({ add: 0, change: 0, destroy: 0, calls: 0 });
  });
});

describe("a drifted account", () => {
  it("shows a changed button by name, and replaces the whole menu in one call", async () => {
    const drifted = structuredClone(LIVE_MENU);
    (drifted.button[1] as { sub_button: Array<{ url?: string }> }).sub_button[0] = { name: "官网", type: "view", url: "https://old.example.com/" } as never;
    const emulator = await accounts.start({ menu: drifted });
    const { plan } = await planAgainst(emulator, MENU);
    const menu = change(plan, "menu.default");
    expect(menu?.actions).toEqual(["update"]);
    expect(menu?.details).toEqual([
      { path: "服务 > 官网", action: "update", attribute: "url", before: "https://old.example.com/", after: "https://example.com/" },
    ]);
    expect(apis(plan)).toEqual(["menu/create"]);
  });

  it("shows added, removed and reordered buttons", async () => {
    const emulator = await accounts.start({
      menu: {
        button: [
          {
            name: "服务",
            sub_button: [
              { name: "赞一下我们", type: "click", key: "V1001_GOOD" },
              { name: "旧的", type: "click", key: "OLD" },
            ],
          },
          { name: "今日歌曲", type: "click", key: "V1001_TODAY_MUSIC" },
        ],
      },
    });
    const { plan } = await planAgainst(emulator, MENU);
    expect(change(plan, "menu.default")?.details).toEqual([
      { path: "服务 > 官网", action: "create", after: "type view, url https://example.com/" },
      { path: "服务 > 旧的", action: "delete", before: "type click, key OLD" },
      { path: "buttons", action: "update", attribute: "order", before: ["服务", "今日歌曲"], after: ["今日歌曲", "服务"] },
    ]);
  });

  it("deletes the default menu only when the file says menu: null, and shows the conditional menus going with it", async () => {
    const emulator = await accounts.start({
      menu: LIVE_MENU,
      conditional_menus: [{ matchrule: { client_platform_type: "1" }, button: [{ name: "a", type: "click", key: "A" }] }],
    });
    const { plan } = await planAgainst(emulator, "menu: null\n");
    expect(apis(plan)).toEqual(["menu/delete"]);
    expect(plan.changes.map((item) => [item.address, item.actions])).toEqual([
      ["menu.default", ["delete"]],
      [expect.stringMatching(/^conditional_menu\.#\d+$/), ["delete"]],
    ]);
    expect(plan.safety.map((finding) => finding.rule)).toEqual(["default_menu_delete"]);
  });
});

describe("tags", () => {
  it("renames a tag in place from a previous name, keeping its id", async () => {
    const emulator = await accounts.start({ followers: ["oA"], tags: [{ id: 105, name: "测试组", members: ["oA"] }] });
    const { plan } = await planAgainst(emulator, "tags:\n  - name: 测试人员\n    previously: [测试组]\n");
    expect(plan.steps.map((step) => [step.path, step.body])).toEqual([["/cgi-bin/tags/update", { tag: { id: 105, name: "测试人员" } }]]);
    expect(change(plan, "tag.测试人员")?.details).toEqual([{ path: "name", action: "update", before: "测试组", after: "测试人员" }]);
    expect(plan.summary).toMatchObject({ add: 0, change: 1, destroy: 0 });
  });

  it("tags 120 new members in 3 calls of at most 50, reading the members it compares", async () => {
    const everyone = followers(130);
    const emulator = await accounts.start({ followers: everyone, tags: [{ id: 100, name: "VIP", members: everyone.slice(0, 10) }] });
    const { plan, calls } = await planAgainst(emulator, `tags:\n  - name: VIP\n    members: [${everyone.slice(0, 130).join(", ")}]\n`);
    const batches = plan.steps.filter((step) => step.path.endsWith("batchtagging"));
    expect(batches.map((step) => (step.body?.openid_list as string[] | undefined)?.length)).toEqual([50, 50, 20]);
    expect(calls.byPath["/cgi-bin/user/tag/get"]).toBe(1);
  });

  it("untags before it tags (a follower carries at most 20 tags)", async () => {
    const emulator = await accounts.start({ followers: ["oA", "oB"], tags: [{ id: 100, name: "VIP", members: ["oA"] }] });
    const { plan } = await planAgainst(emulator, "tags:\n  - name: VIP\n    members: [oB]\n");
    expect(apis(plan)).toEqual(["tags/members/batchuntagging", "tags/members/batchtagging"]);
    expect(change(plan, "tag.VIP")?.details.map((detail) => [detail.action, detail.note])).toEqual([
      ["create", "1 follower(s) to tag"],
      ["delete", "1 follower(s) to untag"],
    ]);
  });

  it("leaves tags the file does not list alone, listed as not managed", async () => {
    const emulator = await accounts.start({
      followers: ["oA"],
      tags: [
        { id: 100, name: "VIP" },
        { id: 101, name: "老客户", members: ["oA"] },
      ],
    });
    const { plan } = await planAgainst(emulator, "tags:\n  - name: VIP\n");
    expect(plan.changes).toEqual([]);
    expect(plan.unmanaged).toEqual([{ address: "tag.老客户", kind: "tag", note: "id 101, 1 follower(s): not in the file (set prune.tags to delete it)" }]);
  });

  it("deletes them with prune.tags, last, showing each one's followers", async () => {
    const emulator = await accounts.start({ followers: ["oA"], tags: [{ id: 101, name: "老客户", members: ["oA"] }] });
    const { plan } = await planAgainst(emulator, "tags:\n  - name: VIP\nprune: { tags: true }\n");
    expect(apis(plan)).toEqual(["tags/create", "tags/delete"]);
    expect(change(plan, "tag.老客户")).toMatchObject({ actions: ["delete"], before: { followers: 1 } });
    expect(plan.safety).toEqual([{ rule: "tag_with_followers", address: "tag.老客户", message: "deleting tag.老客户 takes the tag from 1 follower(s)" }]);
  });

  it("counts a mass delete: more than 30% of 10 or more tags", async () => {
    const tags = Array.from({ length: 10 }, (_, index) => ({ name: `t${index}` }));
    const emulator = await accounts.start({ tags });
    const { plan } = await planAgainst(
      emulator,
      `tags: [${tags
        .slice(0, 6)
        .map((tag) => `{ name: ${tag.name} }`)
        .join(", ")}]\nprune: { tags: true }\n`,
    );
    expect(plan.safety).toEqual([{ rule: "mass_delete", address: "tag", message: "deleting 4 of 10 tags (40%, more than 30% of 10 or more)" }]);
  });
});

describe("templates and industry", () => {
  const state: EmulatorSeed = {
    industry: { primary: 1, secondary: 2 },
    templates: [
      { template_id: "TPL_ORDER", template_id_short: "47123", keywords: ["订单号", "发货时间"] },
      { template_id: "TPL_BOOKING", template_id_short: "41855", keywords: ["预约项目", "预约时间"] },
    ],
  };

  it("binds by title and keywords, and lists the others as not managed", async () => {
    const emulator = await accounts.start(state);
    const { plan } = await planAgainst(emulator, "templates:\n  order_shipped: { title: 订单发货通知, keywords: [订单号, 发货时间] }\n");
    expect(plan.changes).toEqual([]);
    expect(plan.unmanaged.map((item) => item.address)).toEqual(["template.TPL_BOOKING"]);
  });

  it("adds a binding with other keywords as a new template", async () => {
    const emulator = await accounts.start(state);
    const { plan } = await planAgainst(
      emulator,
      `templates:\n  order_shipped: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 快递公司] }\n`,
    );
    expect(plan.steps.map((step) => step.body)).toEqual([{ template_id_short: "47123", keyword_name_list: ["订单号", "快递公司"] }]);
  });

  it("needs template_id_short to add a template", async () => {
    const emulator = await accounts.start();
    await expect(planAgainst(emulator, "templates:\n  order_shipped: { title: 订单发货通知, keywords: [订单号] }\n")).rejects.toThrow(
      /has no template_id_short to add one/,
    );
  });

  it("shows an industry change as deleting the templates of the old industry, and adds back a binding it takes", async () => {
    const emulator = await accounts.start(state);
    const { plan } = await planAgainst(
      emulator,
      `industry: { primary: 13, secondary: 2 }\ntemplates:\n  order_shipped: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 发货时间] }\n`,
    );
    expect(apis(plan)).toEqual(["template/api_set_industry", "template/api_add_template"]);
    expect(change(plan, "industry")?.details).toContainEqual({
      path: "template 订单发货通知",
      action: "delete",
      before: "TPL_ORDER",
      note: "WeChat deletes the templates of an industry that is no longer set",
    });
    expect(change(plan, "template.order_shipped")).toMatchObject({ reason_code: "industry_deletes", reason_args: { template_id: "TPL_ORDER" } });
    expect(plan.safety.map((finding) => finding.rule)).toEqual(["industry_change"]);
  });

  it("deletes with prune.templates; before the adds only when WeChat's 25 would be passed", async () => {
    const emulator = await accounts.start({ templates: Array.from({ length: 25 }, () => ({ template_id_short: "43216", keywords: ["收款金额"] })) });
    const { plan } = await planAgainst(
      emulator,
      `templates:\n  order_shipped: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号] }\nprune: { templates: true }\n`,
    );
    expect(
      apis(plan)
        .slice(0, 25)
        .every((api) => api === "template/del_private_template"),
    ).toBe(true);
    expect(apis(plan)[25]).toBe("template/api_add_template");
    expect(plan.warnings).toContain("templates are deleted before new ones are added: the account would otherwise pass WeChat's cap of 25");
  });
});

describe("conditional menu precedence, with the fewest calls", () => {
  const cm = (name: string, platform: number, label = name) =>
    `  - { name: ${name}, matchrule: { client_platform_type: ${platform} }, button: [{ name: ${label}, type: click, key: ${name} }] }\n`;
  const live = (name: string, platform: number, label = name) => ({
    matchrule: { client_platform_type: String(platform) },
    button: [{ name: label, type: "click", key: name }],
  });
  // Live precedence a, b, c: c is the oldest, a the newest (the newest matches first).
  const seed = { menu: LIVE_MENU, conditional_menus: [live("c", 3), live("b", 2), live("a", 1)] };
  const planFor = async (file: string) => {
    const emulator = await accounts.start(seed);
    return (await planAgainst(emulator, `${MENU}conditional_menus:\n${file}`)).plan;
  };

  it("unchanged: no call", async () => {
    expect((await planFor(cm("a", 1) + cm("b", 2) + cm("c", 3))).steps).toEqual([]);
  });

  it("the top two swapped: 1 delete and 1 add", async () => {
    const plan = await planFor(cm("b", 2) + cm("a", 1) + cm("c", 3));
    expect(apis(plan)).toEqual(["menu/delconditional", "menu/addconditional"]);
    expect(change(plan, "conditional_menu.b")).toMatchObject({
      actions: ["delete", "create"],
      details: [{ path: "precedence", action: "update", before: 2, after: 1 }],
    });
  });

  it("the middle one edited: it and every newer one are added again (4 calls)", async () => {
    const plan = await planFor(cm("a", 1) + cm("b", 2, "b2") + cm("c", 3));
    expect(apis(plan)).toEqual(["menu/delconditional", "menu/delconditional", "menu/addconditional", "menu/addconditional"]);
    expect(plan.steps.filter((step) => step.path.endsWith("addconditional")).map((step) => step.description)).toEqual([
      "add conditional menu b (Android), precedence 2",
      "add conditional menu a (iOS), precedence 1",
    ]);
    expect(change(plan, "conditional_menu.b")?.reason_code).toBe("cannot_update");
  });

  it("the newest one edited: 1 delete and 1 add", async () => {
    expect(apis(await planFor(cm("a", 1, "a2") + cm("b", 2) + cm("c", 3)))).toEqual(["menu/delconditional", "menu/addconditional"]);
  });

  it("one removed: 1 delete", async () => {
    const plan = await planFor(cm("a", 1) + cm("c", 3));
    expect(apis(plan)).toEqual(["menu/delconditional"]);
    expect(plan.changes.map((item) => item.actions)).toEqual([["delete"]]);
  });

  it("all removed with an empty list", async () => {
    const emulator = await accounts.start(seed);
    const { plan } = await planAgainst(emulator, `${MENU}conditional_menus: []\n`);
    expect(apis(plan)).toEqual(["menu/delconditional", "menu/delconditional", "menu/delconditional"]);
  });
});

describe("plan never writes", () => {
  it("makes no write call, even for a plan full of changes", async () => {
    const emulator = await accounts.start({ tags: [{ id: 100, name: "old" }], menu: LIVE_MENU });
    const { plan, calls } = await planAgainst(emulator, "tags: [{ name: VIP }]\nprune: { tags: true }\nmenu: null\n");
    expect(plan.steps.length).toBeGreaterThan(0);
    expect(calls.writes).toBe(0);
  });
});
