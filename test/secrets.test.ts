// No output, file or error contains the app secret or an access token: every command, with debug
// logging on, successes and failures, checked against every token the emulator issued.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { runCli, workdir, type CliResult } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const FILE = `tags:\n  - name: VIP\n    members: [oA, stranger]\nmenu:\n  button: [{ name: a, type: click, key: A }]\n`;

describe("secrets never appear", () => {
  it("in anything validate, plan, apply, drift print or write, with WXCONF_DEBUG=1", async () => {
    const emulator = await accounts.start({ followers: ["oA"] });
    const dir = workdir({ "wxconf.yaml": yamlFile(FILE).replace("app_id: wx0123456789abcdef", "app_id: wx0123456789abcdef\n  app_secret: ${MY_SECRET}") });
    const env = { ...cliEnv(emulator), MY_SECRET: emulator.appSecret, WXCONF_DEBUG: "1" };
    const runs: CliResult[] = [];
    const run = async (args: string[], extra: Record<string, string> = {}) => {
      const result = await runCli(args, { cwd: dir, env: { ...env, ...extra } });
      runs.push(result);
      return result;
    };
    await run(["validate"]);
    await run(["plan", "--out", "plan.json"]);
    await run(["plan", "--format", "json"]);
    await run(["plan", "--format", "markdown"]);
    expect((await run(["apply", "--auto-approve"])).code).toBe(1); // fails at the stranger: errors are printed too
    await run(["apply", "--auto-approve", "--format", "json"]);
    await run(["drift"]);
    const tokenFromEnv = `${emulator.account.stable?.value ?? ""}`;
    await run(["plan"], { WXCONF_ACCESS_TOKEN: tokenFromEnv });
    await run(["plan"], { MY_SECRET: "a-wrong-secret-value-123" });

    const tokens = [emulator.account.stable?.value, emulator.account.previousStable?.value, ...emulator.account.classicTokens.keys()].filter(
      (token): token is string => Boolean(token),
    );
    expect(tokens.length).toBeGreaterThan(0);
    const files = readdirSync(dir).map((name) => readFileSync(join(dir, name), "utf8"));
    const everything = [...runs.flatMap((result) => [result.stdout, result.stderr]), ...files.filter((text) => !text.includes("${MY_SECRET}"))].join("\n");
    expect(everything).toContain("access_token=***");
    for (const secret of [emulator.appSecret, "a-wrong-secret-value-123", ...tokens]) expect(everything).not.toContain(secret);
  });

  it("in any output channel of any command: app secret, tokens, proxy password, a ${}-smuggled value", async () => {
    const emulator = await accounts.start({ followers: ["oA"], verified: true });
    const proxyPassword = "proxy-pa55word-0123456789";
    const dir = workdir({ "wxconf.yaml": yamlFile(FILE.replace("members: [oA, stranger]", "members: [oA]")) });
    const smuggling = workdir({ "wxconf.yaml": yamlFile(`menu:\n  button: [{ name: a, type: view, url: "https://x.example/?k=\${WXCONF_VAR_SMUGGLED}" }]\n`) });
    const base = {
      ...cliEnv(emulator),
      WXCONF_DEBUG: "1",
      WXCONF_VAR_SMUGGLED: emulator.appSecret,
      HTTPS_PROXY: `http://user:${proxyPassword}@127.0.0.1:9`,
      HTTP_PROXY: `http://user:${encodeURIComponent(proxyPassword)}@127.0.0.1:9`,
      NO_PROXY: "127.0.0.1,localhost",
    };
    const runs: CliResult[] = [];
    const run = async (args: string[], cwd = dir, extra: Record<string, string> = {}) => {
      const result = await runCli(args, { cwd, env: { ...base, ...extra } });
      runs.push(result);
      return result;
    };
    for (const args of [
      ["validate"],
      ["plan", "--out", "plan.json"],
      ["plan", "--format", "markdown"],
      ["apply", "--auto-approve", "--format", "json"],
      ["drift", "--format", "json"],
      ["import", "-o", "imported.yaml", "--with-members"],
      ["import"],
      ["output"],
      ["output", "--format", "env"],
      ["preview", "-o", "pictures"],
    ]) {
      const result = await run(args);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
    }
    expect((await run(["plan"], smuggling)).code).toBe(1);
    expect((await run(["validate"], smuggling)).code).toBe(1);
    // Through the proxy (nobody listens there): the error is printed, the password is not.
    expect((await run(["plan"], dir, { NO_PROXY: "" })).code).toBe(1);

    const tokens = [emulator.account.stable?.value, emulator.account.previousStable?.value, ...emulator.account.classicTokens.keys()].filter(
      (token): token is string => Boolean(token),
    );
    const written = [...readdirSync(dir), ...readdirSync(join(dir, "pictures")).map((name) => join("pictures", name))]
      .filter((name) => !name.endsWith("pictures"))
      .map((name) => readFileSync(join(dir, name), "utf8"));
    const everything = [...runs.flatMap((result) => [result.stdout, result.stderr]), ...written].join("\n");
    expect(everything).toContain("access_token=***");
    for (const secret of [emulator.appSecret, proxyPassword, encodeURIComponent(proxyPassword), ...tokens]) expect(everything).not.toContain(secret);
  });

  it("in what a failing token_command prints: its stdout is never echoed", async () => {
    const emulator = await accounts.start();
    const dir = workdir({ "wxconf.yaml": yamlFile(`token_command: "printf 'tok-SECRET-0123456789'; echo 'vault: denied' >&2; exit 1"\n${FILE}`) });
    const result = await runCli(["plan"], { cwd: dir, env: { WXCONF_API_BASE: emulator.url, WXCONF_DEBUG: "1" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("token_command exited with 1: vault: denied");
    expect(result.stdout + result.stderr).not.toContain("tok-SECRET-0123456789");
  });
});
