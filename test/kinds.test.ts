// Each kind in process, table-driven: a file's section and a live state in, the plan's changes (address,
// actions, reason code) and calls out. The CLI tests keep the contracts of the commands; these say what
// each kind decides, fast, without a server.
import { describe, expect, it } from "vitest";
import { computePlan } from "../src/plan/build.js";
import type { LiveState } from "../src/resources/kind.js";
import type { ApiTemplate } from "../src/wechat/types.js";
import { configOf } from "./helpers/account.js";

const MENU = "menu:\n  button: [{ name: a, type: click, key: A }]\n";
const LIVE_MENU = { default: { button: [{ name: "a", type: "click" as const, key: "A" }] }, conditional: [] };
const template = (id: string, title: string, keywords: string[], industry = "IT科技"): ApiTemplate => ({
  template_id: id,
  title,
  primary_industry: industry,
  deputy_industry: "互联网|电子商务",
  content: keywords.map((keyword, index) => `${keyword}：{{keyword${index + 1}.DATA}}`).join("\n"),
  example: "",
});

interface Row {
  name: string;
  file: string;
  live: LiveState;
  changes: Array<[address: string, actions: string, reason: string]>;
  calls: string[];
}

const ROWS: Row[] = [
  {
    name: "industry: set on an account with none",
    file: "industry: { primary: 1, secondary: 2 }\n",
    live: { industry: {}, templates: [] },
    changes: [["industry", "create", "industry_unset"]],
    calls: ["template/api_set_industry"],
  },
  {
    name: "industry: unchanged",
    file: "industry: { primary: 1, secondary: 2 }\n",
    live: {
      industry: { primary: { first_class: "IT科技", second_class: "互联网|电子商务" }, secondary: { first_class: "IT科技", second_class: "IT软件与服务" } },
      templates: [],
    },
    changes: [],
    calls: [],
  },
  {
    name: "tags: a new tag with members",
    file: "tags:\n  - name: VIP\n    members: [oA]\n",
    live: { tags: [{ id: 2, name: "星标组", count: 0 }] },
    changes: [["tag.VIP", "create", "tag_missing"]],
    calls: ["tags/create", "tags/members/batchtagging"],
  },
  {
    name: "tags: a rename keeps the id",
    file: "tags:\n  - name: 会员\n    previously: [VIP]\n",
    live: { tags: [{ id: 100, name: "VIP", count: 3 }] },
    changes: [["tag.会员", "update", "renamed"]],
    calls: ["tags/update"],
  },
  {
    name: "tags: pruned, untagged before tagged",
    file: "tags:\n  - name: A\n    members: [o2]\n  - name: B\n    members: [o1]\nprune: { tags: true }\n",
    live: {
      tags: [
        { id: 100, name: "A", count: 1 },
        { id: 101, name: "B", count: 1 },
        { id: 102, name: "C", count: 0 },
      ],
      members: { "100": ["o1"], "101": ["o2"] },
    },
    changes: [
      ["tag.A", "update", "members_differ"],
      ["tag.B", "update", "members_differ"],
      ["tag.C", "delete", "tag_pruned"],
    ],
    calls: ["tags/members/batchuntagging", "tags/members/batchuntagging", "tags/members/batchtagging", "tags/members/batchtagging", "tags/delete"],
  },
  {
    name: "templates: bound by title and keywords",
    file: "templates:\n  paid: { title: 收款成功通知, keywords: [收款金额] }\n",
    live: { templates: [template("T1", "收款成功通知", ["收款金额"])] },
    changes: [],
    calls: [],
  },
  {
    name: "templates: a missing one is added, a duplicate deleted",
    file: "templates:\n  paid: { template_id_short: '1', title: 收款成功通知, keywords: [收款金额] }\n  shipped: { template_id_short: '2', title: 发货通知, keywords: [单号] }\n",
    live: { templates: [template("T1", "收款成功通知", ["收款金额"]), template("T2", "收款成功通知", ["收款金额"])] },
    changes: [
      ["template.shipped", "create", "template_missing"],
      ["template.T2", "delete", "duplicate"],
    ],
    calls: ["template/api_add_template", "template/del_private_template"],
  },
  {
    name: "menu: created on an account with none",
    file: MENU,
    live: { menu: { default: null, conditional: [] } },
    changes: [["menu.default", "create", "menu_missing"]],
    calls: ["menu/create"],
  },
  { name: "menu: the same buttons", file: MENU, live: { menu: LIVE_MENU }, changes: [], calls: [] },
  {
    name: "menu: null deletes it and its conditional menus",
    file: "menu: null\n",
    live: {
      menu: { ...LIVE_MENU, conditional: [{ menuid: "401", matchrule: { client_platform_type: "1" }, button: [{ name: "i", type: "click", key: "I" }] }] },
    },
    changes: [
      ["menu.default", "delete", "menu_null"],
      ["conditional_menu.#401", "delete", "deleted_with_default_menu"],
    ],
    calls: ["menu/delete"],
  },
  {
    name: "conditional menus: added after the tag they match is created",
    file: `tags: [{ name: VIP }]\n${MENU}conditional_menus:\n  - { name: vip, matchrule: { tag: VIP }, button: [{ name: v, type: click, key: V }] }\n`,
    live: { tags: [], menu: LIVE_MENU },
    changes: [
      ["tag.VIP", "create", "tag_missing"],
      ["conditional_menu.vip", "create", "conditional_missing"],
    ],
    calls: ["tags/create", "menu/addconditional"],
  },
  {
    name: "conditional menus: a changed one is replaced",
    file: `${MENU}conditional_menus:\n  - { name: ios, matchrule: { client_platform_type: 1 }, button: [{ name: new, type: click, key: N }] }\n`,
    live: {
      tags: [],
      menu: { ...LIVE_MENU, conditional: [{ menuid: "401", matchrule: { client_platform_type: "1" }, button: [{ name: "old", type: "click", key: "O" }] }] },
    },
    changes: [["conditional_menu.ios", "delete,create", "cannot_update"]],
    calls: ["menu/delconditional", "menu/addconditional"],
  },
];

describe.each(ROWS)("$name", (row) => {
  it("plans these changes and these calls", () => {
    const { desired } = configOf(row.file);
    const plan = computePlan("wxconf.yaml", desired, row.live);
    expect(plan.changes.map((change) => [change.address, change.actions.join(","), change.reason_code])).toEqual(row.changes);
    expect(plan.steps.map((step) => step.path.replace("/cgi-bin/", ""))).toEqual(row.calls);
  });
});
