// `wxconf output`: the ids application code needs, read from the live account.
import { afterEach, describe, expect, it } from "vitest";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const FILE = `tags: [{ name: VIP }, { name: 测试人员 }]
templates:
  order_shipped: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 发货时间] }
menu:
  button:
    - { name: 今日歌曲, type: click, key: V1001_TODAY_MUSIC }
    - name: 服务
      sub_button: [{ name: 扫码, type: scancode_push, key: SCAN }, { name: 官网, type: view, url: "https://example.com/" }]
`;

describe("wxconf output", () => {
  it("prints template ids by binding, tag ids by name and menu keys, as JSON and as env lines", async () => {
    const emulator = await accounts.start({ tags: [{ id: 120, name: "不在文件里" }] });
    const dir = workdir({ "wxconf.yaml": yamlFile(FILE) });
    const env = cliEnv(emulator);
    expect((await runCli(["apply", "--auto-approve"], { cwd: dir, env })).code).toBe(0);
    const templateId = emulator.account.templates[0]?.template_id;
    // Tags are created in parallel: their ids follow the order the creates landed in.
    const idOf = (name: string) => [...emulator.account.tags.values()].find((tag) => tag.name === name)?.id;
    const json = await runCli(["output"], { cwd: dir, env });
    expect(JSON.parse(json.stdout)).toEqual({
      format_version: "1.0",
      templates: { order_shipped: templateId },
      tags: { VIP: idOf("VIP"), 测试人员: idOf("测试人员") },
      menu_keys: { V1001_TODAY_MUSIC: "今日歌曲", SCAN: "扫码" },
      data_keys: { order_shipped: { keyword1: { rule: "text", max: 20 }, keyword2: { rule: "text", max: 20 } } },
    });
    expect(emulator.calls().writes).toBe(4);

    const lines = await runCli(["output", "--format", "env"], { cwd: dir, env });
    expect(lines.stdout).toBe(`WXCONF_TAG_VIP=${String(idOf("VIP"))}\nWXCONF_TEMPLATE_ORDER_SHIPPED=${String(templateId)}\n`);
    expect(lines.stderr).toContain("Not in the env format (names must be ASCII letters, digits and _): 测试人员; use --format json");
  });

  it("fails, saying why, when a binding has no template on the account yet", async () => {
    const emulator = await accounts.start();
    const dir = workdir({ "wxconf.yaml": yamlFile(FILE) });
    const result = await runCli(["output"], { cwd: dir, env: cliEnv(emulator) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no template on the account matches binding(s) order_shipped: run 'wxconf apply' first");
    expect(result.stdout).toBe("");
  });
});
