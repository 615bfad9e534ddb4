// Many accounts in one run, over real HTTP against one emulator that serves them all: mixed fleets give
// the fleet's exit codes and name every account; apply converges every good account; shards cover every
// account exactly once.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EmulatorSeed } from "../src/emulator/account.js";
import { startEmulator, type Emulator } from "../src/emulator/server.js";
import { runCli, workdir } from "./helpers/cli.js";

const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

const appId = (index: number) => `wx${index.toString(16).padStart(16, "0")}`;
const secret = (index: number) => `fleet-secret-${index}-0123456789`;
const MENU = (name: string) => `menu:\n  button: [{ name: ${name}, type: click, key: K }]\n`;
const file = (index: number, name = "a") => `version: 1\naccount:\n  app_id: ${appId(index)}\n${MENU(name)}`;

/** Accounts 1..count, each with the menu `a` already live (in sync with file(i)). */
async function fleet(count: number, latencyMs = 0): Promise<{ emulator: Emulator; dir: string; env: Record<string, string> }> {
  const accounts: EmulatorSeed[] = Array.from({ length: count }, (_, offset) => ({
    app_id: appId(offset + 1),
    app_secret: secret(offset + 1),
    menu: { button: [{ name: "a", type: "click", key: "K" }] },
  }));
  const emulator = await startEmulator({ state: { accounts }, latencyMs });
  emulators.push(emulator);
  const dir = workdir({});
  for (let index = 1; index <= count; index++) writeFileSync(join(dir, `account-${index}.yaml`), file(index));
  writeFileSync(join(dir, "notes.yaml"), "not: an account file\n");
  const env: Record<string, string> = { WXCONF_API_BASE: emulator.url, WXCONF_RETRY_BASE_MS: "1" };
  for (let index = 1; index <= count; index++) env[`WXCONF_APP_SECRET_${appId(index)}`] = secret(index);
  return { emulator, dir, env };
}

interface Envelope {
  format_version: string;
  accounts: Array<{ app_id: string; config_file: string; status: string; exit_code: number; plan?: { summary: { change: number } }; error?: string }>;
}

describe("a fleet", () => {
  it("a folder: in sync, drifted and bad credentials give exit 1, and every account is named", async () => {
    const { emulator, dir, env } = await fleet(4);
    writeFileSync(join(dir, "account-2.yaml"), file(2, "b")); // differs
    delete env[`WXCONF_APP_SECRET_${appId(3)}`]; // no credentials
    const result = await runCli(["plan", "-c", dir, "--detailed-exitcode"], { cwd: dir, env });
    expect(result.code).toBe(1);
    for (let index = 1; index <= 4; index++) expect(result.stdout).toContain(appId(index));
    expect(result.stdout).toMatch(new RegExp(`${appId(2)}\\s+\\S+account-2\\.yaml\\s+0 to add, 1 to change, 0 to destroy\\s+changes`));
    expect(result.stdout).toMatch(new RegExp(`${appId(3)}\\s+\\S+account-3\\.yaml\\s+-\\s+error`));
    expect(result.stderr).toContain("no credentials");
    expect(result.stdout).toContain("4 account(s): 1 with errors, 1 that differ.");
    expect(emulator.calls().writes).toBe(0);
  });

  it("without errors, exit 2 when any account differs (plan --detailed-exitcode, drift), 0 when none does", async () => {
    const { dir, env } = await fleet(3);
    expect((await runCli(["drift", "-c", dir], { cwd: dir, env })).code).toBe(0);
    writeFileSync(join(dir, "account-3.yaml"), file(3, "c"));
    expect((await runCli(["drift", "-c", dir], { cwd: dir, env })).code).toBe(2);
    expect((await runCli(["plan", "-c", dir], { cwd: dir, env })).code).toBe(0);
    expect((await runCli(["plan", "-c", dir, "--detailed-exitcode"], { cwd: dir, env })).code).toBe(2);
  });

  it("apply converges every good account, in one process, and says which failed", async () => {
    const { emulator, dir, env } = await fleet(5);
    for (let index = 1; index <= 5; index++) writeFileSync(join(dir, `account-${index}.yaml`), file(index, `n${index}`));
    delete env[`WXCONF_APP_SECRET_${appId(4)}`];
    const applied = await runCli(["apply", "-c", dir, "--auto-approve", "--format", "json", "--parallelism", "2"], { cwd: dir, env });
    expect(applied.code).toBe(1);
    const envelope = JSON.parse(applied.stdout) as Envelope;
    expect(envelope.format_version).toBe("1.0");
    expect(envelope.accounts.map((account) => [account.app_id, account.status])).toEqual([
      [appId(1), "applied"],
      [appId(2), "applied"],
      [appId(3), "applied"],
      [appId(4), "error"],
      [appId(5), "applied"],
    ]);
    for (const index of [1, 2, 3, 5]) expect(emulator.accounts.find((account) => account.appId === appId(index))?.menu?.button[0]?.name).toBe(`n${index}`);
    expect(emulator.accounts.find((account) => account.appId === appId(4))?.menu?.button[0]?.name).toBe("a");
    // Every write went to its own account; each account with credentials got one token, opened ahead or not.
    for (const call of emulator.calls().calls.filter((record) => record.write)) expect(call.app_id).not.toBe(appId(4));
    expect(emulator.calls().byPath["/cgi-bin/stable_token"]).toBe(4);
  });

  it("shards cover every account exactly once; --account narrows a run", async () => {
    const { dir, env } = await fleet(7);
    const seen: string[] = [];
    for (let shard = 1; shard <= 3; shard++) {
      const result = await runCli(["plan", "-c", dir, "--shard", `${shard}/3`, "--format", "json"], { cwd: dir, env });
      expect(result.code).toBe(0);
      seen.push(...(JSON.parse(result.stdout) as Envelope).accounts.map((account) => account.app_id));
    }
    expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, offset) => appId(offset + 1)).sort());
    const one = await runCli(["plan", "-c", dir, "--account", appId(5), "--format", "json"], { cwd: dir, env });
    expect((JSON.parse(one.stdout) as Envelope).accounts.map((account) => account.app_id)).toEqual([appId(5)]);
  });

  it("-c repeated; $WXCONF_ACCESS_TOKEN is refused with more than one account; markdown is one comment", async () => {
    const { dir, env } = await fleet(2);
    const files = ["-c", join(dir, "account-1.yaml"), "-c", join(dir, "account-2.yaml")];
    const refused = await runCli(["plan", ...files], { cwd: dir, env: { ...env, WXCONF_ACCESS_TOKEN: "a-token-of-one-account" } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("$WXCONF_ACCESS_TOKEN is one account's token");
    writeFileSync(join(dir, "account-2.yaml"), file(2, "z"));
    const markdown = await runCli(["plan", ...files, "--format", "markdown"], { cwd: dir, env });
    expect(markdown.stdout).toMatch(/^### wxconf plan: 2 account\(s\)\n\n\| account \| file \| changes \| status \|/);
    expect(markdown.stdout).toContain(`No changes: \`${appId(1)}\`.`);
    expect(markdown.stdout).toContain(`<details><summary>${appId(2)} (`);
  });

  it("opens the next accounts while others are planned: their tokens are fetched ahead, once per account", async () => {
    // Each answer takes 50 ms, so no account's read can overtake the tokens requested with it.
    const { emulator, dir, env } = await fleet(6, 50);
    const result = await runCli(["plan", "-c", dir, "--parallelism", "2"], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("6 account(s): 0 with errors, 0 that differ.");
    const calls = emulator.calls();
    expect(calls.byPath["/cgi-bin/stable_token"]).toBe(6);
    // Two running and two ahead: the first four calls are tokens, before any account's read.
    const paths = [...calls.calls].sort((a, b) => a.receivedMs - b.receivedMs).map((call) => call.path);
    expect(paths.slice(0, 4)).toEqual(Array(4).fill("/cgi-bin/stable_token"));
  });

  it("the emulator prints each account's credentials", async () => {
    const dir = workdir({
      "state.yaml": `accounts:\n  - { app_id: ${appId(1)}, app_secret: ${secret(1)} }\n  - { app_id: ${appId(2)}, app_secret: ${secret(2)} }\n`,
    });
    const { spawn } = await import("node:child_process");
    const { CLI } = await import("./helpers/cli.js");
    const child = spawn(process.execPath, [CLI, "emulator", "--port", "0", "--state", "state.yaml", "--quiet"], { cwd: dir });
    const banner = await new Promise<string>((resolve) => {
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes("WXCONF_APP_SECRET_<app id>")) resolve(text);
      });
    });
    child.kill();
    for (const index of [1, 2]) expect(banner).toContain(`app id:     ${appId(index)}`);
  });
});

describe("extends and vars", () => {
  const BASE = `# shared by every brand: no version line, so a folder of accounts skips it
tags:
  - name: VIP
menu:
  button:
    - { name: 官网, type: view, url: "https://\${var.domain}/" }
    - { name: 客服, type: click, key: SERVICE }
`;

  it("an account takes the base's sections, with its vars, and replaces what it sets itself", async () => {
    const { emulator, dir, env } = await fleet(2);
    writeFileSync(join(dir, "base.yaml"), BASE);
    writeFileSync(join(dir, "account-1.yaml"), `version: 1\naccount:\n  app_id: ${appId(1)}\nextends: base.yaml\nvars:\n  domain: one.example.com\n`);
    writeFileSync(
      join(dir, "account-2.yaml"),
      `version: 1\naccount:\n  app_id: ${appId(2)}\nextends: base.yaml\nvars: { domain: two.example.com }\n${MENU("own")}`,
    );
    const result = await runCli(["apply", "-c", dir, "--auto-approve"], { cwd: dir, env });
    expect(result.stderr).not.toContain("Error");
    expect(result.code).toBe(0);
    const one = emulator.accounts.find((account) => account.appId === appId(1));
    const two = emulator.accounts.find((account) => account.appId === appId(2));
    expect(one?.menu?.button[0]).toMatchObject({ name: "官网", url: "https://one.example.com/" });
    expect(two?.menu?.button.map((button) => button.name)).toEqual(["own"]);
    expect([...(two?.tags.values() ?? [])].map((tag) => tag.name)).toContain("VIP");
  });

  it("an unknown var is an error with the line and column in both files", async () => {
    const dir = workdir({
      "base.yaml": BASE,
      "brand.yaml": `version: 1\naccount:\n  app_id: ${appId(1)}\nextends: base.yaml\nvars:\n  domian: typo.example.com\n`,
    });
    const result = await runCli(["validate", "-c", "brand.yaml"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/base\.yaml:6:\d+: \$\{var\.domain\} is not in the vars of brand\.yaml/);
    expect(result.stderr).toMatch(/brand\.yaml:6:\d+: the base \S*base\.yaml needs var 'domain' \(at line 6\): add it under vars/);
  });
});
