// Two applies at once (two CI jobs), then one more: the account ends with exactly one object per declared
// item, and a plan after that shows no changes. Real CLI processes against the emulator over HTTP.
import { afterEach, describe, expect, it } from "vitest";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const FILE = `tags:
  - name: VIP
  - name: 测试人员
templates:
  order_shipped: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 发货时间] }
  paid: { template_id_short: "43216", title: 收款成功通知, keywords: [收款金额] }
menu:
  button: [{ name: 今日歌曲, type: click, key: V1001_TODAY_MUSIC }]
conditional_menus:
  - { name: testers, matchrule: { tag: 测试人员 }, button: [{ name: 测试, type: click, key: T }] }
  - { name: vip, matchrule: { tag: VIP }, button: [{ name: 会员, type: click, key: V }] }
  - { name: ios, matchrule: { client_platform_type: 1 }, button: [{ name: 苹果, type: click, key: I }] }
`;

describe("concurrent applies", () => {
  it.each([1, 2, 3])("round %i: two at once, then one more, leave exactly one object per declared item", async (round) => {
    const emulator = await accounts.start({ verified: true }, { latencyMs: 20 * round });
    const dir = workdir({ "wxconf.yaml": yamlFile(FILE) });
    const env = cliEnv(emulator);
    await Promise.all([runCli(["apply", "--auto-approve"], { cwd: dir, env }), runCli(["apply", "--auto-approve"], { cwd: dir, env })]);
    const last = await runCli(["apply", "--auto-approve"], { cwd: dir, env });
    expect(last.code, last.stdout + last.stderr).toBe(0);

    const tagNames = [...emulator.account.tags.values()].map((tag) => tag.name).filter((name) => name !== "星标组");
    expect(tagNames.sort()).toEqual(["VIP", "测试人员"]);
    expect(emulator.account.templates.map((template) => template.title).sort()).toEqual(["收款成功通知", "订单发货通知"]);
    expect(emulator.account.conditional).toHaveLength(3);
    const plan = await runCli(["plan", "--detailed-exitcode"], { cwd: dir, env });
    expect(plan.code).toBe(0);
  });

  it("a duplicate template found on the account is planned for removal even without prune", async () => {
    const emulator = await accounts.start({
      verified: true,
      templates: [
        { template_id_short: "43216", keywords: ["收款金额"] },
        { template_id_short: "43216", keywords: ["收款金额"] },
      ],
    });
    const dir = workdir({ "wxconf.yaml": yamlFile(`templates:\n  paid: { template_id_short: "43216", title: 收款成功通知, keywords: [收款金额] }\n`) });
    const plan = await runCli(["plan"], { cwd: dir, env: cliEnv(emulator) });
    expect(plan.stdout).toContain("a duplicate of template.paid");
    expect(plan.stdout).toContain("Plan: 0 to add, 0 to change, 1 to destroy.");
    expect((await runCli(["apply", "--auto-approve"], { cwd: dir, env: cliEnv(emulator) })).code).toBe(0);
    expect(emulator.account.templates).toHaveLength(1);
  });
});
