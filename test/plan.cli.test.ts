// `wxconf plan` as a user runs it, against the emulator: exit codes, formats, the saved plan, errors.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const MENU = "menu:\n  button:\n    - { name: 今日歌曲, type: click, key: V1001_TODAY_MUSIC }\n";
const LIVE_MENU = { button: [{ name: "今日歌曲", type: "click", key: "V1001_TODAY_MUSIC" }] };

async function plan(sections: string, args: string[] = [], state = {}) {
  const emulator = await accounts.start(state);
  const dir = workdir({ "wxconf.yaml": yamlFile(sections) });
  const result = await runCli(["plan", ...args], { cwd: dir, env: cliEnv(emulator) });
  return { ...result, emulator, dir };
}

describe("exit codes", () => {
  it("0 with no changes, and says so", async () => {
    const { code, stdout } = await plan(MENU, ["--detailed-exitcode"], { menu: LIVE_MENU });
    expect(stdout).toContain("No changes. The account matches the configuration.");
    expect(code).toBe(0);
  });

  it("0 with changes, 2 with --detailed-exitcode", async () => {
    expect((await plan(MENU)).code).toBe(0);
    const detailed = await plan(MENU, ["--detailed-exitcode"]);
    expect(detailed.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(detailed.code).toBe(2);
  });

  it("1 for an invalid file, before any call", async () => {
    const { code, stderr, emulator } = await plan("menu:\n  button: []\n");
    expect(code).toBe(1);
    expect(stderr).toContain("wxconf.yaml:5:11: a menu has 1 to 3 top-level buttons");
    expect(emulator.calls().total).toBe(0);
  });

  it("1 for a WeChat error, with the errcode, WeChat's message and a hint", async () => {
    const { code, stderr } = await plan("tags: [{ name: VIP }]\n", [], { verified: false });
    expect(code).toBe(1);
    expect(stderr).toMatch(/WeChat refused \/cgi-bin\/tags\/get: errcode 48001, "api unauthorized rid: [0-9a-f-]+"/);
    expect(stderr).toContain("Hint: tags, conditional menus and template messages need a verified (认证) service or subscription account");
  });

  it("1 when the file cannot be applied to this account, naming why", async () => {
    const { code, stderr } = await plan(`${MENU}conditional_menus:\n  - { name: x, matchrule: { tag: 没有 }, button: [{ name: a, type: click, key: A }] }\n`);
    expect(code).toBe(1);
    expect(stderr).toContain("the file cannot be applied to this account:\n  - conditional_menu.x: tag '没有' is neither in the file nor on the account");
  });

  it("1 without credentials, saying where they come from", async () => {
    const emulator = await accounts.start();
    const dir = workdir({ "wxconf.yaml": yamlFile(MENU) });
    const result = await runCli(["plan"], { cwd: dir, env: { WXCONF_API_BASE: emulator.url } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no credentials: set $WXCONF_APP_SECRET");
  });
});

describe("formats and the saved plan", () => {
  it("text: a legend of the symbols in use, a header per change, the counts and the calls", async () => {
    const { stdout } = await plan(`${MENU}tags: [{ name: VIP }]\n`, [], {
      tags: [{ name: "old" }],
      menu: { button: [{ name: "今日歌曲", type: "click", key: "OLD" }] },
    });
    expect(stdout).toContain("    + create\n    ~ update in place\n");
    expect(stdout).not.toContain("    - delete");
    expect(stdout).toContain("  # tag.VIP will be created: the file lists it and the account has no tag by this name\n  + tag.VIP\n");
    expect(stdout).toContain('  ~ menu.default\n      ~ 今日歌曲: key: "OLD" -> "V1001_TODAY_MUSIC"\n');
    expect(stdout).toContain("Not managed by this file (left alone, and not drift):\n  tag.old: id 100, 0 follower(s)");
    expect(stdout).toContain("Plan: 1 to add, 1 to change, 0 to destroy.\nApply will make 2 API calls: 1 tags/create, 1 menu/create.");
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it("json: the versioned contract, also saved with --out", async () => {
    const { stdout, dir } = await plan(`${MENU}tags: [{ name: VIP }]\n`, ["--format", "json", "--out", "plan.json"]);
    const printed = JSON.parse(stdout) as Record<string, unknown>;
    const saved = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as Record<string, unknown>;
    expect(saved).toEqual(printed);
    expect(printed).toMatchObject({
      format_version: "1.1",
      tool: { name: "wxconf" },
      account: { app_id: "wx0123456789abcdef" },
      checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      managed: ["tag", "menu"],
      summary: { add: 2, change: 0, destroy: 0, calls: 2 },
      changes: [
        { address: "tag.VIP", actions: ["create"], before: null },
        { address: "menu.default", actions: ["create"], before: null },
      ],
      steps: [
        {
          index: 1,
          endpoint: "tagsCreate",
          method: "POST",
          path: "/cgi-bin/tags/create",
          body: { tag: { name: "VIP" } },
          produces: { ref: "tag.VIP.id", from: "tag.id" },
        },
        { index: 2, endpoint: "menuCreate", method: "POST", path: "/cgi-bin/menu/create" },
      ],
    });
  });

  it("the same account and file give the same checksum; a change on the account gives another", async () => {
    const emulator = await accounts.start({ menu: LIVE_MENU });
    const dir = workdir({ "wxconf.yaml": yamlFile(`${MENU}tags: [{ name: VIP }]\n`) });
    const checksum = async () =>
      (JSON.parse((await runCli(["plan", "--format", "json"], { cwd: dir, env: cliEnv(emulator) })).stdout) as { checksum: string }).checksum;
    const first = await checksum();
    expect(await checksum()).toBe(first);
    emulator.account.tags.set(150, { id: 150, name: "手工", members: new Set() });
    expect(await checksum()).not.toBe(first);
  });

  it("markdown: the summary first, the details folded, the checksum", async () => {
    const { stdout } = await plan(`${MENU}tags: [{ name: VIP }]\n`, ["--format", "markdown"]);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("### wxconf plan: Plan: 2 to add, 0 to change, 0 to destroy.");
    expect(stdout).toContain("<details><summary>Details: 2 change(s)</summary>");
    expect(stdout).toContain("```diff\n# tag.VIP will be created");
    expect(stdout).toMatch(/Checksum `sha256:[0-9a-f]{64}`/);
    expect(stdout).not.toContain("[!CAUTION]");
  });

  it("never writes, even for a plan full of changes", async () => {
    const { emulator } = await plan("menu: null\ntags: [{ name: VIP }]\nprune: { tags: true }\n", [], { menu: LIVE_MENU, tags: [{ name: "old" }] });
    expect(emulator.calls().writes).toBe(0);
    expect(emulator.calls().total).toBeGreaterThan(0);
  });

  it("refuses an unknown format", async () => {
    const { code, stderr } = await plan(MENU, ["--format", "yaml"]);
    expect(code).toBe(1);
    expect(stderr).toContain("Allowed choices are text, markdown, json");
  });
});
