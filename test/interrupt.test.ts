// Ctrl-C (SIGINT) and a CI cancel (SIGTERM) sent to the real CLI process: apply starts no new step,
// finishes the call in flight, prints what was done, in flight and not attempted, and exits 130 / 143;
// what it says was done is exactly what the emulator applied. A second signal exits at once. Plan exits
// cleanly too.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { CLI, workdir } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const TAGS = `tags:\n${Array.from({ length: 12 }, (_, index) => `  - name: T${index}\n`).join("")}`;

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<number | null>;
  /** Resolves once stderr contains `text`. */
  waitFor(text: string): Promise<void>;
}

function start(args: string[], cwd: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters.filter((candidate) => stderr.includes(candidate.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    waitFor: (text) => (stderr.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve }))),
  };
}

describe("an interrupted apply", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s: the call in flight finishes, the report is printed, exit %i", async (signal, exitCode) => {
    const emulator = await accounts.start({ verified: true }, { latencyMs: 150 });
    const dir = workdir({ "wxconf.yaml": yamlFile(TAGS) });
    const apply = start(["apply", "--auto-approve", "--write-parallelism", "1"], dir, cliEnv(emulator));
    await apply.waitFor(" 2/12]");
    apply.child.kill(signal);
    expect(await apply.done).toBe(exitCode);
    const report = apply.stdout();
    expect(apply.stderr()).toContain(`Interrupted (${signal}): no new step will start`);
    expect(report).toContain(`Apply interrupted (${signal})`);
    const done = Number(/after (\d+) of 12 steps/.exec(report)?.[1]);
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(12);
    expect(report).toContain(`Done (${done} of 12):`);
    expect(report).toContain(`Not attempted (${12 - done}):`);
    // What the report calls done is exactly what took effect: nothing lost, nothing unreported.
    expect(emulator.calls().calls.filter((call) => call.applied)).toHaveLength(done);
    expect(emulator.account.tags.size - 1).toBe(done);
  });

  it("as JSON, with the signal and the status of every step", async () => {
    const emulator = await accounts.start({ verified: true }, { latencyMs: 150 });
    const dir = workdir({ "wxconf.yaml": yamlFile(TAGS) });
    const apply = start(["apply", "--auto-approve", "--format", "json", "--write-parallelism", "1"], dir, cliEnv(emulator));
    await apply.waitFor(" 1/12]");
    apply.child.kill("SIGTERM");
    expect(await apply.done).toBe(143);
    const report = JSON.parse(apply.stdout()) as { format_version: string; status: string; signal: string; steps: Array<{ status: string }> };
    expect(report).toMatchObject({ format_version: "1.1", status: "interrupted", signal: "SIGTERM" });
    const statuses = new Set(report.steps.map((step) => step.status));
    expect([...statuses].every((status) => ["done", "not_attempted"].includes(status))).toBe(true);
    expect(report.steps.filter((step) => step.status === "done")).toHaveLength(emulator.calls().calls.filter((call) => call.applied).length);
  });

  it("a call that outlasts the wait is reported in flight, outcome unknown; a second signal exits at once", async () => {
    const emulator = await accounts.start({ verified: true }, { faults: { rules: [{ path: "/cgi-bin/tags/create", kind: "slow", skip: 1 }], slowMs: 60_000 } });
    const dir = workdir({ "wxconf.yaml": yamlFile(TAGS) });
    const apply = start(["apply", "--auto-approve", "--write-parallelism", "1"], dir, cliEnv(emulator));
    await apply.waitFor(" 1/12]");
    // The second create is held for a minute: interrupt, then interrupt again.
    apply.child.kill("SIGINT");
    await apply.waitFor("Press Ctrl-C again to exit at once");
    apply.child.kill("SIGINT");
    expect(await apply.done).toBe(130);
    expect(apply.stderr()).toContain("Interrupted again (SIGINT): exiting now. A call in flight may or may not have taken effect");
  });
});

describe("a call that outlasts the wait after an interrupt", () => {
  it("is reported in flight, outcome unknown, and apply exits without it", async () => {
    const emulator = await accounts.start({ verified: true }, { faults: { rules: [{ path: "/cgi-bin/tags/create", kind: "slow", skip: 1 }], slowMs: 60_000 } });
    const dir = workdir({ "wxconf.yaml": yamlFile(TAGS) });
    const apply = start(["apply", "--auto-approve", "--write-parallelism", "1"], dir, cliEnv(emulator, { WXCONF_INTERRUPT_WAIT_MS: "300" }));
    await apply.waitFor(" 1/12]");
    apply.child.kill("SIGINT");
    expect(await apply.done).toBe(130);
    expect(apply.stdout()).toContain("Apply interrupted (SIGINT) after 1 of 12 steps");
    expect(apply.stdout()).toContain("In flight, outcome unknown (1): sent, but apply stopped before the answer came\n  2. create tag T1");
    expect(apply.stdout()).toContain("Not attempted (10):");
  });
});

describe("a token_command still running", () => {
  it("is stopped when wxconf is interrupted (it runs in its own process group, out of the terminal's reach)", async () => {
    const emulator = await accounts.start({ verified: true });
    const dir = workdir();
    const pidFile = join(dir, "token-command.pid");
    writeFileSync(
      join(dir, "wxconf.yaml"),
      `version: 1\naccount:\n  app_id: ${emulator.appId}\ntoken_command: "echo $$ > ${pidFile}; sleep 60; echo TOKEN"\n${TAGS}`,
    );
    const plan = start(["plan"], dir, { WXCONF_API_BASE: emulator.url });
    await plan.waitFor("Reading account");
    let pid = Number.NaN;
    while (Number.isNaN(pid)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      pid = existsSync(pidFile) ? Number.parseInt(readFileSync(pidFile, "utf8"), 10) : Number.NaN;
    }
    plan.child.kill("SIGINT");
    expect(await plan.done).toBe(130);
    // Gone once init has reaped it: the group was sent SIGTERM as wxconf left.
    const alive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let wait = 0; wait < 100 && alive(); wait++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive()).toBe(false);
  });
});

describe("other commands exit cleanly", () => {
  it("plan: a line that says so, exit 130", async () => {
    const emulator = await accounts.start({ verified: true }, { latencyMs: 2_000 });
    const dir = workdir({ "wxconf.yaml": yamlFile(TAGS) });
    const plan = start(["plan"], dir, cliEnv(emulator));
    await plan.waitFor("Reading account");
    plan.child.kill("SIGINT");
    expect(await plan.done).toBe(130);
    expect(plan.stderr()).toContain("Interrupted (SIGINT): nothing was written.");
  });
});
