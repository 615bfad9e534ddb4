// The CI recipes in examples/github-actions/ are valid YAML and call only commands and flags that exist.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers/cli.js";

const DIR = join(ROOT, "examples", "github-actions");
const workflows = readdirSync(DIR).filter((name) => name.endsWith(".yml"));

interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Array<{ run?: string; uses?: string }> }>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
}

/** Every `npx wxconf COMMAND --flags` in the workflow's run steps. */
function wxconfCalls(workflow: Workflow): string[][] {
  const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ""));
  return runs.flatMap((run) => [...run.matchAll(/npx wxconf ([^\n>|&;]+)/g)].map((match) => (match[1] ?? "").trim().split(/\s+/)));
}

describe("GitHub Actions recipes", () => {
  it("there are the three recipes", () => {
    expect(workflows.sort()).toEqual(["apply-on-merge.yml", "drift-audit.yml", "plan-on-pull-request.yml"]);
  });

  it.each(workflows)("%s is valid YAML and calls only real commands and flags", async (name) => {
    const workflow = parse(readFileSync(join(DIR, name), "utf8")) as Workflow;
    expect(workflow.on).toBeDefined();
    const calls = wxconfCalls(workflow);
    expect(calls.length).toBeGreaterThan(0);
    for (const [command, ...args] of calls) {
      const help = await runCli([command ?? "", "--help"]);
      expect(help.code, `wxconf ${command} does not exist`).toBe(0);
      for (const flag of args.filter((arg) => arg.startsWith("-"))) {
        expect(help.stdout, `wxconf ${command} has no ${flag}`).toMatch(new RegExp(`(^|[\\s,])${flag.replace(/[-]/g, "\\-")}([\\s,]|$)`, "m"));
      }
    }
  });

  it("apply is serialised per account, and never cancels a running apply", () => {
    const workflow = parse(readFileSync(join(DIR, "apply-on-merge.yml"), "utf8")) as Workflow;
    expect(workflow.concurrency?.group).toMatch(/^wxconf-apply-wx[0-9a-f]{16}$/);
    expect(workflow.concurrency?.["cancel-in-progress"]).toBe(false);
    expect(wxconfCalls(workflow)).toContainEqual(["apply", "-c", "wxconf.yaml", "--auto-approve"]);
  });
});
