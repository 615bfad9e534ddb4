// The transport refuses what it should, over real HTTP against hostile local servers: redirects (nothing
// is sent to the other host), answers without their lists (0 writes), trickling and endless bodies,
// connection refused, http to a host that is not loopback, and hostile ids in `output --format env`.
import { afterEach, describe, expect, it } from "vitest";
import { isLoopbackHost } from "../src/wechat/http.js";
import { APP_ID, yamlFile } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";
import { endless, json, startHostile, trickle, WECHAT_DEFAULTS, type HostileServer, type Route } from "./helpers/hostile.js";

const SECRET = "hostile-test-app-secret-0123456789";
const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function hostile(routes: Record<string, Route>): Promise<HostileServer> {
  const server = await startHostile({
    ...WECHAT_DEFAULTS,
    "/cgi-bin/openapi/quota/get": json({ quota: { daily_limit: 1000, used: 0, remain: 1000 } }),
    ...routes,
  });
  servers.push(server);
  return server;
}

const MENU = `menu:\n  button: [{ name: a, type: click, key: A }]\n`;

async function run(args: string[], server: { url: string }, sections = MENU, extra: Record<string, string> = {}) {
  const dir = workdir({ "wxconf.yaml": yamlFile(sections) });
  return runCli(args, { cwd: dir, env: { WXCONF_API_BASE: server.url, WXCONF_APP_SECRET: SECRET, WXCONF_RETRY_BASE_MS: "1", ...extra } });
}

const redirect =
  (status: number, to: string): Route =>
  (_request, response) => {
    response.writeHead(status, { location: to });
    response.end();
  };

const WRITES = /\/(create|addconditional|delconditional|delete|update|batchtagging|batchuntagging|api_set_industry|api_add_template|del_private_template)$/;

describe("redirects are refused and nothing reaches the other host", () => {
  it.each([
    [302, "/cgi-bin/menu/get", ["plan"]],
    [307, "/cgi-bin/stable_token", ["plan"]],
    [308, "/cgi-bin/menu/create", ["apply", "--auto-approve"]],
  ])("%i on %s", async (status, path, args) => {
    const elsewhere = await hostile({});
    const server = await hostile({ [path]: redirect(status, `${elsewhere.url}/steal?x=1`) });
    const result = await run(args, server);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain(`unexpected answer from ${path}: redirect refused: HTTP ${status} to ${elsewhere.host}`);
    expect(elsewhere.requests).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    expect(result.stdout + result.stderr).not.toContain("hostile-token-0123456789");
  });
});

describe("a read without its list is an error, never an empty account", () => {
  it.each([
    ["/cgi-bin/menu/get", "menu", MENU],
    ["/cgi-bin/tags/get", "tags", "tags:\n  - name: VIP\n"],
    ["/cgi-bin/template/get_all_private_template", "template_list", "templates:\n  paid: { title: 收款成功通知, keywords: [收款金额] }\n"],
  ])("%s answering {}: exit 1, and apply writes nothing", async (path, field, sections) => {
    const server = await hostile({ [path]: json({}) });
    const plan = await run(["plan"], server, sections);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`unexpected answer from ${path}: it has no '${field}' `);
    const apply = await run(["apply", "--auto-approve"], server, sections);
    expect(apply.code).toBe(1);
    expect(server.requests.filter((requested) => WRITES.test(requested))).toEqual([]);
  });

  it("a member page without its count is an error too", async () => {
    const server = await hostile({
      "/cgi-bin/tags/get": json({ tags: [{ id: 100, name: "VIP", count: 3 }] }),
      "/cgi-bin/user/tag/get": json({ data: { openid: ["oA"] } }),
    });
    const result = await run(["plan"], server, "tags:\n  - name: VIP\n    members: [oA]\n");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unexpected answer from /cgi-bin/user/tag/get: it has no 'count' number");
  });
});

describe("answers are bounded in time and size", () => {
  it("an answer trickling a byte at a time ends at the deadline of $WXCONF_TIMEOUT_MS", async () => {
    const server = await hostile({ "/cgi-bin/menu/get": trickle(100, 200) });
    const result = await run(["plan"], server, MENU, { WXCONF_TIMEOUT_MS: "300" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no complete answer within 300 ms");
  });

  it("an endless answer is cut at the size cap", async () => {
    const server = await hostile({ "/cgi-bin/tags/get": endless(64 << 20) });
    const result = await run(["plan"], server, "tags:\n  - name: VIP\n");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`unexpected answer from /cgi-bin/tags/get: the answer is larger than ${32 << 20} bytes`);
  });

  it("an answer that is not JSON says so, with a hint", async () => {
    const server = await hostile({ "/cgi-bin/menu/get": (_request, response) => response.end("<html>login</html>") });
    const result = await run(["plan"], server);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unexpected answer from /cgi-bin/menu/get: it is not JSON: <html>login</html>");
    expect(result.stderr).toContain("Hint:");
  });
});

describe("where wxconf connects", () => {
  it("connection refused fails after a short retry, asking whether the emulator runs", async () => {
    const closed = await startHostile({});
    await closed.close();
    const result = await run(["plan"], closed);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ECONNREFUSED");
    expect(result.stderr).toContain("(after 3 attempts)");
    expect(result.stderr).toContain("is the emulator running?");
  });

  it("plain http goes only to localhost, ::1 and 127.0.0.0/8 literals", async () => {
    for (const host of ["localhost", "127.0.0.1", "127.9.8.7", "[::1]"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["127.example.com", "127.0.0.1.nip.io", "10.0.0.1", "example.com", "1127.0.0.1", "0x7f.1"])
      expect(isLoopbackHost(host), host).toBe(false);
    const result = await run(["plan"], { url: "http://127.example.com:8123" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("must use https");
  });
});

describe("output --format env", () => {
  it("refuses a server value that would inject lines into $GITHUB_ENV", async () => {
    const server = await hostile({
      "/cgi-bin/template/get_all_private_template": json({
        template_list: [{ template_id: "abc\nPATH=/tmp/evil", title: "收款成功通知", content: "{{first.DATA}}\n收款金额：{{keyword1.DATA}}\n{{remark.DATA}}" }],
      }),
    });
    const sections = "templates:\n  paid: { title: 收款成功通知, keywords: [收款金额] }\n";
    const env = await run(["output", "--format", "env"], server, sections);
    expect(env.code).toBe(1);
    expect(env.stdout).not.toContain("PATH=");
    expect(env.stderr).toContain("Refused: the account's value for paid");
    const asJson = await run(["output"], server, sections);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout).templates.paid).toBe("abc\nPATH=/tmp/evil");
  });
});

it("the app id in these tests is the helper's", () => expect(APP_ID).toMatch(/^wx/));
