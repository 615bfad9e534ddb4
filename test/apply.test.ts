// `wxconf apply` as a user runs it, against the emulator over real HTTP.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/emulator/server.js";
import type { EmulatorSeed } from "../src/emulator/account.js";
import type { Json } from "../src/json.js";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const MENU =
  'menu:\n  button:\n    - { name: 今日歌曲, type: click, key: V1001_TODAY_MUSIC }\n    - name: 服务\n      sub_button: [{ name: 官网, type: view, url: "https://example.com/" }]\n';
const LIVE_MENU = {
  button: [
    { name: "今日歌曲", type: "click", key: "V1001_TODAY_MUSIC" },
    { name: "服务", sub_button: [{ name: "官网", type: "view", url: "https://example.com/" }] },
  ],
};

const FULL = `industry: { primary: 1, secondary: 2 }
tags:
  - name: VIP
    members: [oA, oB]
  - name: 测试人员
templates:
  order_shipped: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 发货时间] }
${MENU}conditional_menus:
  - { name: testers, matchrule: { tag: 测试人员 }, button: [{ name: 测试, type: click, key: T }] }
  - { name: vip, matchrule: { tag: VIP }, button: [{ name: 会员, type: view, url: "https://vip.example.com/" }] }
`;

interface Session {
  emulator: Emulator;
  dir: string;
  cli(args: string[], extraEnv?: Record<string, string>): ReturnType<typeof runCli>;
}

async function session(sections: string, state: EmulatorSeed = {}): Promise<Session> {
  const emulator = await accounts.start({ followers: ["oA", "oB", "oC"], ...state });
  const dir = workdir({ "wxconf.yaml": yamlFile(sections) });
  return { emulator, dir, cli: (args, extraEnv = {}) => runCli(args, { cwd: dir, env: cliEnv(emulator, extraEnv) }) };
}

describe("apply converges with the fewest writes", () => {
  it("a fresh account: one call per needed change, then a plan shows nothing left", async () => {
    const { emulator, cli } = await session(FULL);
    const result = await cli(["apply", "--auto-approve"]);
    expect(result.stdout).toContain("Apply complete! Resources: 7 added, 0 changed, 0 destroyed.");
    expect(result.code).toBe(0);
    expect(emulator.calls().writesByPath).toEqual({
      "/cgi-bin/template/api_set_industry": 1,
      "/cgi-bin/tags/create": 2,
      "/cgi-bin/tags/members/batchtagging": 1,
      "/cgi-bin/template/api_add_template": 1,
      "/cgi-bin/menu/create": 1,
      "/cgi-bin/menu/addconditional": 2,
    });
    expect(result.stderr).toMatch(/\[1\/8\] set the template industries to 1 and 2: done in \d+ ms/);
    const again = await cli(["plan", "--detailed-exitcode"]);
    expect(again.code).toBe(0);
  });

  it("a drifted account: only what differs", async () => {
    const drifted = structuredClone(LIVE_MENU);
    drifted.button[0] = { name: "今日歌曲", type: "click", key: "CHANGED_BY_HAND" };
    const { emulator, cli } = await session(MENU, { menu: drifted });
    expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
    expect(emulator.calls().writesByPath).toEqual({ "/cgi-bin/menu/create": 1 });
  });

  it("nothing to do: no write, exit 0", async () => {
    const { emulator, cli } = await session(MENU, { menu: LIVE_MENU });
    const result = await cli(["apply", "--auto-approve"]);
    expect(result.stdout).toContain("No changes. The account matches the configuration.");
    expect(result.code).toBe(0);
    expect(emulator.calls().writes).toBe(0);
  });

  it("without a terminal and without --auto-approve, refuses before reading anything", async () => {
    const { emulator, cli } = await session(MENU);
    const result = await cli(["apply"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("apply needs approval: run it at a terminal to answer 'yes', or pass --auto-approve");
    expect(emulator.calls().total).toBe(0);
  });
});

describe("a stale plan is refused with no write", () => {
  it("a saved plan applies as reviewed when nothing changed", async () => {
    const { emulator, cli } = await session(MENU);
    expect((await cli(["plan", "--out", "plan.json"])).code).toBe(0);
    const result = await cli(["apply", "plan.json"]);
    expect(result.code).toBe(0);
    expect(emulator.calls().writes).toBe(1);
  });

  it("a saved plan is refused (exit 3) when the account changed since", async () => {
    const { emulator, cli } = await session(MENU);
    await cli(["plan", "--out", "plan.json"]);
    emulator.account.menu = { button: [{ name: "手工改的", type: "click", key: "BY_HAND" }] };
    emulator.resetCalls();
    const result = await cli(["apply", "plan.json"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Refused: plan.json no longer matches the file and the account: nothing was written.");
    expect(result.stderr).toContain("the account changed at menu.default");
    expect(result.stderr).not.toContain("the file changed");
    expect(emulator.calls().writes).toBe(0);
  });

  it("a follower tagged between plan and apply does not make the plan stale; a managed object changed does", async () => {
    const { emulator, cli } = await session(
      `tags:
  - name: VIP
  - name: 新会员
${MENU}`,
      { tags: [{ name: "VIP", members: ["oA"] }] },
    );
    await cli(["plan", "--out", "plan.json"]);
    const { checksum } = JSON.parse((await cli(["plan", "--format", "json"])).stdout) as { checksum: string };
    const vip = [...emulator.account.tags.values()].find((tag) => tag.name === "VIP");
    vip?.members.add("oB");
    expect((await cli(["apply", "--auto-approve", "--expect-checksum", checksum.replace("sha256:", "")])).code).toBe(0);

    const second = await session(`tags:\n  - name: VIP\n  - name: 新会员\n${MENU}`, { tags: [{ name: "VIP", members: ["oA"] }] });
    await second.cli(["plan", "--out", "plan.json"]);
    const renamed = [...second.emulator.account.tags.values()].find((tag) => tag.name === "VIP");
    if (renamed) renamed.name = "VIP2";
    second.emulator.resetCalls();
    const refused = await second.cli(["apply", "plan.json"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("the account changed at tag.VIP, tag.VIP2");
    expect(second.emulator.calls().writes).toBe(0);
  });

  it("a saved plan applies the file it was made from, and says when that file changed", async () => {
    const { dir, emulator, cli } = await session("");
    writeFileSync(join(dir, "other.yaml"), yamlFile(MENU));
    expect((await cli(["plan", "-c", "other.yaml", "--out", "p.json"])).stderr).toContain("'wxconf apply p.json' applies it");
    writeFileSync(join(dir, "other.yaml"), yamlFile(MENU.replace("今日歌曲", "明日歌曲")));
    const refused = await cli(["apply", "p.json"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("the file changed: other.yaml is not what the plan was made from");
    expect(refused.stderr).not.toContain("the account changed");
    writeFileSync(join(dir, "other.yaml"), yamlFile(MENU));
    const applied = await cli(["apply", "p.json"]);
    expect(applied.code).toBe(0);
    expect(emulator.calls().writes).toBe(1);
  });

  it("--expect-checksum refuses another plan (exit 3) and applies its own", async () => {
    const { emulator, cli } = await session(MENU);
    const wrong = await cli(["apply", "--auto-approve", "--expect-checksum", `sha256:${"0".repeat(64)}`]);
    expect(wrong.code).toBe(3);
    expect(emulator.calls().writes).toBe(0);
    const { checksum } = JSON.parse((await cli(["plan", "--format", "json"])).stdout) as { checksum: string };
    // Pasted without its prefix, in capitals: the same checksum.
    expect((await cli(["apply", "--auto-approve", "--expect-checksum", checksum.replace("sha256:", "").toUpperCase()])).code).toBe(0);
  });

  it("a plan saved for another file is refused", async () => {
    const { dir, cli } = await session(MENU);
    await cli(["plan", "--out", "plan.json"]);
    writeFileSync(join(dir, "wxconf.yaml"), yamlFile(`${MENU}tags: [{ name: VIP }]\n`));
    expect((await cli(["apply", "plan.json"])).code).toBe(3);
  });

  it("a saved plan that breaks the plan contract is refused, saying where", async () => {
    const { dir, emulator, cli } = await session(MENU);
    await cli(["plan", "--out", "plan.json"]);
    const plan = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as { steps: Array<Record<string, unknown>> };
    plan.steps[0] = { ...plan.steps[0], method: "DELETE" };
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    const result = await cli(["apply", "plan.json"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("plan.json is not a plan as 'wxconf plan --out' writes it (schemas/plan.schema.json)");
    expect(result.stderr).toContain("/steps/0/method must be equal to one of the allowed values");
    expect(emulator.calls().writes).toBe(0);
  });

  it("a tampered plan is refused", async () => {
    const { dir, emulator, cli } = await session(MENU);
    await cli(["plan", "--out", "plan.json"]);
    const plan = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as { steps: Array<{ path: string }> };
    plan.steps[0] = { ...plan.steps[0], path: "/cgi-bin/menu/delete" };
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    const result = await cli(["apply", "plan.json"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("the steps apply would run now differ from the saved ones");
    expect(emulator.calls().writes).toBe(0);
  });
});

describe("safety rules (exit 3 without --allow-destroy, naming the rule and the numbers)", () => {
  async function refusedThenAllowed(sections: string, state: EmulatorSeed, rule: string, numbers: string) {
    const { emulator, cli } = await session(sections, state);
    const refused = await cli(["apply", "--auto-approve"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`${rule}: `);
    expect(refused.stderr).toContain(numbers);
    expect(emulator.calls().writes).toBe(0);
    const allowed = await cli(["apply", "--auto-approve", "--allow-destroy"]);
    expect(allowed.code).toBe(0);
  }

  it("deleting a tag that has followers", async () => {
    await refusedThenAllowed(
      "tags: []\nprune: { tags: true }\n",
      { tags: [{ id: 100, name: "老客户", members: ["oA", "oB"] }] },
      "tag_with_followers",
      "takes the tag from 2 follower(s)",
    );
  });

  it("deleting the default menu", async () => {
    await refusedThenAllowed(
      "menu: null\n",
      { menu: LIVE_MENU, conditional_menus: [{ matchrule: { client_platform_type: "1" }, button: [{ name: "a", type: "click", key: "A" }] }] },
      "default_menu_delete",
      "every conditional menu (1 now)",
    );
  });

  it("changing an industry that is set while templates exist", async () => {
    await refusedThenAllowed(
      "industry: { primary: 13, secondary: 2 }\n",
      { industry: { primary: 1, secondary: 2 }, templates: [{ template_id_short: "47123", keywords: ["订单号"] }] },
      "industry_change",
      "an account with 1 template(s) deletes those of the old industry (1 by this plan)",
    );
  });

  it("setting an industry on an account that has none is not destructive", async () => {
    const { cli } = await session("industry: { primary: 1, secondary: 2 }\n");
    expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
  });

  it("untagging more than 30% of a tag's 10 or more followers", async () => {
    const members = Array.from({ length: 12 }, (_, index) => `o${index}`);
    const { emulator, cli } = await session(`tags:\n  - name: 老客户\n    members: [o0, o1, o2]\n`, {
      followers: members,
      tags: [{ id: 100, name: "老客户", members }],
    });
    const refused = await cli(["apply", "--auto-approve"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("mass_untag: untagging 9 of the 12 followers of 老客户 (75%");
    expect(emulator.calls().writes).toBe(0);
    expect((await cli(["apply", "--auto-approve", "--allow-destroy"])).code).toBe(0);
  });

  it("replacing a menu published in the MP console, naming the buttons followers lose", async () => {
    const consoleMenu: { button: Json[] } = {
      button: [
        { name: "关于", type: "text", value: "我们是…" },
        { name: "官网", type: "view", url: "https://example.com/" },
        { name: "文章", type: "news", news_info: { list: [{ title: "开业" }] } },
      ],
    };
    await refusedThenAllowed(
      "menu:\n  button: [{ name: 官网, type: view, url: 'https://example.com/' }]\n",
      { console_menu: consoleMenu },
      "console_menu_replaced",
      "removes 2 button(s) followers see: 关于 (text), 文章 (news)",
    );
  });

  it("deleting more than 30% of 10 or more templates", async () => {
    const templates = Array.from({ length: 10 }, () => ({ template_id_short: "43216", keywords: ["收款金额"] }));
    await refusedThenAllowed(
      "templates:\n  paid: { title: 收款成功通知, keywords: [收款金额] }\nprune: { templates: true }\n",
      { templates },
      "mass_delete",
      "deleting 9 of 10 templates (90%",
    );
  });
});

describe("a matchrule.tag_id that is not on the account", () => {
  it("is a plan error (exit 1) before any write, not a delete followed by a failing add", async () => {
    const { emulator, cli } = await session(
      `${MENU}conditional_menus:\n  - { name: vip, matchrule: { tag_id: 999 }, button: [{ name: 会员, type: click, key: V }] }\n`,
      {
        tags: [{ id: 100, name: "VIP" }],
        menu: LIVE_MENU,
        conditional_menus: [{ matchrule: { tag_id: "100" }, button: [{ name: "会员", type: "click", key: "V" }] }],
      },
    );
    const plan = await cli(["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("conditional_menu.vip: matchrule.tag_id 999 is not a tag on the account");
    expect((await cli(["apply", "--auto-approve"])).code).toBe(1);
    expect(emulator.calls().writes).toBe(0);
    expect(emulator.account.conditional).toHaveLength(1);
  });
});

describe("a failed verification keeps the report", () => {
  it("prints what was done and why the re-read failed (status unverified, exit 1)", async () => {
    const { emulator, cli } = await session(MENU);
    // The plan's read passes; the re-read after the write is dropped every time.
    emulator.injectFault({ path: "/cgi-bin/menu/get", kind: "drop", skip: 1, times: 20 });
    const text = await cli(["apply", "--auto-approve"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("Apply made all 1 calls, but reading the account again to confirm failed: /cgi-bin/menu/get");
    expect(text.stdout).toContain("Done (1 of 1):\n  1. create the default menu");
    expect(emulator.calls().appliedWrites).toBe(1);
  });

  it("as JSON: status unverified, with the steps", async () => {
    const { emulator, cli } = await session(MENU);
    emulator.injectFault({ path: "/cgi-bin/menu/get", kind: "drop", skip: 1, times: 20 });
    const json = await cli(["apply", "--auto-approve", "--format", "json"]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { status: string; verify_error: string; steps: Array<{ status: string }> };
    expect(report.status).toBe("unverified");
    expect(report.verify_error).toContain("/cgi-bin/menu/get");
    expect(report.steps.map((step) => step.status)).toEqual(["done"]);
  });
});

describe("quota is checked before the first write", () => {
  it("refuses (exit 3) when an API has too little quota left, with the numbers", async () => {
    const { emulator, cli } = await session("tags: [{ name: a }, { name: b }]\n", { quotas: { "/cgi-bin/tags/create": 1 } });
    const result = await cli(["apply", "--auto-approve"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("/cgi-bin/tags/create: 2 call(s) needed, 1 left of 1 today");
    expect(emulator.calls().writes).toBe(0);
  });

  it("unattended, a plan of one call is not checked: WeChat's own 45009 refuses it, nothing half-applied", async () => {
    const { emulator, cli } = await session(MENU, { quotas: { "/cgi-bin/menu/create": 0 } });
    const result = await cli(["apply", "--auto-approve"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("errcode 45009");
    expect(emulator.calls().byPath["/cgi-bin/openapi/quota/get"]).toBeUndefined();
    expect(emulator.calls().appliedWrites).toBe(0);
  });
});

describe("a failure stops apply; running it again converges", () => {
  it("reports what was done, what failed (errcode, message, hint) and what was not attempted", async () => {
    const sections = `tags:\n  - name: VIP\n    members: [oA, stranger]\n${MENU}`;
    const { emulator, dir, cli } = await session(sections);
    // One step at a time: the plan's order exactly.
    const failed = await cli(["apply", "--auto-approve", "--write-parallelism", "1"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("Apply stopped at step 2 of 3: tag 2 follower(s) with VIP");
    expect(failed.stdout).toMatch(/WeChat refused \/cgi-bin\/tags\/members\/batchtagging: errcode 40003, "invalid openid stranger rid: [^"]+"/);
    expect(failed.stdout).toContain("Hint: an openid in 'members' does not follow this account");
    expect(failed.stdout).toContain("Done (1 of 3):\n  1. create tag VIP");
    expect(failed.stdout).toContain("Not attempted (1):\n  3. create the default menu");

    const json = await cli(["apply", "--auto-approve", "--format", "json", "--write-parallelism", "1"]);
    const result = JSON.parse(json.stdout) as { status: string; steps: Array<{ status: string; error?: { errcode: number } }> };
    expect(result.status).toBe("failed");
    expect(result.steps.map((step) => step.status)).toEqual(["failed", "not_attempted"]);
    expect(result.steps[0]?.error?.errcode).toBe(40003);

    writeFileSync(join(dir, "wxconf.yaml"), yamlFile(sections.replace(", stranger", "")));
    const fixed = await cli(["apply", "--auto-approve"]);
    expect(fixed.code).toBe(0);
    expect(emulator.calls().writesByPath["/cgi-bin/tags/create"]).toBe(1);
    expect([...emulator.account.tags.values()].filter((tag) => tag.name === "VIP")).toHaveLength(1);
  });
});

describe("drift", () => {
  it("exit 0 in sync; exit 2 with what a person changed by hand; exit 1 on error", async () => {
    const { emulator, cli } = await session(FULL);
    expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
    const inSync = await cli(["drift"]);
    expect(inSync.stdout).toContain("No drift. The account matches the configuration.");
    expect(inSync.stdout).not.toContain("made outside wxconf");
    expect(inSync.code).toBe(0);

    // Edits in the MP console: a button's key, a follower untagged, a tag added (not managed, so not drift).
    const menu = emulator.account.menu as { button: Array<{ key?: string }> };
    (menu.button[0] as { key: string }).key = "EDITED_IN_CONSOLE";
    const vip = [...emulator.account.tags.values()].find((tag) => tag.name === "VIP");
    emulator.account.removeMember(vip?.id ?? 0, "oB");
    emulator.account.tags.set(300, { id: 300, name: "手工标签", members: new Set() });

    const drifted = await cli(["drift"]);
    expect(drifted.code).toBe(2);
    expect(drifted.stdout).toContain("these differences were made outside wxconf");
    expect(drifted.stdout).toContain("# menu.default differs from the file");
    expect(drifted.stdout).toContain('~ 今日歌曲: key: "EDITED_IN_CONSOLE" -> "V1001_TODAY_MUSIC"');
    expect(drifted.stdout).toContain("# tag.VIP differs from the file: its members differ from the file's list");
    expect(drifted.stdout).toContain("tag.手工标签: id 300, 0 follower(s): not in the file");
    expect(drifted.stdout).toMatch(/Drift: 2 difference\(s\)/);

    const markdown = await cli(["drift", "--format", "markdown"]);
    expect(markdown.stdout.split("\n")[0]).toBe("### wxconf drift: Drift: 2 difference(s); apply would make 0 to add, 2 to change, 0 to destroy.");

    const broken = await cli(["drift"], { WXCONF_APP_SECRET: "wrong-secret-value" });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("errcode 40125");
  });
});
