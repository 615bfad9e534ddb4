// `wxconf server check` over real HTTP: the example server passes in every mode; each flaw teams ship is
// caught, and named by its key where it is one key's fault; the Token and the key never appear in output.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator } from "../src/emulator/server.js";
import { cliEnv } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";
import { type Flaws, type MessageServer, startMessageServer } from "./helpers/message-server.js";

const TOKEN = "server-token-0123456789";
const AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APP_ID = "wx0123456789abcdef";
const ENV = { WXCONF_SERVER_TOKEN: TOKEN, WXCONF_SERVER_AES_KEY: AES_KEY };

const FILE = (url: string, mode = "safe") => `version: 1
account:
  app_id: ${APP_ID}
menu:
  button:
    - { name: 今日歌曲, type: click, key: V1001_TODAY_MUSIC }
    - name: 服务
      sub_button:
        - { name: 官网, type: view, url: "https://example.com/" }
        - { name: 扫码, type: scancode_waitmsg, key: SCAN }
        - { name: 位置, type: location_select, key: WHERE }
        - { name: 小程序, type: miniprogram, url: "https://example.com/", appid: wx286b93c14bbf93aa, pagepath: pages/index }
conditional_menus:
  - { name: ios, matchrule: { client_platform_type: 1 }, button: [{ name: 苹果, type: click, key: IOS_ONLY }, { name: 拍照, type: pic_sysphoto, key: PHOTO }] }
server:
  url: ${url}
  mode: ${mode}
`;

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Report {
  format_version: string;
  ok: boolean;
  checks: Array<{ check: string; name: string; key?: string; ok: boolean; ms: number; problem?: string; wechat?: string; fix?: string }>;
}

async function check(url: string, mode: string, extra: string[] = []) {
  const dir = workdir({ "wxconf.yaml": FILE(url, mode) });
  const result = await runCli(["server", "check", "--format", "json", ...extra], { cwd: dir, env: ENV });
  return { ...result, report: JSON.parse(result.stdout) as Report };
}

/** The example server, started as a user starts it, on a free port (its first line says which). */
async function startExample(): Promise<MessageServer> {
  const child = spawn(process.execPath, ["examples/server/server.mjs"], {
    env: { PATH: process.env.PATH ?? "", WXCONF_SERVER_TOKEN: TOKEN, WXCONF_SERVER_AES_KEY: AES_KEY, WXCONF_APP_ID: APP_ID, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve) => child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString("utf8"))));
  const url = /http:\/\/127\.0\.0\.1:\d+\/wechat/.exec(line)?.[0];
  if (!url) throw new Error(`the example server said '${line.trim()}', not its address`);
  return { url, close: async () => void child.kill() };
}

async function flawed(flaws: Flaws): Promise<MessageServer> {
  const server = await startMessageServer({ token: TOKEN, encodingAesKey: AES_KEY, appId: APP_ID }, flaws);
  servers.push(server);
  return server;
}

describe("the example server", () => {
  it.each(["plain", "compatible", "safe"])("passes every check in %s mode", async (mode) => {
    const server = await startExample();
    servers.push(server);
    const { code, report, stderr } = await check(server.url, mode);
    expect(report.checks.filter((item) => !item.ok)).toEqual([]);
    expect(code).toBe(0);
    expect(report.format_version).toBe("1.0");
    // One event per distinct button (media-less types all push), subscribe and unsubscribe.
    const keys = report.checks.filter((item) => item.check === "event").map((item) => item.key ?? item.name);
    expect(keys).toEqual(["V1001_TODAY_MUSIC", "https://example.com/", "SCAN", "WHERE", "pages/index", "IOS_ONLY", "PHOTO", "subscribe", "unsubscribe"]);
    expect(stderr + JSON.stringify(report)).not.toContain(TOKEN);
    expect(stderr + JSON.stringify(report)).not.toContain(AES_KEY);
  });

  it("prints a line per check with its latency, as text", async () => {
    const server = await startExample();
    servers.push(server);
    const dir = workdir({ "wxconf.yaml": FILE(server.url, "safe") });
    const result = await runCli(["server", "check"], { cwd: dir, env: ENV });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok\s+\d+ ms {2}URL verification/m);
    expect(result.stdout).toMatch(/checks, 0 failed; the slowest answer took \d+ ms \(WeChat waits 5000 ms\)\./);
  });
});

describe("flaws are caught", () => {
  const failed = (report: Report) => report.checks.filter((item) => !item.ok);

  it("a wrong Token: the handshake fails, as the MP console would say", async () => {
    const server = await flawed({ wrongToken: true });
    const { code, report } = await check(server.url, "plain");
    expect(code).toBe(1);
    expect(failed(report)[0]).toMatchObject({ check: "handshake", wechat: "the MP console refuses the URL ('Token验证失败', 200302)" });
  });

  it("an echo without a signature check", async () => {
    const { report } = await check((await flawed({ echoWithoutCheck: true })).url, "plain");
    expect(failed(report).map((item) => item.check)).toEqual(["handshake_forged"]);
  });

  it("a forged push processed", async () => {
    const { report } = await check((await flawed({ processForged: true })).url, "safe");
    expect(failed(report).map((item) => item.check)).toEqual(["push_forged"]);
  });

  it("a key whose handler fails (500) or answers broken XML is named", async () => {
    const failing = await check((await flawed({ failingKey: "SCAN" })).url, "plain");
    expect(failed(failing.report)).toMatchObject([{ check: "event", key: "SCAN", problem: "HTTP 500" }]);
    const malformed = await check((await flawed({ malformedKey: "IOS_ONLY" })).url, "compatible");
    expect(failed(malformed.report)).toMatchObject([{ check: "event", key: "IOS_ONLY" }]);
    expect(failed(malformed.report)[0]?.fix).toContain("the handler of 'IOS_ONLY'");
  });

  it("a slow key: no answer within 5 s, with what WeChat does", async () => {
    const { report } = await check((await flawed({ slowKey: "V1001_TODAY_MUSIC" })).url, "plain");
    const [slow] = failed(report);
    expect(slow).toMatchObject({ check: "event", key: "V1001_TODAY_MUSIC", problem: "no answer within 5 s" });
    expect(slow?.wechat).toContain("该公众号暂时无法提供服务");
  }, 20_000);

  it("a plain reply XML in safe mode, unswapped users, a bad reply signature", async () => {
    expect(failed((await check((await flawed({ plainReplies: true })).url, "safe")).report)[0]?.problem).toBe("a plain reply XML in safe mode");
    // Compatible mode accepts plain replies.
    expect(failed((await check((await flawed({ plainReplies: true })).url, "compatible")).report)).toEqual([]);
    expect(failed((await check((await flawed({ usersNotSwapped: true })).url, "plain")).report)[0]?.problem).toContain("ToUserName is");
    expect(failed((await check((await flawed({ badReplySignature: true })).url, "safe")).report)[0]?.problem).toContain("MsgSignature does not verify");
  });

  it("an unreachable server says so, and the check exits 1", async () => {
    const server = await flawed({});
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const { code, report } = await check(server.url, "plain");
    expect(code).toBe(1);
    expect(report.checks[0]?.problem).toContain("could not connect");
  });

  it("an endless answer is cut at 1 MiB, not buffered; a redirect is not followed", async () => {
    let redirected = 0;
    const endless = createServer((request, response) => {
      if (request.url?.startsWith("/elsewhere")) {
        redirected++;
        response.end("success");
        return;
      }
      if (request.method === "GET") {
        response.writeHead(302, { location: "/elsewhere" }).end();
        return;
      }
      const chunk = Buffer.alloc(64 * 1024, "x");
      const pour = () => {
        while (response.write(chunk)) {}
        response.once("drain", pour);
      };
      pour();
    });
    await new Promise<void>((resolve) => endless.listen(0, "127.0.0.1", resolve));
    servers.push({
      close: () =>
        new Promise<void>((resolve) => {
          endless.closeAllConnections();
          endless.close(() => resolve());
        }),
    });
    const { code, report } = await check(`http://127.0.0.1:${(endless.address() as AddressInfo).port}/wechat`, "plain");
    expect(code).toBe(1);
    expect(report.checks.find((item) => item.check === "handshake")?.problem).toContain("answered HTTP 302");
    expect(report.checks.find((item) => item.check === "message")?.problem).toContain("more than 1048576 bytes");
    expect(redirected).toBe(0);
  });
});

describe("--from-wechat", () => {
  it("adds WeChat's own probe (callback/check), the only call to WeChat", async () => {
    const emulator = await startEmulator({});
    servers.push(emulator);
    const server = await flawed({});
    const dir = workdir({ "wxconf.yaml": FILE(server.url, "safe") });
    const result = await runCli(["server", "check", "--format", "json", "--from-wechat"], { cwd: dir, env: { ...ENV, ...cliEnv(emulator) } });
    const report = JSON.parse(result.stdout) as Report;
    expect(result.code).toBe(0);
    expect(report.checks.at(-1)).toMatchObject({ check: "wechat_probe", ok: true });
    expect(emulator.calls().byPath["/cgi-bin/callback/check"]).toBe(1);
    const without = await runCli(["server", "check", "--format", "json"], { cwd: dir, env: { ...ENV, ...cliEnv(emulator) } });
    expect(without.code).toBe(0);
    expect(emulator.calls().byPath["/cgi-bin/callback/check"]).toBe(1);
  });
});

describe("the server section and its secrets", () => {
  it("validate checks it offline: URL shape and a 43-character key", async () => {
    const dir = workdir({ "wxconf.yaml": FILE("ftp://example.com/wechat").replace("mode: safe", "mode: safe\n  encoding_aes_key: ${MY_KEY}") });
    const result = await runCli(["validate"], { cwd: dir, env: { MY_KEY: "too-short" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("server.url must be the absolute http:// or https:// address");
    expect(result.stderr).toContain("the EncodingAESKey must be 43 letters and digits");
    const literal = workdir({ "wxconf.yaml": FILE("https://example.com/wechat").replace("mode: safe", `mode: safe\n  token: ${TOKEN}`) });
    const refused = await runCli(["validate"], { cwd: literal });
    expect(refused.stderr).toContain("server.token must be a reference");
    expect(refused.stderr).not.toContain(TOKEN);
  });

  it("without a Token the check cannot run, and says how to give one", async () => {
    const dir = workdir({ "wxconf.yaml": FILE("http://127.0.0.1:9/wechat", "plain") });
    const result = await runCli(["server", "check"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no Token to sign with: set $WXCONF_SERVER_TOKEN");
  });
});
