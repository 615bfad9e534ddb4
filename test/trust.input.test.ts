// The trust boundary of the file: ${} reads only WXCONF_VAR_* in managed values, secrets never enter a
// managed value, the file is bounded (regular file, size, UTF-8, no control or invisible-only text), and
// long lists cannot overflow the stack. Nothing is sent to the API when the file is refused.
import { ftruncateSync, openSync, closeSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_CONFIG_BYTES } from "../src/config/file.js";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const MENU = "menu:\n  button: [{ name: a, type: click, key: A }]\n";

async function validate(sections: string, env: Record<string, string> = {}) {
  const dir = workdir({ "wxconf.yaml": yamlFile(sections) });
  return runCli(["validate"], { cwd: dir, env });
}

describe("interpolation with a boundary", () => {
  it("a managed value may not read a variable outside WXCONF_VAR_*: validate names it, plan sends nothing", async () => {
    const emulator = await accounts.start();
    const sections = `menu:\n  button: [{ name: a, type: view, url: "https://x.example/?s=\${WXCONF_APP_SECRET}" }]\n`;
    const dir = workdir({ "wxconf.yaml": yamlFile(sections) });
    const checked = await runCli(["validate"], { cwd: dir, env: cliEnv(emulator) });
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain("wxconf.yaml:5:40: ${WXCONF_APP_SECRET} is not allowed here: a managed value may read only WXCONF_VAR_* variables");
    expect(checked.stderr).toContain("rename the variable to WXCONF_VAR_APP_SECRET");
    emulator.resetCalls();
    const plan = await runCli(["plan"], { cwd: dir, env: cliEnv(emulator) });
    expect(plan.code).toBe(1);
    expect(emulator.calls().total).toBe(0);
    expect(checked.stdout + checked.stderr + plan.stdout + plan.stderr).not.toContain(emulator.appSecret);
  });

  it("a secret smuggled through a WXCONF_VAR_ variable, or pasted as a literal, is refused without being echoed", async () => {
    const secret = "the-real-app-secret-0123456789";
    const smuggled = await validate(`menu:\n  button: [{ name: a, type: view, url: "https://x.example/\${WXCONF_VAR_PAGE}" }]\n`, {
      WXCONF_APP_SECRET: secret,
      WXCONF_VAR_PAGE: `p?k=${secret}`,
    });
    expect(smuggled.code).toBe(1);
    expect(smuggled.stderr).toContain("wxconf.yaml:5:40: this value contains a secret");
    const pasted = await validate(`menu:\n  button: [{ name: a, type: click, key: "${secret}" }]\n`, { WXCONF_APP_SECRET: secret });
    expect(pasted.code).toBe(1);
    expect(pasted.stderr).toContain("this value contains a secret");
    for (const result of [smuggled, pasted]) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it("secret fields may name any variable, and a literal there is refused", async () => {
    const ok = await validate("", {});
    expect(ok.code).toBe(0);
    const dir = workdir({ "wxconf.yaml": "version: 1\naccount:\n  app_id: wx0123456789abcdef\n  app_secret: ${ANY_NAME_AT_ALL}\n" });
    const named = await runCli(["validate"], { cwd: dir, env: { ANY_NAME_AT_ALL: "some-secret-value-xyz" } });
    expect(named.code).toBe(0);
  });

  it("token_command is never interpolated: a variable's value cannot become shell syntax", async () => {
    const emulator = await accounts.start();
    const token = await fetchToken(emulator.url, emulator.appId, emulator.appSecret);
    const dir = workdir({
      "wxconf.yaml": yamlFile(
        `token_command: 'printf "%s" "\${INJECT}" > /dev/null; printenv TOKEN_VALUE'\nmenu:\n  button: [{ name: a, type: click, key: A }]\n`,
      ),
    });
    const marker = join(dir, "INJECTED");
    const result = await runCli(["plan"], { cwd: dir, env: { WXCONF_API_BASE: emulator.url, TOKEN_VALUE: token, INJECT: `"; touch ${marker}; echo "` } });
    expect(result.stderr).not.toContain("Error");
    expect(result.code).toBe(0);
    expect(await exists(marker)).toBe(false);
  });

  it("token_command as a list runs without a shell and finds the account in $WXCONF_APP_ID", async () => {
    const emulator = await accounts.start();
    const token = await fetchToken(emulator.url, emulator.appId, emulator.appSecret);
    const dir = workdir({
      "wxconf.yaml": yamlFile(
        `token_command: [/bin/sh, -c, 'test "$WXCONF_APP_ID" = ${emulator.appId} && printenv TOKEN_VALUE']\nmenu:\n  button: [{ name: a, type: click, key: A }]\n`,
      ),
    });
    const result = await runCli(["plan"], { cwd: dir, env: { WXCONF_API_BASE: emulator.url, TOKEN_VALUE: token } });
    expect(result.code).toBe(0);
    const wrong = await runCli(["plan"], { cwd: dir, env: { WXCONF_API_BASE: emulator.url, TOKEN_VALUE: token, WXCONF_APP_ID: "overridden" } });
    expect(wrong.code).toBe(0);
  });

  it("token_command's stderr is redacted and cut; a command that ignores SIGTERM is stopped", async () => {
    const emulator = await accounts.start();
    const secret = "leaky-secret-0123456789";
    const noisy = workdir({
      "wxconf.yaml": yamlFile(`token_command: 'echo "denied for $WXCONF_APP_SECRET $(head -c 3000 /dev/zero | tr "\\\\0" x)" >&2; exit 3'\n${MENU}`),
    });
    const failed = await runCli(["plan"], { cwd: noisy, env: { WXCONF_API_BASE: emulator.url, WXCONF_APP_SECRET: secret } });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("token_command exited with 3: denied for *** xxx");
    expect(failed.stderr).not.toContain(secret);
    expect(failed.stderr.length).toBeLessThan(1000);

    const stubborn = workdir({ "wxconf.yaml": yamlFile(`token_command: "trap '' TERM; sleep 20; echo late-token-123456"\n${MENU}`) });
    const stopped = await runCli(["plan"], { cwd: stubborn, env: { WXCONF_API_BASE: emulator.url, WXCONF_TOKEN_TIMEOUT_MS: "300" } });
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain("token_command did not finish within 0.3 s (it was stopped)");
  });

  it("parallel reads that all get 40001 run token_command once more, not once each", async () => {
    const emulator = await accounts.start({ verified: true });
    const token = await fetchToken(emulator.url, emulator.appId, emulator.appSecret);
    const dir = workdir({});
    const runs = join(dir, "runs");
    // The first run prints a token WeChat does not know; every later run prints a good one.
    const command = `echo run >> ${runs}; if [ $(wc -l < ${runs}) -eq 1 ]; then echo stale-token-0123456789; else printenv TOKEN_VALUE; fi`;
    writeFileSync(
      join(dir, "wxconf.yaml"),
      yamlFile(
        `token_command: '${command}'\ntags:\n  - name: VIP\ntemplates: {}\nmenu:\n  button: [{ name: a, type: click, key: A }]\nconditional_menus:\n  - { name: vip, matchrule: { tag: VIP }, button: [{ name: b, type: click, key: B }] }\n`,
      ),
    );
    const result = await runCli(["plan"], { cwd: dir, env: { WXCONF_API_BASE: emulator.url, TOKEN_VALUE: token } });
    expect(result.code).toBe(0);
    const rejected = emulator.calls().calls.filter((call) => call.errcode === 40001).length;
    expect(rejected).toBeGreaterThanOrEqual(2);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(runs, "utf8").trim().split("\n")).toHaveLength(2);
  });
});

describe("bounded, well-formed input", () => {
  it("refuses a file that is not a regular file, or over the size limit, before parsing it", async () => {
    const device = await runCli(["validate", "-c", "/dev/zero"]);
    expect(device.code).toBe(1);
    expect(device.stderr).toContain("/dev/zero: not a regular file");
    const dir = workdir({});
    const big = join(dir, "big.yaml");
    const fd = openSync(big, "w");
    ftruncateSync(fd, MAX_CONFIG_BYTES + 1);
    closeSync(fd);
    const tooBig = await runCli(["validate", "-c", big]);
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toContain(`is ${MAX_CONFIG_BYTES + 1} bytes; wxconf reads at most ${MAX_CONFIG_BYTES}`);
  });

  it("names the line and column of invalid UTF-8", async () => {
    const dir = workdir({});
    writeFileSync(
      join(dir, "wxconf.yaml"),
      Buffer.concat([Buffer.from(yamlFile("tags:\n  - name: ok\n  - name: ab")), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]),
    );
    const result = await runCli(["validate"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wxconf.yaml:6:13: the file is not valid UTF-8 here");
  });

  it("refuses control characters and invisible-only names, keys and URLs, with line and column", async () => {
    const result = await validate(
      `tags:\n  - name: "a\\eb"\n  - name: "\\u200b\\u200b"\nmenu:\n  button:\n    - { name: "x\\ay", type: click, key: "K\\0" }\n    - { name: b, type: view, url: "https://x.example/\\r\\nSet-Cookie: a" }\n    - { name: "\\u3000", type: click, key: C }\n`,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wxconf.yaml:5:11: this value contains a control character (U+001B)");
    expect(result.stderr).toContain("wxconf.yaml:6:11: this value is made only of invisible characters");
    expect(result.stderr).toContain("wxconf.yaml:9:15: this value contains a control character (U+0007)");
    expect(result.stderr).toContain("wxconf.yaml:9:41: this value contains a control character (U+0000)");
    expect(result.stderr).toContain("wxconf.yaml:10:35: this value contains a control character (U+000D)");
    expect(result.stderr).toContain("wxconf.yaml:11:15: this value is made only of invisible characters");
  });

  it("125 000 repeated members give positions, not a stack overflow, and the first problems only", async () => {
    const members = Array.from({ length: 125_000 }, () => "    - oSameFollower").join("\n");
    const result = await validate(`tags:\n  - name: VIP\n    members:\n${members}\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain("Maximum call stack");
    expect(result.stderr).toContain("wxconf.yaml:8:7: follower oSameFollower is listed twice in 'VIP'");
    expect(result.stderr).toContain("… and 124799 more");
    expect(result.stderr).toContain("124999 problems found.");
  });

  it("cuts a long value quoted in a message", async () => {
    const long = "x".repeat(500);
    const result = await validate(`menu:\n  button: [{ name: a, type: view, url: "ftp://${long}" }]\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("(506 characters)");
    expect(result.stderr).not.toContain(long);
  });
});

async function fetchToken(base: string, appid: string, secret: string): Promise<string> {
  const response = await fetch(`${base}/cgi-bin/stable_token`, { method: "POST", body: JSON.stringify({ grant_type: "client_credential", appid, secret }) });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function exists(path: string): Promise<boolean> {
  const { existsSync } = await import("node:fs");
  return existsSync(path);
}
