// The client at the wire, with nock intercepting fetch: retries and their bounds, token refresh, lost
// writes, and the masking of tokens and secrets.
import nock from "nock";
import { afterEach, beforeAll, afterAll, describe, expect, it } from "vitest";
import { openClient, openReadClient, type ClientOptions } from "../src/wechat/client.js";
import { CredentialsError, NetworkError, WeChatError, WriteOutcomeUnknownError } from "../src/wechat/errors.js";
import type { RetryEvent } from "../src/wechat/transport.js";

/** nock 14 emits a reply's error on a node:http request only when it is an Error (nock/nock#2789). */
const networkError = (code: string, message: string) => Object.assign(new Error(message), { code });

const API = "https://api.weixin.qq.com";
const APP_ID = "wx0123456789abcdef";
const SECRET = "the-app-secret-do-not-print-0123456789";
const TOKEN = "ACCESS_TOKEN_9f8e7d6c5b4a_never_printed";

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

function options(extra: Partial<ClientOptions> = {}, env: Record<string, string> = {}): ClientOptions {
  return { credentials: { app_id: APP_ID }, env: { WXCONF_ACCESS_TOKEN: TOKEN, WXCONF_RETRY_BASE_MS: "10", ...env }, ...extra };
}

/** Replies in turn with each answer and counts the requests. */
function replies(method: "get" | "post", path: string, answers: object[]) {
  const seen: Array<{ token: string | null; body: unknown }> = [];
  nock(API)
    [method](path)
    .query(true)
    .times(answers.length)
    .reply((uri, body) => {
      seen.push({ token: new URL(uri, API).searchParams.get("access_token"), body });
      return [200, answers[seen.length - 1] ?? {}];
    });
  return seen;
}

describe("retries with backoff", () => {
  it("retries system busy (-1) with exponential backoff and jitter, then succeeds", async () => {
    const seen = replies("get", "/cgi-bin/tags/get", [
      { errcode: -1, errmsg: "system error" },
      { errcode: -1 },
      { errcode: -1 },
      { tags: [{ id: 2, name: "星标组", count: 0 }] },
    ]);
    const events: RetryEvent[] = [];
    const client = openReadClient(options({ onRetry: (event) => events.push(event) }));
    const tags = await client.read.getTags();
    expect(tags).toEqual([{ id: 2, name: "星标组", count: 0 }]);
    expect(seen).toHaveLength(4);
    expect(events.map((event) => event.attempt)).toEqual([1, 2, 3]);
    events.forEach((event, index) => {
      const ceiling = 10 * 2 ** index;
      expect(event.delayMs).toBeGreaterThanOrEqual(ceiling / 2);
      expect(event.delayMs).toBeLessThanOrEqual(ceiling);
    });
  });

  it("stops after 5 attempts and reports the errcode with a hint", async () => {
    const seen = replies("get", "/cgi-bin/tags/get", Array(5).fill({ errcode: -1, errmsg: "system error" }));
    const client = openReadClient(options());
    const error = await client.read.getTags().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WeChatError);
    expect((error as WeChatError).errcode).toBe(-1);
    expect((error as WeChatError).hint).toContain("busy");
    expect(seen).toHaveLength(5);
  });

  it("does not start a retry whose wait would pass the total time bound", async () => {
    // The first wait is at least half the base (5 ms), more than the whole bound: one attempt, on any machine.
    const seen = replies("get", "/cgi-bin/tags/get", Array(5).fill({ errcode: -1 }));
    const client = openReadClient(options({ retry: { baseMs: 10, maxAttempts: 5, maxTotalMs: 4 } }));
    await expect(client.read.getTags()).rejects.toBeInstanceOf(WeChatError);
    expect(seen).toHaveLength(1);
  });

  it("waits about a minute (60 x the base) after 45011", async () => {
    replies("get", "/cgi-bin/tags/get", [{ errcode: 45011, errmsg: "api minute-quota reach limit" }, { tags: [] }]);
    const events: RetryEvent[] = [];
    const client = openReadClient(options({ onRetry: (event) => events.push(event) }, { WXCONF_RETRY_BASE_MS: "1" }));
    await client.read.getTags();
    expect(events).toHaveLength(1);
    expect(events[0]?.delayMs).toBeGreaterThanOrEqual(60);
    expect(events[0]?.delayMs).toBeLessThanOrEqual(72);
  });

  it("does not retry codes that are not retryable", async () => {
    const seen = replies("post", "/cgi-bin/tags/create", [{ errcode: 45157, errmsg: "tag name already exists" }]);
    const client = openClient(options());
    const error = await client.write.createTag("VIP").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WeChatError);
    expect((error as WeChatError).errcode).toBe(45157);
    expect(seen).toHaveLength(1);
  });

  it("retries 45159 once after a pause on tagging, and not elsewhere", async () => {
    const tagging = replies("post", "/cgi-bin/tags/members/batchtagging", [{ errcode: 45159, errmsg: "invalid tag id" }, { errcode: 0 }]);
    const renaming = replies("post", "/cgi-bin/tags/update", [{ errcode: 45159, errmsg: "invalid tag id" }]);
    const client = openClient(options());
    await client.write.tagFollowers(100, ["o1"]);
    expect(tagging).toHaveLength(2);
    await expect(client.write.renameTag(100, "x")).rejects.toBeInstanceOf(WeChatError);
    expect(renaming).toHaveLength(1);
  });

  it("retries a read whose connection was reset", async () => {
    nock(API).get("/cgi-bin/tags/get").query(true).replyWithError(networkError("ECONNRESET", "socket hang up"));
    const seen = replies("get", "/cgi-bin/tags/get", [{ tags: [] }]);
    const client = openReadClient(options());
    expect(await client.read.getTags()).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it("gives up on a read after the bounded attempts with a network error", async () => {
    nock(API).get("/cgi-bin/tags/get").query(true).times(5).replyWithError(networkError("ECONNRESET", "socket hang up"));
    const client = openReadClient(options());
    const error = await client.read.getTags().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).attempts).toBe(5);
  });
});

describe("paging", () => {
  it("refuses member pages whose next_openid comes back (they would go round for ever)", async () => {
    const page = { count: 2, data: { openid: ["oA", "oB"] }, next_openid: "oB" };
    const seen = replies("post", "/cgi-bin/user/tag/get", [page, { ...page, data: { openid: ["oC", "oD"] }, next_openid: "oD" }, page, page]);
    const client = openReadClient(options());
    await expect(client.read.getTagMembers(100)).rejects.toThrow(/next_openid oB came back/);
    expect(seen).toHaveLength(3);
    await client.close();
  });
});

describe("writes whose answer was lost", () => {
  it("surfaces a reset after sending as an unknown outcome, without repeating the write", async () => {
    let sent = 0;
    nock(API)
      .post("/cgi-bin/tags/create")
      .query(true)
      .times(2)
      .replyWithError(networkError("ECONNRESET", "socket hang up"))
      .on("request", () => sent++);
    const client = openClient(options());
    const error = await client.write.createTag("VIP").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as WriteOutcomeUnknownError).api).toBe("/cgi-bin/tags/create");
    expect(sent).toBe(1);
  });

  it("repeats a write that never left (connection refused)", async () => {
    nock(API).post("/cgi-bin/tags/create").query(true).replyWithError(networkError("ECONNREFUSED", "connect ECONNREFUSED"));
    const seen = replies("post", "/cgi-bin/tags/create", [{ tag: { id: 100, name: "VIP" } }]);
    const client = openClient(options());
    expect(await client.write.createTag("VIP")).toEqual({ id: 100, name: "VIP", count: 0 });
    expect(seen).toHaveLength(1);
  });

  it("treats an HTTP 502 answer to a write as an unknown outcome", async () => {
    nock(API).post("/cgi-bin/menu/create").query(true).reply(502, "Bad Gateway");
    const client = openClient(options());
    await expect(client.write.createMenu([{ name: "a", type: "click", key: "A" }])).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
  });
});

describe("tokens", () => {
  function stableTokens(tokens: string[]) {
    const bodies: unknown[] = [];
    nock(API)
      .post("/cgi-bin/stable_token")
      .times(tokens.length)
      .reply((_uri, body) => {
        bodies.push(body);
        return [200, { access_token: tokens[bodies.length - 1], expires_in: 7200 }];
      });
    return bodies;
  }

  it("gets a token with POST /cgi-bin/stable_token in normal mode, once for many calls", async () => {
    const bodies = stableTokens(["T1"]);
    const seen = replies("get", "/cgi-bin/tags/get", [{ tags: [] }, { tags: [] }, { tags: [] }]);
    const client = openReadClient(options({ credentials: { app_id: APP_ID, app_secret: SECRET } }, { WXCONF_ACCESS_TOKEN: "" }));
    await Promise.all([client.read.getTags(), client.read.getTags(), client.read.getTags()]);
    expect(bodies).toEqual([{ grant_type: "client_credential", appid: APP_ID, secret: SECRET, force_refresh: false }]);
    expect(seen.map((call) => call.token)).toEqual(["T1", "T1", "T1"]);
  });

  it("on 40001 fetches a new token once and retries once", async () => {
    const bodies = stableTokens(["T1", "T2"]);
    const seen = replies("get", "/cgi-bin/tags/get", [{ errcode: 40001, errmsg: "invalid credential" }, { tags: [] }]);
    const client = openReadClient(options({ credentials: { app_id: APP_ID, app_secret: SECRET } }, { WXCONF_ACCESS_TOKEN: "" }));
    await client.read.getTags();
    expect(bodies).toHaveLength(2);
    expect(seen.map((call) => call.token)).toEqual(["T1", "T2"]);
  });

  it.each([40014, 42001])("treats %i like 40001, and never loops", async (errcode) => {
    const bodies = stableTokens(["T1", "T2"]);
    const seen = replies("get", "/cgi-bin/tags/get", [{ errcode }, { errcode }]);
    const client = openReadClient(options({ credentials: { app_id: APP_ID, app_secret: SECRET } }, { WXCONF_ACCESS_TOKEN: "" }));
    const error = await client.read.getTags().catch((caught: unknown) => caught);
    expect((error as WeChatError).errcode).toBe(errcode);
    expect(bodies).toHaveLength(2);
    expect(seen).toHaveLength(2);
  });

  it("cannot refresh $WXCONF_ACCESS_TOKEN: fails at once with a hint", async () => {
    const seen = replies("get", "/cgi-bin/tags/get", [{ errcode: 42001, errmsg: "access_token expired" }]);
    const client = openReadClient(options());
    const error = (await client.read.getTags().catch((caught: unknown) => caught)) as WeChatError;
    expect(error.errcode).toBe(42001);
    expect(error.hint).toContain("WXCONF_ACCESS_TOKEN");
    expect(seen).toHaveLength(1);
  });

  it("never calls GET /cgi-bin/token", async () => {
    const classic = nock(API).get("/cgi-bin/token").query(true).reply(200, { access_token: "X", expires_in: 7200 });
    stableTokens(["T1"]);
    replies("get", "/cgi-bin/tags/get", [{ tags: [] }]);
    const client = openReadClient(options({ credentials: { app_id: APP_ID, app_secret: SECRET } }, { WXCONF_ACCESS_TOKEN: "" }));
    await client.read.getTags();
    expect(classic.isDone()).toBe(false);
  });

  it("runs token_command and uses the first line it prints", async () => {
    const seen = replies("get", "/cgi-bin/tags/get", [{ tags: [] }]);
    const client = openReadClient(
      options({ credentials: { app_id: APP_ID, token_command: "printf '\\n  TOKEN_FROM_COMMAND  \\nsecond line\\n'" } }, { WXCONF_ACCESS_TOKEN: "" }),
    );
    await client.read.getTags();
    expect(seen[0]?.token).toBe("TOKEN_FROM_COMMAND");
  });

  it("reports a failing token_command clearly", async () => {
    const client = openReadClient(
      options({ credentials: { app_id: APP_ID, token_command: "echo 'vault: permission denied' >&2; exit 3" } }, { WXCONF_ACCESS_TOKEN: "" }),
    );
    const error = await client.read.getTags().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(String(error)).toContain("token_command exited with 3: vault: permission denied");
  });

  it("times out a token_command that hangs", async () => {
    const client = openReadClient(
      options({ credentials: { app_id: APP_ID, token_command: "sleep 5" } }, { WXCONF_ACCESS_TOKEN: "", WXCONF_TOKEN_TIMEOUT_MS: "200" }),
    );
    const error = await client.read.getTags().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(String(error)).toContain("token_command did not finish within 0.2 s");
  });

  it("says where credentials come from when there are none", () => {
    expect(() => openReadClient(options({}, { WXCONF_ACCESS_TOKEN: "" }))).toThrow(/set \$WXCONF_APP_SECRET/);
  });
});

describe("secrets never appear", () => {
  it("masks the token and the secret in debug output and errors", async () => {
    nock(API).post("/cgi-bin/stable_token").reply(200, { access_token: TOKEN, expires_in: 7200 });
    replies("get", "/cgi-bin/tags/get", [{ errcode: 40013, errmsg: `invalid appid, token ${TOKEN}` }]);
    const lines: string[] = [];
    const client = openReadClient(
      options({ credentials: { app_id: APP_ID, app_secret: SECRET }, debug: (line) => lines.push(line) }, { WXCONF_ACCESS_TOKEN: "" }),
    );
    const error = await client.read.getTags().catch((caught: unknown) => caught);
    const everything = [...lines, String(error), (error as Error).message].join("\n");
    expect(lines.some((line) => line.includes("access_token=***"))).toBe(true);
    expect(lines.some((line) => line.includes("/cgi-bin/stable_token"))).toBe(true);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(SECRET);
  });
});

describe("the API base", () => {
  it("refuses plain http anywhere but loopback", () => {
    expect(() => openReadClient(options({ apiBase: "http://api.weixin.qq.com" }))).toThrow(/must use https/);
    expect(() => openReadClient(options({ apiBase: "http://127.0.0.1:8123" }))).not.toThrow();
  });

  it("takes $WXCONF_API_BASE", async () => {
    nock("https://wechat-gateway.example.com").get("/cgi-bin/tags/get").query(true).reply(200, { tags: [] });
    const client = openReadClient(options({}, { WXCONF_API_BASE: "https://wechat-gateway.example.com" }));
    expect(await client.read.getTags()).toEqual([]);
  });
});
