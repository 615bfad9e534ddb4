// `wxconf import` writes the live account as a file a person would have written; `plan` on it shows no
// changes (the round trip), on accounts made by wxconf and on accounts seeded from real SDK payloads.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EmulatorSeed } from "../src/emulator/account.js";
import type { Json } from "../src/json.js";
import { Accounts, cliEnv } from "./helpers/account.js";
import { ROOT, runCli, workdir } from "./helpers/cli.js";
import { fixture, FIXTURES_PRESENT } from "./helpers/fixtures.js";
import { json, startHostile, WECHAT_DEFAULTS, type HostileServer } from "./helpers/hostile.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

/** Imports the account into a new folder and plans the imported file against the same account. */
async function roundTrip(state: EmulatorSeed, importArgs: string[] = []) {
  const emulator = await accounts.start(state);
  const dir = workdir();
  const env = cliEnv(emulator);
  const imported = await runCli(["import", "--app-id", emulator.appId, "-o", "wxconf.yaml", ...importArgs], { cwd: dir, env });
  const text = readFileSync(join(dir, "wxconf.yaml"), "utf8");
  const validated = await runCli(["validate"], { cwd: dir, env });
  const planned = await runCli(["plan", "--detailed-exitcode"], { cwd: dir, env });
  return { emulator, dir, imported, text, validated, planned };
}

describe("import, then plan: no changes", () => {
  it("an account wxconf applied examples/full.yaml to", async () => {
    const emulator = await accounts.start({
      followers: ["oLVPpjqs9BhvzwPj5A-vTYAX3GLc", "oLVPpjkttuZTbwDwN7vjHNlqsmPs"],
      // The ids full.yaml's media_id and article_id buttons name: plan checks they exist.
      materials: [{ media_id: "MEDIA_ID_OF_A_PERMANENT_MATERIAL" }],
      articles: [{ article_id: "ARTICLE_ID_FROM_FREEPUBLISH" }],
    });
    const env = cliEnv(emulator);
    expect((await runCli(["apply", "-c", "examples/full.yaml", "--auto-approve"], { cwd: ROOT, env })).code).toBe(0);
    const dir = workdir();
    const imported = await runCli(["import", "--app-id", emulator.appId, "-o", "wxconf.yaml"], { cwd: dir, env });
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain("Wrote wxconf.yaml. Check it with 'wxconf plan -c wxconf.yaml': it should show no changes.");
    const text = readFileSync(join(dir, "wxconf.yaml"), "utf8");
    expect(text).toMatch(
      /^# yaml-language-server: \$schema=\S+schemas\/wxconf\.schema\.json\n# Imported from account wx0123456789abcdef by wxconf import on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\./,
    );
    expect(text).toContain("  primary: 1 # IT科技 / 互联网/电子商务\n");
    // Tags are created in parallel: which id each got depends on which create landed first.
    expect(text).toMatch(/ {2}- \{ name: 测试人员 \} # id 10\d, 2 follower\(s\)\n/);
    expect(text).toContain("    keywords: [ 订单号, 发货时间, 快递公司 ]\n");
    expect(text).toMatch(/\nsubscriptions:\n {2}订单支付成功通知:\n {4}# priTmplId \S+\n {4}tid: "1234"\n {4}keywords: \[ 订单号, 支付金额, 支付时间 \]\n/);
    expect(text).toContain("  # precedence 1, menuid ");
    expect(text).toContain("    matchrule: { tag: 测试人员 }\n");
    expect(text).toContain("    matchrule: { tag: VIP, client_platform_type: 1 }\n");
    expect((await runCli(["validate"], { cwd: dir, env })).code).toBe(0);
    const planned = await runCli(["plan", "--detailed-exitcode"], { cwd: dir, env });
    expect(planned.stdout).toContain("No changes. The account matches the configuration.");
    expect(planned.code).toBe(0);
  });

  it("with --with-members, members are written and managed", async () => {
    const { text, planned } = await roundTrip({ followers: ["o1", "o2"], tags: [{ id: 100, name: "VIP", members: ["o2", "o1"] }] }, ["--with-members"]);
    expect(text).toContain("  - name: VIP\n    members:\n      - o2\n      - o1\n");
    expect(planned.code).toBe(0);
  });

  it("an account with nothing at all", async () => {
    const { text, imported, validated, planned } = await roundTrip({});
    expect(imported.stderr).toContain("the account has no menu: 'menu' is left out (not managed) until you add one");
    expect(text).toContain("tags: []\n");
    expect(validated.code).toBe(0);
    expect(planned.code).toBe(0);
  });

  it("an unverified account: what WeChat refuses to show is left out and said", async () => {
    const { imported, text, planned } = await roundTrip({ verified: false, menu: { button: [{ name: "a", type: "click", key: "A" }] } });
    expect(imported.stderr).toContain("Note: not imported: tags: WeChat answered 48001");
    expect(text).not.toMatch(/^tags:/m);
    expect(planned.code).toBe(0);
  });

  it("refuses to overwrite a file unless --force", async () => {
    const emulator = await accounts.start();
    const dir = workdir({ "wxconf.yaml": "keep me\n" });
    const result = await runCli(["import", "--app-id", emulator.appId, "-o", "wxconf.yaml"], { cwd: dir, env: cliEnv(emulator) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wxconf.yaml exists: pass --force to overwrite it");
    expect(readFileSync(join(dir, "wxconf.yaml"), "utf8")).toBe("keep me\n");
  });

  it("leaves out a conditional menu whose rule WeChat removed, and says the next apply deletes it", async () => {
    const { imported, planned } = await roundTrip({
      menu: { button: [{ name: "a", type: "click", key: "A" }] },
      conditional_menus: [{ matchrule: { sex: "1" }, button: [{ name: "b", type: "click", key: "B" }] }],
    });
    expect(imported.stderr).toMatch(
      /conditional menu \d+ matches on sex, which WeChat removed \(it matches nobody now\): left out, so the next apply deletes it/,
    );
    expect(planned.code).toBe(2);
  });
});

describe.skipIf(!FIXTURES_PRESENT)("import, then plan, on accounts seeded from real SDK payloads", () => {
  it.each(["wechatpy__menu_get.json", "doraemonext__menu_get.json"])("%s as the account's menu", async (name) => {
    const { menu } = fixture<{ menu: { button: unknown[] } }>(name);
    const { validated, planned } = await roundTrip({ menu });
    expect(validated.code).toBe(0);
    expect(planned.stdout).toContain("No changes.");
    expect(planned.code).toBe(0);
  });

  it.each(["wechatpy__groups_get.json", "doraemonext__groups_get.json"])("%s as the account's tags", async (name) => {
    const { groups } = fixture<{ groups: Array<{ id: number; name: string }> }>(name);
    const tags = groups.filter((group) => group.id > 2).map((group) => ({ id: group.id, name: group.name }));
    const { text, planned } = await roundTrip({ tags });
    for (const tag of tags) expect(text).toContain(`name: ${tag.name}`);
    expect(planned.code).toBe(0);
  });

  it("co-wechat-api__conditional_menu.json's buttons, under its tag and platform rule", async () => {
    const request = fixture<{ button: unknown[]; matchrule: { group_id: string; client_platform_type: string } }>("co-wechat-api__conditional_menu.json");
    const { text, planned } = await roundTrip({
      menu: { button: request.button },
      conditional_menus: [
        { matchrule: { group_id: request.matchrule.group_id, client_platform_type: request.matchrule.client_platform_type }, button: request.button },
      ],
    });
    expect(text).toContain("matchrule: { tag: 星标组, client_platform_type: 2 }");
    expect(planned.code).toBe(0);
  });

  it("wechatpy__get_current_selfmenu_info.json: a console menu imports what maps, comments the rest, and exits 1 unless --lenient", async () => {
    const selfmenu = fixture<{ selfmenu_info: { button: never[] } }>("wechatpy__get_current_selfmenu_info.json");
    const state: EmulatorSeed = { console_menu: { button: selfmenu.selfmenu_info.button } };
    const strict = await roundTrip(state);
    expect(strict.imported.code).toBe(1);
    expect(strict.imported.stderr).toContain("the menu was made in the MP console");
    expect(strict.imported.stderr).toContain("menu button 'button > news' has type news, which the API cannot create");
    expect(strict.imported.stderr).toContain("5 console-menu button(s) cannot be managed through the API");
    expect(strict.text).toContain("#   text (type text: This is text!)");
    expect(strict.text).toContain("- { name: view_url, type: view, url: http://www.qq.com }");
    expect(strict.validated.code).toBe(0);
    // Managing it through the API replaces the console's menu: one change, destructive, naming what followers lose.
    expect(strict.planned.stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
    expect(strict.planned.stdout).toContain("replacing the menu published in the MP console removes 5 button(s) followers see: ");
    expect(strict.planned.stdout).toContain("button > news (news)");

    const emulator = await accounts.start(state);
    const dir = workdir();
    const lenient = await runCli(["import", "--app-id", emulator.appId, "--lenient"], { cwd: dir, env: cliEnv(emulator) });
    expect(lenient.code).toBe(0);
    writeFileSync(join(dir, "from-stdout.yaml"), lenient.stdout);
    expect((await runCli(["validate", "-c", "from-stdout.yaml"], { cwd: dir })).code).toBe(0);
  });
});

describe("import and validate agree with real menus", () => {
  const servers: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it("a parent button that also carries a key is a warning, and such a menu round-trips", async () => {
    const live = { button: [{ name: "服务", key: "SERVICE", sub_button: [{ name: "官网", type: "view", url: "https://example.com/" }] }] };
    const { imported, text, validated, planned, emulator } = await roundTrip({ menu: live });
    expect(imported.code).toBe(0);
    expect(text).toContain("key: SERVICE");
    expect(validated.code).toBe(0);
    expect(validated.stderr).toMatch(/wxconf\.yaml:\d+:\d+: warning: button '服务' has sub buttons, so 'key' does nothing/);
    expect(validated.stdout).toContain("is valid (1 warning)");
    expect(planned.code).toBe(0);
    // The emulator accepts it as WeChat does.
    const dir = workdir({ "wxconf.yaml": text.replace("SERVICE", "SERVICE2") });
    expect((await runCli(["apply", "--auto-approve"], { cwd: dir, env: cliEnv(emulator) })).code).toBe(0);
  });

  it("a console mini-program button without a url: import says what to add, and --lenient writes a valid file", async () => {
    const consoleMenu: { button: Json[] } = {
      button: [
        { name: "小程序", type: "miniprogram", url: "", appid: "wx286b93c14bbf93aa", pagepath: "pages/lunar/index" },
        { name: "官网", type: "view", url: "https://example.com/" },
      ],
    };
    const strict = await roundTrip({ console_menu: consoleMenu });
    expect(strict.imported.code).toBe(1);
    expect(strict.imported.stderr).toContain("menu button '小程序' (type miniprogram) has no url, which the API needs");
    expect(strict.text).toContain("小程序 (type miniprogram, no url: appid wx286b93c14bbf93aa, pagepath pages/lunar/index)");
    expect(strict.validated.code).toBe(0);
    const lenient = await roundTrip({ console_menu: consoleMenu }, ["--lenient"]);
    expect(lenient.imported.code).toBe(0);
    expect(lenient.validated.code).toBe(0);
  });

  it("WeChat's documented tag list, with system tags 1 and 2, imports without them and plans no changes", async () => {
    const server = await startHostile({
      ...WECHAT_DEFAULTS,
      "/cgi-bin/tags/get": json({
        tags: [
          { id: 1, name: "黑名单", count: 0 },
          { id: 2, name: "星标组", count: 0 },
          { id: 127, name: "广东", count: 5 },
        ],
      }),
    });
    servers.push(server);
    const dir = workdir();
    const env = { WXCONF_API_BASE: server.url, WXCONF_APP_SECRET: "hostile-app-secret-0123", WXCONF_RETRY_BASE_MS: "1" };
    expect((await runCli(["import", "--app-id", "wx0123456789abcdef", "-o", "wxconf.yaml"], { cwd: dir, env })).code).toBe(0);
    const text = readFileSync(join(dir, "wxconf.yaml"), "utf8");
    expect(text).toContain("name: 广东");
    expect(text).not.toContain("黑名单");
    expect(text).not.toContain("星标组");
    const planned = await runCli(["plan", "--detailed-exitcode"], { cwd: dir, env });
    expect(planned.code).toBe(0);
  });
});
