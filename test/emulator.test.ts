// The emulator, driven through wxconf's client over real HTTP on 127.0.0.1: every rule and quirk of
// wechat-api.md §11.2.
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type EmulatorOptions } from "../src/emulator/server.js";
import { WeChatError, WriteOutcomeUnknownError } from "../src/wechat/errors.js";
import type { MenuButton } from "../src/wechat/types.js";
import { clientFor } from "./helpers/client.js";
import { runCli } from "./helpers/cli.js";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

async function start(options: EmulatorOptions = {}) {
  const started = await startEmulator(options);
  running.push(started);
  return { emulator: started, client: clientFor(started) };
}

/** A raw call, as curl would make it, to see exactly what WeChat's wire format looks like. */
async function raw(emulator: Emulator, path: string, body?: string, token?: string) {
  const accessToken = token ?? (await stableToken(emulator));
  const response = await fetch(`${emulator.url}${path}?access_token=${accessToken}`, body === undefined ? {} : { method: "POST", body });
  return (await response.json()) as Record<string, unknown>;
}

async function stableToken(emulator: Emulator, secret = emulator.appSecret) {
  const response = await fetch(`${emulator.url}/cgi-bin/stable_token`, {
    method: "POST",
    body: JSON.stringify({ grant_type: "client_credential", appid: emulator.appId, secret }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function errcodeOf(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WeChatError);
  return (error as WeChatError).errcode;
}

const MENU: MenuButton[] = [
  { name: "今日歌曲", type: "click", key: "V1001_TODAY_MUSIC" },
  { name: "菜单", sub_button: [{ name: "搜索", type: "view", url: "https://www.soso.com/" }] },
];
const button = (name: string, url = "https://a.example.com/"): MenuButton[] => [{ name, type: "view", url }];

describe("menus", () => {
  it("answers 46003 on menu/get when there is no menu; the client reads it as no menu", async () => {
    const { emulator, client } = await start();
    expect((await raw(emulator, "/cgi-bin/menu/get")).errcode).toBe(46003);
    expect(await client.read.getMenu()).toEqual({ default: null, conditional: [] });
  });

  it("shows leaves with an empty sub_button, which the client drops", async () => {
    const { emulator, client } = await start();
    await client.write.createMenu(MENU);
    const answer = (await raw(emulator, "/cgi-bin/menu/get")) as { menu: { button: Array<{ sub_button: unknown[] }> } };
    expect(answer.menu.button[0]?.sub_button).toEqual([]);
    expect((await client.read.getMenu()).default).toEqual({ button: MENU });
  });

  it("reports group_id (a string) for a menu made with tag_id, and menuid as a number; addconditional answers a string", async () => {
    const { emulator, client } = await start();
    await client.write.createMenu(MENU);
    const tag = await client.write.createTag("测试人员");
    const answer = await client.write.send({
      endpoint: "menuAddConditional",
      body: { button: [{ name: "a", type: "click", key: "A" }], matchrule: { tag_id: String(tag.id) } },
    });
    expect(typeof answer.menuid).toBe("string");
    const read = (await raw(emulator, "/cgi-bin/menu/get")) as {
      menu: { menuid: unknown };
      conditionalmenu: Array<{ matchrule: Record<string, unknown>; menuid: unknown }>;
    };
    expect(read.conditionalmenu[0]?.matchrule.group_id).toBe(String(tag.id));
    expect(read.conditionalmenu[0]?.matchrule.tag_id).toBeUndefined();
    expect(typeof read.conditionalmenu[0]?.menuid).toBe("number");
    expect(typeof read.menu.menuid).toBe("number");
    const normalized = await client.read.getMenu();
    expect(normalized.conditional).toEqual([
      { menuid: String(answer.menuid), matchrule: { tag_id: String(tag.id) }, button: [{ name: "a", type: "click", key: "A" }] },
    ]);
  });

  it("deletes every conditional menu with the default menu", async () => {
    const { client } = await start();
    await client.write.createMenu(MENU);
    await client.write.addConditionalMenu(button("a"), { client_platform_type: "1" });
    await client.write.deleteMenu();
    expect(await client.read.getMenu()).toEqual({ default: null, conditional: [] });
  });

  it("leaves conditional menus alone when the default menu is replaced", async () => {
    const { client } = await start();
    await client.write.createMenu(MENU);
    await client.write.addConditionalMenu(button("a"), { client_platform_type: "1" });
    await client.write.createMenu(button("新"));
    expect((await client.read.getMenu()).conditional).toHaveLength(1);
  });

  it("refuses a conditional menu without a default menu (65303)", async () => {
    const { client } = await start();
    expect(await errcodeOf(client.write.addConditionalMenu(button("a"), { client_platform_type: "1" }))).toBe(65303);
  });

  it("refuses sex/region/language rules (65320) and an empty matchrule (65304)", async () => {
    const { client } = await start();
    await client.write.createMenu(MENU);
    expect(await errcodeOf(client.write.addConditionalMenu(button("a"), { sex: "1" }))).toBe(65320);
    expect(await errcodeOf(client.write.addConditionalMenu(button("a"), {}))).toBe(65304);
  });

  it("allows 3 URL domains across conditional menus, not 4 (65316)", async () => {
    const { client } = await start();
    await client.write.createMenu(MENU);
    for (const [index, domain] of ["a", "b", "c"].entries()) {
      await client.write.addConditionalMenu(button("x", `https://${domain}.example.com/`), { client_platform_type: String(index + 1) });
    }
    expect(await errcodeOf(client.write.addConditionalMenu(button("x", "https://d.example.com/"), { client_platform_type: "1" }))).toBe(65316);
  });

  it("checks counts, byte lengths and types with WeChat's codes", async () => {
    const { client } = await start();
    expect(await errcodeOf(client.write.createMenu([]))).toBe(40016);
    expect(await errcodeOf(client.write.createMenu([{ name: "会员中心服务", type: "click", key: "A" }]))).toBe(40018);
    expect(await errcodeOf(client.write.createMenu([{ name: "a", type: "click", key: "K".repeat(129) }]))).toBe(40019);
    expect(await errcodeOf(client.write.createMenu([{ name: "a", type: "bogus" as "click", key: "A" }]))).toBe(40017);
    const six = Array.from({ length: 6 }, (_, index) => ({ name: `s${index}`, type: "click" as const, key: "K" }));
    expect(await errcodeOf(client.write.createMenu([{ name: "p", sub_button: six }]))).toBe(40023);
    expect(await errcodeOf(client.write.createMenu([{ name: "p", sub_button: [{ name: "一".repeat(21), type: "click", key: "K" }] }]))).toBe(40025);
  });

  it("answers 65301 for an unknown conditional menu", async () => {
    const { client } = await start();
    await client.write.createMenu(MENU);
    expect(await errcodeOf(client.write.deleteConditionalMenu("12345"))).toBe(65301);
  });

  it("matches the newest conditional menu first, on the follower's newest tag, else the default (trymatch)", async () => {
    const { client } = await start({ state: { followers: ["oA", "oB", "oC"] } });
    await client.write.createMenu(button("默认"));
    const vip = await client.write.createTag("VIP");
    const testers = await client.write.createTag("测试");
    await client.write.addConditionalMenu(button("旧"), { tag_id: String(vip.id) });
    await client.write.addConditionalMenu(button("新"), { tag_id: String(vip.id) });
    await client.write.addConditionalMenu(button("测试"), { tag_id: String(testers.id) });
    await client.write.tagFollowers(vip.id, ["oA", "oB"]);
    await client.write.tagFollowers(testers.id, ["oB"]);
    expect((await client.read.tryMatch("oA"))[0]?.name).toBe("新");
    expect((await client.read.tryMatch("oB"))[0]?.name).toBe("测试");
    expect((await client.read.tryMatch("oC"))[0]?.name).toBe("默认");
    expect(await errcodeOf(client.read.tryMatch("nobody"))).toBe(65302);
  });

  it("refuses \\uXXXX escapes with 40033 and takes raw UTF-8", async () => {
    const { emulator, client } = await start();
    const escaped = await raw(emulator, "/cgi-bin/menu/create", '{"button":[{"name":"\\u4eca\\u65e5","type":"click","key":"A"}]}');
    expect(escaped.errcode).toBe(40033);
    await client.write.createMenu([{ name: "今日", type: "click", key: "A" }]);
    expect((await client.read.getMenu()).default?.button[0]?.name).toBe("今日");
  });
});

describe("tags", () => {
  it("assigns ids from 100, lists the system tag 2, and protects ids 0-2 (45058)", async () => {
    const { client } = await start();
    const first = await client.write.createTag("VIP");
    const second = await client.write.createTag("测试");
    expect([first.id, second.id]).toEqual([100, 101]);
    expect((await client.read.getTags()).map((tag) => [tag.id, tag.name])).toEqual([
      [2, "星标组"],
      [100, "VIP"],
      [101, "测试"],
    ]);
    expect(await errcodeOf(client.write.renameTag(2, "x"))).toBe(45058);
    expect(await errcodeOf(client.write.deleteTag(1))).toBe(45058);
  });

  it("refuses duplicate names (45157), long names (45158), unknown ids (45159), a 101st tag (45056)", async () => {
    const tags = Array.from({ length: 100 }, (_, index) => ({ name: `t${index}` }));
    const { client } = await start({ state: { tags } });
    expect(await errcodeOf(client.write.createTag("t1"))).toBe(45157);
    expect(await errcodeOf(client.write.renameTag(100, "t2"))).toBe(45157);
    expect(await errcodeOf(client.write.createTag("标".repeat(11)))).toBe(45158);
    expect(await errcodeOf(client.write.deleteTag(999))).toBe(45159);
    expect(await errcodeOf(client.write.createTag("one too many"))).toBe(45056);
  });

  it("renames in place, keeping the id and the followers", async () => {
    const { client } = await start({ state: { followers: ["o1"], tags: [{ id: 105, name: "测试组", members: ["o1"] }] } });
    await client.write.renameTag(105, "测试人员");
    expect(await client.read.getTags()).toContainEqual({ id: 105, name: "测试人员", count: 1 });
  });

  it("pages members by 10 000 with next_openid", async () => {
    const members = Array.from({ length: 25_000 }, (_, index) => `o${String(index).padStart(6, "0")}`);
    const { emulator, client } = await start({ state: { tags: [{ id: 100, name: "big", members }] } });
    const token = await stableToken(emulator);
    const page = (await raw(emulator, "/cgi-bin/user/tag/get", JSON.stringify({ tagid: 100, next_openid: "" }), token)) as {
      count: number;
      next_openid: string;
    };
    expect(page.count).toBe(10_000);
    expect(page.next_openid).toBe("o009999");
    emulator.resetCalls();
    expect(await client.read.getTagMembers(100)).toEqual(members);
    // Three pages, then the empty page that says the list ended.
    expect(emulator.calls().byPath["/cgi-bin/user/tag/get"]).toBe(4);
    emulator.resetCalls();
    expect(await client.read.getTagMembers(100, 25_000)).toHaveLength(25_000);
    expect(emulator.calls().byPath["/cgi-bin/user/tag/get"]).toBe(3);
  });

  it("tags at most 50 openids a call (40032), only followers (40003), at most 20 tags a follower (45059)", async () => {
    const followers = Array.from({ length: 51 }, (_, index) => `o${index}`);
    const tags = Array.from({ length: 21 }, (_, index) => ({ name: `t${index}`, members: index < 20 ? ["o0"] : [] }));
    const { client } = await start({ state: { followers, tags } });
    expect(await errcodeOf(client.write.tagFollowers(120, followers))).toBe(40032);
    expect(await errcodeOf(client.write.tagFollowers(120, ["stranger"]))).toBe(40003);
    expect(await errcodeOf(client.write.tagFollowers(120, ["o0", "o1"]))).toBe(45059);
    await client.write.tagFollowers(120, ["o1", "o2"]);
    await client.write.untagFollowers(120, ["o1"]);
    expect(await client.read.getTagMembers(120)).toEqual(["o2"]);
    expect(await client.read.getTagsOfFollower("o2")).toEqual([120]);
  });

  it("refuses to delete a tag with more than 100 000 followers (45057)", async () => {
    const members = Array.from({ length: 100_001 }, (_, index) => `o${index}`);
    const { client } = await start({ state: { tags: [{ id: 100, name: "everyone", members }] } });
    expect(await errcodeOf(client.write.deleteTag(100))).toBe(45057);
  });
});

describe("templates and industry", () => {
  it("adds from the library, lists with content, and deletes", async () => {
    const { client } = await start();
    const id = await client.write.addTemplate("47123", ["订单号", "发货时间"]);
    const [template] = await client.read.getTemplates();
    expect(template).toMatchObject({ template_id: id, title: "订单发货通知", primary_industry: "IT科技", deputy_industry: "互联网|电子商务" });
    expect(template?.content).toContain("订单号：{{keyword1.DATA}}");
    await client.write.deleteTemplate(id);
    expect(await client.read.getTemplates()).toEqual([]);
    expect(await errcodeOf(client.write.deleteTemplate(id))).toBe(40037);
  });

  it("needs keywords from the library template (40246) and a known template (40037)", async () => {
    const { client } = await start();
    expect(await errcodeOf(client.write.addTemplate("47123", []))).toBe(40246);
    expect(await errcodeOf(client.write.addTemplate("47123", ["不存在"]))).toBe(40246);
    expect(await errcodeOf(client.write.addTemplate("99999", ["a"]))).toBe(40037);
  });

  it("adds a second template when the same one is added twice (the worse case)", async () => {
    const { client } = await start();
    const first = await client.write.addTemplate("47123", ["订单号"]);
    const second = await client.write.addTemplate("47123", ["订单号"]);
    expect(first).not.toBe(second);
    expect(await client.read.getTemplates()).toHaveLength(2);
  });

  it("keeps at most 25 templates (45026)", async () => {
    const templates = Array.from({ length: 25 }, () => ({ template_id_short: "47123", keywords: ["订单号"] }));
    const { client } = await start({ state: { templates } });
    expect(await errcodeOf(client.write.addTemplate("43216", ["收款金额"]))).toBe(45026);
  });

  it("deletes the templates of the old industry when the industry changes", async () => {
    const { client } = await start({ state: { industry: { primary: 1, secondary: 2 } } });
    await client.write.addTemplate("47123", ["订单号"]); // industry 1
    await client.write.addTemplate("41855", ["预约项目"]); // industry 2
    expect(await client.read.getIndustry()).toEqual({
      primary: { first_class: "IT科技", second_class: "互联网|电子商务" },
      secondary: { first_class: "IT科技", second_class: "IT软件与服务" },
    });
    await client.write.setIndustry(13, 2);
    expect((await client.read.getTemplates()).map((template) => template.title)).toEqual(["预约成功通知"]);
    expect(await errcodeOf(client.write.setIndustry(99, 2))).toBe(40103);
  });

  it("answers no industry on an account that never set one", async () => {
    const { client } = await start();
    expect(await client.read.getIndustry()).toEqual({});
  });
});

describe("tokens", () => {
  it("stable_token returns the same token while valid; /cgi-bin/token issues new ones and does not touch it", async () => {
    const { emulator } = await start();
    const stable = await stableToken(emulator);
    expect(await stableToken(emulator)).toBe(stable);
    const classic = async () =>
      (
        (await (await fetch(`${emulator.url}/cgi-bin/token?grant_type=client_credential&appid=${emulator.appId}&secret=${emulator.appSecret}`)).json()) as {
          access_token: string;
        }
      ).access_token;
    const first = await classic();
    const second = await classic();
    expect(second).not.toBe(first);
    expect((await raw(emulator, "/cgi-bin/tags/get", undefined, first)).errcode).toBeUndefined(); // still valid for 5 minutes
    expect((await raw(emulator, "/cgi-bin/tags/get", undefined, stable)).errcode).toBeUndefined();
  });

  it("answers 42001 for an expired token and 40001 for an unknown one; the client refreshes once", async () => {
    const { emulator, client } = await start();
    await client.read.getTags();
    const token = await stableToken(emulator);
    emulator.account.expireTokens();
    expect((await raw(emulator, "/cgi-bin/tags/get", undefined, token)).errcode).toBe(42001);
    expect((await raw(emulator, "/cgi-bin/tags/get", undefined, "made-up-token")).errcode).toBe(40001);
    emulator.resetCalls();
    await client.read.getTags();
    expect(emulator.calls().byPath).toEqual({ "/cgi-bin/tags/get": 2, "/cgi-bin/stable_token": 1 });
  });

  it("answers 40125 for a wrong secret, 40013 for an unknown app id, 40164 outside the IP whitelist", async () => {
    const { emulator } = await start();
    const wrongSecret = clientFor(emulator, { credentials: { app_id: emulator.appId, app_secret: "wrong-secret-value" } });
    expect(await errcodeOf(wrongSecret.read.getTags())).toBe(40125);
    const wrongApp = clientFor(emulator, { credentials: { app_id: "wx1111111111111111", app_secret: emulator.appSecret } });
    expect(await errcodeOf(wrongApp.read.getTags())).toBe(40013);
    emulator.account.ipWhitelist = ["10.0.0.1"];
    const error = (await clientFor(emulator)
      .read.getTags()
      .catch((caught: unknown) => caught)) as WeChatError;
    expect(error.errcode).toBe(40164);
    expect(error.hint).toContain("add 127.0.0.1 to the IP whitelist");
  });

  it("answers 48001 on verified-only APIs for an unverified account", async () => {
    const { client } = await start({ state: { verified: false } });
    expect(await errcodeOf(client.read.getTags())).toBe(48001);
    expect((await client.read.getMenu()).default).toBeNull();
  });
});

describe("quotas", () => {
  it("answers 45009 past the daily limit, with a hint; quota/get reports it; clear_quota resets", async () => {
    const { emulator, client } = await start({ state: { quotas: { "/cgi-bin/tags/get": 2 } } });
    await client.read.getTags();
    await client.read.getTags();
    const error = (await client.read.getTags().catch((caught: unknown) => caught)) as WeChatError;
    expect(error.errcode).toBe(45009);
    expect(error.hint).toContain("openapi/quota/get");
    expect(await client.read.getQuota("/cgi-bin/tags/get")).toEqual({ daily_limit: 2, used: 2, remain: 0 });
    expect(await errcodeOf(client.read.getQuota("cgi-bin/tags/get"))).toBe(76003);
    expect(await errcodeOf(client.read.getQuota("/cgi-bin/nope"))).toBe(76021);
    await client.write.send({ endpoint: "clearQuota", body: { appid: emulator.appId } });
    expect((await client.read.getQuota("/cgi-bin/tags/get")).used).toBe(0);
  });
});

describe("faults", () => {
  it("retries -1 and 45011 transparently", async () => {
    const { emulator, client } = await start({
      faults: {
        rules: [
          { path: "/cgi-bin/tags/get", kind: "busy" },
          { path: "/cgi-bin/tags/get", kind: "minute_quota" },
        ],
      },
    });
    expect(await client.read.getTags()).toHaveLength(1);
    expect(emulator.calls().byPath["/cgi-bin/tags/get"]).toBe(3);
  });

  it("applies a write whose answer is lost; the client says the outcome is unknown", async () => {
    const { emulator, client } = await start({ faults: { rules: [{ path: "/cgi-bin/tags/create", kind: "lost_write" }] } });
    const error = await client.write.createTag("VIP").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((await client.read.getTags()).map((tag) => tag.name)).toContain("VIP");
    expect(emulator.calls().appliedWrites).toBe(1);
  });

  it("drops a connection before processing: a read is retried, a write is unknown and not applied", async () => {
    const { emulator, client } = await start({
      faults: {
        rules: [
          { path: "/cgi-bin/tags/get", kind: "drop" },
          { path: "/cgi-bin/tags/create", kind: "drop" },
        ],
      },
    });
    expect(await client.read.getTags()).toHaveLength(1);
    await expect(client.write.createTag("VIP")).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await client.read.getTags()).toHaveLength(1);
    expect(emulator.calls().appliedWrites).toBe(0);
  });

  it("answers slowly on request; a client that gives up in time reports an unknown outcome for a write", async () => {
    // undici's timers tick about once a second: a 1 s time-out against a 2.5 s answer.
    const { emulator } = await start({ faults: { slowMs: 2_500, rules: [{ path: "/cgi-bin/tags/create", kind: "slow" }] } });
    const impatient = clientFor(emulator, { env: { WXCONF_RETRY_BASE_MS: "1", WXCONF_TIMEOUT_MS: "1000" } });
    await expect(impatient.write.createTag("VIP")).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
    await impatient.close();
  });

  it("draws the same random faults from the same seed", async () => {
    const sequence = async (seed: number) => {
      const { emulator, client } = await start({ seed, faults: { rate: 0.5, kinds: ["busy", "minute_quota"] } });
      for (let index = 0; index < 10; index++) await client.read.getTags().catch(() => undefined);
      return emulator.calls().calls.map((call) => call.fault ?? "-");
    };
    const first = await sequence(42);
    expect(await sequence(42)).toEqual(first);
    expect(first.some((fault) => fault !== "-")).toBe(true);
    expect(await sequence(7)).not.toEqual(first);
  });
});

describe("the call log and the command", () => {
  it("counts calls per path at GET /__emulator/calls", async () => {
    const { emulator, client } = await start();
    await client.write.createMenu(MENU);
    await client.read.getMenu();
    const log = (await (await fetch(`${emulator.url}/__emulator/calls`)).json()) as { byPath: Record<string, number>; writes: number };
    expect(log.byPath).toEqual({ "/cgi-bin/stable_token": 1, "/cgi-bin/menu/create": 1, "/cgi-bin/menu/get": 1 });
    expect(log.writes).toBe(1);
  });

  it("`wxconf emulator` prints its base URL and credentials, and answers as WeChat would", async () => {
    const { spawn } = await import("node:child_process");
    const { CLI } = await import("./helpers/cli.js");
    const child = spawn(process.execPath, [CLI, "emulator", "--port", "0", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (found?.[1]) resolve(found[1]);
        });
        child.on("exit", () => reject(new Error(output)));
      });
      const answer = (await (
        await fetch(`${url}/cgi-bin/stable_token`, {
          method: "POST",
          body: JSON.stringify({ grant_type: "client_credential", appid: "wx0123456789abcdef", secret: "emulator-app-secret-0123456789abcdef" }),
        })
      ).json()) as { access_token: string; expires_in: number };
      expect(answer.expires_in).toBe(7200);
      const menu = (await (await fetch(`${url}/cgi-bin/menu/get?access_token=${answer.access_token}`)).json()) as { errcode: number; errmsg: string };
      expect(menu.errcode).toBe(46003);
      expect(menu.errmsg).toMatch(/^menu no exist rid: /);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("`wxconf emulator` refuses a bad option value clearly", async () => {
    const result = await runCli(["emulator", "--fault-rate", "2"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--fault-rate must be a number from 0 to 1, not '2'");
  });
});
