// The CLI's conventions: validate as a linter (json, GitHub annotations), colours on demand, help that
// names the environment and the exit codes, per-account secrets.
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { Accounts, yamlFile } from "./helpers/account.js";
import { CLI, runCli, workdir } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const BAD = yamlFile("menu:\n  button: [{ name: 会员中心服务, type: clik, key: 'a,b:c' }]\n");

describe("validate as a linter", () => {
  it("--format json: every problem with its position and severity", async () => {
    const dir = workdir({ "wxconf.yaml": BAD });
    const result = await runCli(["validate", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      format_version: string;
      valid: boolean;
      problems: Array<{ line: number; col: number; severity: string; message: string }>;
    };
    expect(report).toMatchObject({ format_version: "1.0", valid: false });
    // The name is also wider than the menu bar shows (a warning): reported with the errors.
    expect(report.problems.map((problem) => [problem.line, problem.severity])).toEqual([
      [5, "error"],
      [5, "error"],
      [5, "warning"],
    ]);
  });

  it("reports warnings with the errors, not only once the errors are fixed", async () => {
    const dir = workdir({
      "wxconf.yaml": yamlFile("menu:\n  button:\n    - name: 服务\n      key: K\n      sub_button: [{ name: a, type: clik, key: A }]\n"),
    });
    const json = await runCli(["validate", "--format", "json"], { cwd: dir });
    expect(json.code).toBe(1);
    const severities = (JSON.parse(json.stdout) as { problems: Array<{ severity: string }> }).problems.map((problem) => problem.severity);
    expect(severities).toEqual(["error", "warning"]);
    const text = await runCli(["validate"], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/warning: button '服务' has sub buttons/);
    expect(text.stderr).toContain("'type' is 'clik'");
  });

  it("--format github: workflow annotations, values escaped", async () => {
    const dir = workdir({ "wxconf.yaml": BAD });
    const result = await runCli(["validate", "--format", "github"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error file=wxconf.yaml,line=5,col=34::'type' is 'clik' (did you mean 'click'?)");
    const valid = workdir({
      "wxconf.yaml": yamlFile("menu:\n  button:\n    - name: 服务\n      key: K\n      sub_button: [{ name: a, type: click, key: A }]\n"),
    });
    const warned = await runCli(["validate", "--format", "github"], { cwd: valid });
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^::warning file=wxconf\.yaml,line=\d+,col=\d+::button '服务' has sub buttons/m);
  });

  it("plan --format github: the text plan, then destructive changes and warnings as annotations and the summary as a notice; failures annotated", async () => {
    const emulator = await accounts.start({ followers: ["oA", "oB"], tags: [{ id: 100, name: "old%tag", members: ["oA"] }] });
    const env = { WXCONF_API_BASE: emulator.url, WXCONF_APP_SECRET: emulator.appSecret };
    const dir = workdir({ "wxconf.yaml": yamlFile("tags: [{ name: VIP }]\nprune: { tags: true }\n") });
    const result = await runCli(["plan", "--format", "github"], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("+ tag.VIP");
    expect(result.stdout).toMatch(/^::warning file=wxconf\.yaml,title=destructive%3A tag_with_followers::tag\.old%25tag: .*1 follower/m);
    expect(result.stdout).toMatch(/^::notice file=wxconf\.yaml,title=wxconf plan::Plan: 1 to add, 0 to change, 1 to destroy\.$/m);
    const drift = await runCli(["drift", "--format", "github"], { cwd: dir, env });
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/^::notice file=wxconf\.yaml,title=wxconf drift::Drift: 2 difference\(s\)/m);

    const failed = await runCli(["plan", "--format", "github"], { cwd: workdir({ "wxconf.yaml": BAD }), env });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("::error file=wxconf.yaml,line=5,col=34::'type' is 'clik' (did you mean 'click'?)");
    const unreachable = await runCli(["plan", "--format", "github"], {
      cwd: dir,
      env: { ...env, WXCONF_API_BASE: "http://127.0.0.1:9", WXCONF_RETRY_BASE_MS: "1" },
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toMatch(/^::error file=wxconf\.yaml,title=wxconf failed::.*ECONNREFUSED/m);
  });
});

describe("output", () => {
  it("a reader that goes away (| head) ends the output quietly; the exit code is still the command's", async () => {
    const members = Array.from({ length: 20_000 }, (_, index) => `      - oDup${index % 100}\n`).join("");
    const dir = workdir({ "wxconf.yaml": yamlFile(`tags:\n  - name: big\n    members:\n${members}`) });
    const child = spawn(process.execPath, [CLI, "validate", "--format", "json"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/EPIPE|Error/);
  });
});

describe("conventions", () => {
  it("FORCE_COLOR colours output without a terminal; NO_COLOR wins", async () => {
    const dir = workdir({ "wxconf.yaml": yamlFile("menu:\n  button: [{ name: a, type: click, key: A }]\n") });
    const emulator = await accounts.start();
    const env = { WXCONF_API_BASE: emulator.url, WXCONF_APP_SECRET: emulator.appSecret };
    expect((await runCli(["plan"], { cwd: dir, env: { ...env, FORCE_COLOR: "1" } })).stdout).toMatch(/\u001b\[3\dm/);
    expect((await runCli(["plan"], { cwd: dir, env: { ...env, FORCE_COLOR: "1", NO_COLOR: "1" } })).stdout).not.toMatch(/\u001b\[3\dm/);
    expect((await runCli(["plan"], { cwd: dir, env })).stdout).not.toMatch(/\u001b\[3\dm/);
  });

  it("--help names the environment variables, the exit codes and examples", async () => {
    const help = await runCli(["--help"]);
    for (const text of ["Environment:", "WXCONF_APP_SECRET", "WXCONF_VAR_*", "Exit codes:", "3 apply refused", "130, 143", "Examples:"])
      expect(help.stdout).toContain(text);
  });

  it("$WXCONF_APP_SECRET_<app id> is the account's secret, before $WXCONF_APP_SECRET", async () => {
    const emulator = await accounts.start();
    const dir = workdir({ "wxconf.yaml": yamlFile("menu:\n  button: [{ name: a, type: click, key: A }]\n") });
    const env = { WXCONF_API_BASE: emulator.url, [`WXCONF_APP_SECRET_${emulator.appId}`]: emulator.appSecret, WXCONF_APP_SECRET: "another-accounts-secret" };
    const result = await runCli(["plan"], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(emulator.appSecret);
  });
});

describe("names WeChat cuts", () => {
  it("are warnings in validate (file, line, column) and in the plan", async () => {
    const dir = workdir({ "wxconf.yaml": yamlFile("menu:\n  button:\n    - { name: 会员中心A, type: click, key: A }\n") });
    const validated = await runCli(["validate", "--format", "json"], { cwd: dir });
    expect(validated.code).toBe(0);
    const report = JSON.parse(validated.stdout) as { problems: Array<{ line: number; col: number; severity: string; message: string }> };
    expect(report.problems).toEqual([
      {
        file: "wxconf.yaml",
        line: 6,
        col: 15,
        severity: "warning",
        message: "name '会员中心A' is wider than WeChat shows on the menu bar: followers see '会员中…'",
      },
    ]);
    const emulator = await accounts.start();
    const plan = await runCli(["plan", "--format", "json"], { cwd: dir, env: { WXCONF_API_BASE: emulator.url, WXCONF_APP_SECRET: emulator.appSecret } });
    expect((JSON.parse(plan.stdout) as { warnings: string[] }).warnings).toContain(
      "menu.default: '会员中心A' is longer than WeChat shows; followers see '会员中…'",
    );
  });
});

describe("every problem at once", () => {
  it("a wrong count of buttons does not hide the problems of the buttons", async () => {
    const dir = workdir({
      "wxconf.yaml": yamlFile(
        "menu:\n  button:\n    - { name: a, type: click, key: A }\n    - { name: b, type: click, key: B }\n    - { name: c, type: click, key: C }\n    - { name: 会员中心服务务, type: click }\n",
      ),
    });
    const result = await runCli(["validate"], { cwd: dir });
    expect(result.stderr).toContain("this one has 4");
    expect(result.stderr).toContain("button '会员中心服务务' of type click needs 'key'");
    expect(result.stderr).toContain("is 21 bytes, the limit is 16");
  });

  it("file mistakes name the file's role and the fix", async () => {
    const state = await runCli(["emulator", "--state", "/no/such/state.yaml"]);
    expect(state.stderr).toContain("the emulator's state file /no/such/state.yaml: no such file (--state names a YAML file like examples/demo-state.yaml)");
    const plan = await runCli(["apply", "no-such-plan.json"]);
    expect(plan.stderr).toContain("cannot read the saved plan no-such-plan.json: no such file (make one with 'wxconf plan --out FILE')");
  });
});
