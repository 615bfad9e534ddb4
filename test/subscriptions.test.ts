// Subscription notifications as a kind, over real HTTP against the emulator: add exactly once per binding,
// resolve tid and keyword names before any write, keyword changes, lost answers, import, output.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EmulatorSeed } from "../src/emulator/account.js";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const SECTION = `subscriptions:
  order_paid:
    tid: "1234"
    keywords: [订单号, 支付金额, 支付时间]
    scene: 订单支付
  shipped:
    tid: 5678
    keywords: [快递公司, 快递单号]
    scene: 发货
`;

async function session(sections: string, state: EmulatorSeed = {}, faults = {}) {
  const emulator = await accounts.start(state, { faults });
  const dir = workdir({ "wxconf.yaml": yamlFile(sections) });
  return { emulator, dir, cli: (args: string[]) => runCli(args, { cwd: dir, env: cliEnv(emulator) }) };
}

describe("subscriptions", () => {
  it("fresh account: plan, apply with exactly one addtemplate per binding, then plan is clean", async () => {
    const { emulator, cli } = await session(SECTION);
    const plan = await cli(["plan"]);
    expect(plan.stdout).toContain("+ subscription.order_paid");
    expect(plan.stdout).toContain("Plan: 2 to add, 0 to change, 0 to destroy.");
    expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
    expect(emulator.calls().writesByPath).toEqual({ "/wxaapi/newtmpl/addtemplate": 2 });
    expect(emulator.account.subscriptions.map((template) => [template.tid, template.kidList, template.sceneDesc])).toEqual([
      ["1234", [1, 2, 3], "订单支付"],
      ["5678", [2, 3], "发货"],
    ]);
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("a keyword change adds the new template; the old one goes only with prune, and deleting it needs --allow-destroy", async () => {
    const state = { subscriptions: [{ tid: "1234", keywords: ["订单号", "支付金额"], scene: "旧" }] };
    const changed = `subscriptions:\n  order_paid: { tid: "1234", keywords: [订单号, 支付时间], scene: 订单支付 }\n`;
    const kept = await session(changed, state);
    expect((await kept.cli(["apply", "--auto-approve"])).code).toBe(0);
    expect(kept.emulator.calls().writesByPath).toEqual({ "/wxaapi/newtmpl/addtemplate": 1 });
    expect(kept.emulator.account.subscriptions).toHaveLength(2);

    const pruned = await session(`${changed}prune: { subscriptions: true }\n`, state);
    const refused = await pruned.cli(["apply", "--auto-approve"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("subscription_in_use: deleting 订单支付成功通知");
    expect((await pruned.cli(["apply", "--auto-approve", "--allow-destroy"])).code).toBe(0);
    expect(pruned.emulator.calls().writesByPath).toEqual({ "/wxaapi/newtmpl/addtemplate": 1, "/wxaapi/newtmpl/deltemplate": 1 });
    expect(pruned.emulator.account.subscriptions.map((template) => template.kidList)).toEqual([[1, 3]]);
  });

  it("an unknown tid or keyword is a plan error naming the choices, with no write; a long scene is refused by validate", async () => {
    const unknownTid = await session(`subscriptions:\n  x: { tid: "4321", keywords: [订单号, 支付金额], scene: 支付 }\n`);
    const tid = await unknownTid.cli(["apply", "--auto-approve"]);
    expect(tid.code).toBe(1);
    expect(tid.stderr).toContain("subscription.x: tid 4321 is not a public template of the account's categories (some that are: 1234 订单支付成功通知");
    expect(unknownTid.emulator.calls().writes).toBe(0);
    const unknownKeyword = await session(`subscriptions:\n  x: { tid: "1234", keywords: [订单号, 金额], scene: 支付 }\n`);
    const keyword = await unknownKeyword.cli(["plan"]);
    expect(keyword.code).toBe(1);
    expect(keyword.stderr).toContain("has no keyword '金额'; its keywords: 订单号, 支付金额, 支付时间, 商品名称");
    const dir = workdir({
      "wxconf.yaml": yamlFile(`subscriptions:\n  x: { tid: "1234", keywords: [订单号, 支付金额], scene: 一个非常非常非常非常长的场景描述 }\n`),
    });
    const validated = await runCli(["validate"], { cwd: dir });
    expect(validated.code).toBe(1);
    expect(validated.stderr).toContain("scene is 16 characters; WeChat's sceneDesc takes at most 15");
  });

  it("a lost addtemplate answer is confirmed by re-reading: never a duplicate", async () => {
    const { emulator, cli } = await session(SECTION, {}, { rules: [{ path: "/wxaapi/newtmpl/addtemplate", kind: "lost_write" }] });
    expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
    expect(emulator.account.subscriptions).toHaveLength(2);
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("import round trip; output gives the ids and each data key's rule and limit, as JSON and TypeScript", async () => {
    const { emulator, cli, dir } = await session(SECTION);
    await cli(["apply", "--auto-approve"]);
    const imported = await runCli(["import", "--app-id", emulator.appId, "-o", "imported.yaml"], { cwd: dir, env: cliEnv(emulator) });
    expect(imported.code).toBe(0);
    expect(readFileSync(join(dir, "imported.yaml"), "utf8")).toContain('tid: "1234"');
    expect((await runCli(["plan", "-c", "imported.yaml", "--detailed-exitcode"], { cwd: dir, env: cliEnv(emulator) })).code).toBe(0);

    const output = JSON.parse((await cli(["output"])).stdout) as {
      subscriptions: Record<string, string>;
      data_keys: Record<string, Record<string, { rule: string; max?: number }>>;
    };
    expect(output.subscriptions.order_paid).toBe(emulator.account.subscriptions[0]?.priTmplId);
    expect(output.data_keys.order_paid).toEqual({
      character_string1: { rule: "character_string", max: 32 },
      amount2: { rule: "amount", max: 11 },
      time3: { rule: "time" },
    });
    const ts = await cli(["output", "--format", "ts"]);
    expect(ts.stdout).toContain("export const wxconf = {");
    expect(ts.stdout).toContain("export type SendData<B extends keyof typeof wxconf.data_keys>");
  });

  it("old template-library ids are refused by validate with the 40247 explanation", async () => {
    const dir = workdir({ "wxconf.yaml": yamlFile(`templates:\n  paid: { template_id_short: OPENTM207500112, title: 收款成功通知, keywords: [收款金额] }\n`) });
    const result = await runCli(["validate"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is an id of the old template library, which WeChat no longer adds (40247");
  });
});
