// On a terminal: apply asks for approval (only 'yes' goes on), shows a spinner and colours, and honours
// NO_COLOR. A real pseudo-terminal comes from util-linux `script`.
import { spawn, spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { CLI, workdir } from "./helpers/cli.js";

const HAS_SCRIPT = spawnSync("script", ["--version"]).status === 0;
if (!HAS_SCRIPT) process.stderr.write("note: util-linux `script` is absent; the terminal tests of apply are skipped\n");

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

function onTerminal(args: string[], input: string, cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const command = [process.execPath, CLI, ...args].map((part) => `'${part}'`).join(" ");
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd, env: { PATH: process.env.PATH ?? "", TERM: "xterm", ...env } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
    // Answer once the question is on the screen.
    const answer = setInterval(() => {
      if (output.includes("Only 'yes' will be accepted")) {
        clearInterval(answer);
        child.stdin.end(input);
      }
    }, 20);
    child.on("close", () => clearInterval(answer));
  });
}

describe.skipIf(!HAS_SCRIPT)("apply at a terminal", () => {
  const FILE = "menu:\n  button: [{ name: a, type: click, key: A }]\n";

  it("does nothing unless the answer is 'yes'", async () => {
    const emulator = await accounts.start();
    const dir = workdir({ "wxconf.yaml": yamlFile(FILE) });
    const result = await onTerminal(["apply"], "y\n", dir, cliEnv(emulator));
    expect(result.output).toContain("Do you want to perform these actions? Only 'yes' will be accepted:");
    expect(result.output).toContain("Apply cancelled: nothing was written.");
    expect(result.code).toBe(1);
    expect(emulator.calls().writes).toBe(0);
  });

  it("applies on 'yes', in colour", async () => {
    const emulator = await accounts.start();
    const dir = workdir({ "wxconf.yaml": yamlFile(FILE) });
    const result = await onTerminal(["apply"], "yes\n", dir, cliEnv(emulator));
    expect(result.code).toBe(0);
    expect(result.output).toContain("\u001b[32mApply complete! Resources: 1 added, 0 changed, 0 destroyed.\u001b[0m");
    expect(emulator.calls().writes).toBe(1);
  });

  it("has no colour with NO_COLOR, even at a terminal", async () => {
    const emulator = await accounts.start();
    const dir = workdir({ "wxconf.yaml": yamlFile(FILE) });
    const result = await onTerminal(["apply"], "yes\n", dir, cliEnv(emulator, { NO_COLOR: "1" }));
    expect(result.code).toBe(0);
    expect(result.output).toContain("Apply complete!");
    expect(result.output).not.toMatch(/\u001b\[3\dm/);
  });

  it("checks the daily quota before asking, so nobody approves a plan that cannot run today", async () => {
    const emulator = await accounts.start({ quotas: { "/cgi-bin/menu/create": 0 } });
    const dir = workdir({ "wxconf.yaml": yamlFile(FILE) });
    const result = await onTerminal(["apply"], "yes\n", dir, cliEnv(emulator));
    expect(result.code).toBe(3);
    expect(result.output).toContain("not enough daily quota left for this plan");
    expect(result.output).not.toContain("Only 'yes' will be accepted");
  });
});
