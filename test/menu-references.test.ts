// The ids menu buttons name (media_id, article_id) are checked against the account in the plan, over real
// HTTP against the emulator: a typo or a deleted article is a plan error naming the button, with no write.
import { afterEach, describe, expect, it } from "vitest";
import type { EmulatorSeed } from "../src/emulator/account.js";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";
import { json, startHostile, WECHAT_DEFAULTS } from "./helpers/hostile.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const MENU = (mediaId: string, articleId: string) => `menu:
  button:
    - { name: 海报, type: media_id, media_id: ${mediaId} }
    - name: 更多
      sub_button:
        - { name: 最新文章, type: article_id, article_id: ${articleId} }
        - { name: 官网, type: view, url: "https://example.com/" }
`;

/** 45 images: the material list takes three pages of 20. */
const MATERIAL: EmulatorSeed = {
  materials: Array.from({ length: 45 }, (_, index) => ({ media_id: `MEDIA_${index}` })),
  articles: [{ article_id: "ART_LIVE" }, { article_id: "ART_GONE", deleted: true }],
};

async function session(sections: string, state: EmulatorSeed) {
  const emulator = await accounts.start(state);
  const dir = workdir({ "wxconf.yaml": yamlFile(sections) });
  return { emulator, cli: (args: string[]) => runCli(args, { cwd: dir, env: cliEnv(emulator) }) };
}

describe("menu button references", () => {
  it("ids the account has: the plan reads the material list page by page and each article once, then applies", async () => {
    const { emulator, cli } = await session(MENU("MEDIA_44", "ART_LIVE"), MATERIAL);
    const plan = await cli(["plan", "--detailed-exitcode"]);
    expect(plan.code).toBe(2);
    const reads = emulator.calls().byPath;
    expect(reads["/cgi-bin/material/get_materialcount"]).toBe(1);
    expect(reads["/cgi-bin/material/batchget_material"]).toBe(3);
    expect(reads["/cgi-bin/freepublish/getarticle"]).toBe(1);
    expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
    expect(emulator.account.menu?.button[0]?.media_id).toBe("MEDIA_44");
  });

  it("an unknown media_id and a deleted article: plan exit 1 naming both buttons, and apply writes nothing", async () => {
    const { emulator, cli } = await session(
      `${MENU("MEDIA_TYPO", "ART_LIVE")}conditional_menus:
  - name: ios
    matchrule: { client_platform_type: 1 }
    button:
      - { name: 旧文, type: article_id, article_id: ART_GONE }
      - { name: 没有, type: view_limited, media_id: MEDIA_1 }
`,
      MATERIAL,
    );
    const plan = await cli(["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(
      "menu.default: button '海报' names media_id MEDIA_TYPO, which is not a permanent material of this account (WeChat would answer 40007)",
    );
    expect(plan.stderr).toContain("conditional_menu.ios: button '旧文' names article_id ART_GONE, a published article that was deleted");
    expect(plan.stderr).not.toContain("MEDIA_1,");
    const apply = await cli(["apply", "--auto-approve"]);
    expect(apply.code).toBe(1);
    expect(emulator.calls().writes).toBe(0);
  });

  it("an article_id that was never published is named with getarticle's 53600", async () => {
    const { cli } = await session(MENU("MEDIA_0", "ART_NONE"), MATERIAL);
    const plan = await cli(["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(
      "menu.default: button '更多 > 最新文章' names article_id ART_NONE, which is not a published article of this account (getarticle: 53600)",
    );
  });

  it("an account that may not read articles (48001) gets a warning, not a failure", async () => {
    const { emulator, cli } = await session(MENU("MEDIA_0", "ART_LIVE"), { ...MATERIAL, verified: false });
    const plan = await cli(["plan", "--detailed-exitcode"]);
    expect(plan.code).toBe(2);
    expect(plan.stdout + plan.stderr).toContain("menu.default: button ids not checked, article ART_LIVE: WeChat answered 48001");
    expect(emulator.calls().byPath["/cgi-bin/material/batchget_material"]).toBe(3);
  });

  it("a menu without media_id or article_id buttons reads no material", async () => {
    const { emulator, cli } = await session(`menu:\n  button:\n    - { name: 官网, type: view, url: "https://example.com/" }\n`, MATERIAL);
    expect((await cli(["plan"])).code).toBe(0);
    const reads = emulator.calls().byPath;
    expect(reads["/cgi-bin/material/get_materialcount"]).toBeUndefined();
    expect(reads["/cgi-bin/freepublish/getarticle"]).toBeUndefined();
  });

  it("the emulator's menu/create refuses a media_id that is not a material, as WeChat does (40007)", async () => {
    const emulator = await accounts.start(MATERIAL);
    const token = await fetch(`${emulator.url}/cgi-bin/stable_token`, {
      method: "POST",
      body: JSON.stringify({ grant_type: "client_credential", appid: emulator.appId, secret: emulator.appSecret }),
    }).then((response) => response.json() as Promise<{ access_token: string }>);
    const create = (media_id: string) =>
      fetch(`${emulator.url}/cgi-bin/menu/create?access_token=${token.access_token}`, {
        method: "POST",
        body: JSON.stringify({ button: [{ name: "海报", type: "media_id", media_id }] }),
      }).then((response) => response.json() as Promise<{ errcode: number }>);
    expect((await create("MEDIA_NOPE")).errcode).toBe(40007);
    expect((await create("MEDIA_3")).errcode).toBe(0);
  });
});

describe("menu button references against a server that is not WeChat", () => {
  it("a material count past WeChat's own cap is not believed: the plan stops before paging through it", async () => {
    const server = await startHostile({
      ...WECHAT_DEFAULTS,
      "/cgi-bin/material/get_materialcount": json({ image_count: 1_000_000_000, video_count: 0, voice_count: 0, news_count: 0 }),
    });
    try {
      const dir = workdir({ "wxconf.yaml": yamlFile(MENU("MEDIA_0", "ART_LIVE")) });
      const env = { WXCONF_API_BASE: server.url, WXCONF_APP_SECRET: "hostile-app-secret-0123", WXCONF_RETRY_BASE_MS: "1" };
      const plan = await runCli(["plan"], { cwd: dir, env });
      expect(plan.code).toBe(1);
      expect(plan.stderr).toContain("it counts 1000000000 image materials");
      expect(server.requests).not.toContain("/cgi-bin/material/batchget_material");
    } finally {
      await server.close();
    }
  });
});
