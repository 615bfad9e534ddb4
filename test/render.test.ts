// The renderers on one plan with every kind of change: snapshots of the text and markdown, colours,
// the drift framing and GitHub's comment limit.
import { describe, expect, it } from "vitest";
import { computePlan } from "../src/plan/build.js";
import type { Plan } from "../src/plan/model.js";
import type { LiveState } from "../src/resources/kind.js";
import { renderPlanJson } from "../src/render/json.js";
import { GITHUB_COMMENT_LIMIT, renderPlanMarkdown } from "../src/render/markdown.js";
import { renderPlanText } from "../src/render/text.js";
import { configOf } from "./helpers/account.js";

const FILE = `industry: { primary: 1, secondary: 2 }
tags:
  - name: VIP
    members: [oA, oB, oC]
  - name: 新会员
  - name: 测试人员
    previously: [测试组]
templates:
  order_shipped: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 发货时间] }
menu:
  button:
    - { name: 今日歌曲, type: click, key: V1001_TODAY_MUSIC }
    - name: 服务
      sub_button:
        - { name: 官网, type: view, url: "https://b.example.com/" }
        - { name: 新按钮, type: click, key: NEW }
conditional_menus:
  - { name: testers, matchrule: { tag: 测试人员 }, button: [{ name: 测试, type: click, key: T }] }
  - { name: ios, matchrule: { client_platform_type: 1 }, button: [{ name: 苹果, type: click, key: I }] }
  - { name: new_vip, matchrule: { tag: 新会员 }, button: [{ name: 新会员, type: click, key: N }] }
prune: { tags: true }
`;

const LIVE: LiveState = {
  industry: { primary: { first_class: "运输与仓储", second_class: "快递" }, secondary: { first_class: "IT科技", second_class: "IT软件与服务" } },
  tags: [
    { id: 2, name: "星标组", count: 0 },
    { id: 100, name: "VIP", count: 2 },
    { id: 105, name: "测试组", count: 7 },
    { id: 110, name: "老客户", count: 340 },
  ],
  members: { "100": ["oA", "oD"] },
  templates: [
    {
      template_id: "TPL_EXPRESS",
      title: "快递签收通知",
      primary_industry: "运输与仓储",
      deputy_industry: "快递",
      content: "快递单号：{{keyword1.DATA}}",
      example: "",
    },
  ],
  menu: {
    default: {
      button: [
        { name: "今日歌曲", type: "click", key: "V1001_TODAY_MUSIC" },
        {
          name: "服务",
          sub_button: [
            { name: "官网", type: "view", url: "https://a.example.com/" },
            { name: "旧按钮", type: "click", key: "OLD" },
          ],
        },
      ],
    },
    conditional: [
      { menuid: "400000001", matchrule: { client_platform_type: "1" }, button: [{ name: "苹果", type: "click", key: "I" }] },
      { menuid: "400000002", matchrule: { tag_id: "105" }, button: [{ name: "测试", type: "click", key: "T" }] },
      { menuid: "400000003", matchrule: { sex: "1" }, button: [{ name: "男士", type: "click", key: "M" }] },
    ],
  },
};

function samplePlan(): Plan {
  return computePlan("wxconf.yaml", configOf(FILE).desired, LIVE);
}

describe("renderers", () => {
  it("text, Terraform style (snapshot)", async () => {
    await expect(renderPlanText(samplePlan(), { color: false })).toMatchFileSnapshot("__snapshots__/plan.txt");
  });

  it("markdown for a pull request (snapshot)", async () => {
    await expect(renderPlanMarkdown(samplePlan())).toMatchFileSnapshot("__snapshots__/plan.md");
  });

  it("json is the plan itself", () => {
    const plan = samplePlan();
    expect(JSON.parse(renderPlanJson(plan))).toEqual(JSON.parse(JSON.stringify(plan)));
  });

  it("colours only when asked", () => {
    const plan = samplePlan();
    const colored = renderPlanText(plan, { color: true });
    expect(colored).toContain("  \u001b[32m+\u001b[0m tag.新会员\n");
    expect(colored).toContain("  \u001b[33m~\u001b[0m tag.VIP\n");
    expect(colored).toContain("  \u001b[31m-\u001b[0m tag.老客户\n");
    expect(renderPlanText(plan, { color: false })).not.toMatch(/\u001b\[/);
  });

  it("frames the same plan as drift", () => {
    const text = renderPlanText(samplePlan(), { color: false, framing: "drift" });
    expect(text).toContain("these differences were made outside wxconf");
    expect(text).toContain("# tag.老客户 is on the account but not in the file: not in the file, and prune.tags is true");
    expect(text).toMatch(/Drift: \d+ difference\(s\); apply would make/);
    expect(text).not.toContain("Apply will make");
  });

  it("keeps a huge markdown plan under GitHub's limit, with its summary and banner", () => {
    // More live tags than WeChat allows, to make a plan far longer than a comment can hold.
    const config = configOf("tags:\n  - name: 全体\nprune: { tags: true }\n");
    const live: LiveState = { tags: Array.from({ length: 1500 }, (_, index) => ({ id: 100 + index, name: `标签${index}`, count: 3 })) };
    const plan = computePlan("wxconf.yaml", config.desired, live);
    expect(renderPlanText(plan, { color: false }).length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    const markdown = renderPlanMarkdown(plan);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown.split("\n")[0]).toBe("### wxconf plan: Plan: 1 to add, 0 to change, 1500 to destroy.");
    expect(markdown).toContain("> [!CAUTION]");
    expect(markdown).toMatch(/… \d+ more line\(s\) cut to fit GitHub's comment limit/);
    expect(markdown).toMatch(/Checksum `sha256:[0-9a-f]{64}`\.?.*\n$/);
  });
});
