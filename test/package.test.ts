// The package people install: packed from this tree, installed into an empty folder without the network,
// with no runtime dependency (the bundle carries what it needs), and working from there.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });

describe("the package", () => {
  it("installs offline with no runtime dependency, and its CLI validates, emulates and plans from there", async () => {
    const packs = mkdtempSync(join(tmpdir(), "wxconf-pack-"));
    npm(["pack", "--ignore-scripts", "--pack-destination", packs], ROOT);
    const tarball = join(packs, readdirSync(packs).find((name) => name.endsWith(".tgz")) ?? "");
    const project = mkdtempSync(join(tmpdir(), "wxconf-user-"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", version: "1.0.0", private: true }));
    npm(["install", "--offline", "--ignore-scripts", tarball], project);

    // Only wxconf itself was installed: no runtime dependency, nothing fetched.
    expect(readdirSync(join(project, "node_modules")).filter((name) => !name.startsWith("."))).toEqual(["wxconf"]);
    const manifest = JSON.parse(readFileSync(join(project, "node_modules", "wxconf", "package.json"), "utf8")) as { dependencies?: object };
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(existsSync(join(project, "node_modules", "wxconf", "LICENSE"))).toBe(true);
    expect(existsSync(join(project, "node_modules", "wxconf", "src"))).toBe(false);

    const cli = join(project, "node_modules", ".bin", "wxconf");
    const run = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(cli, args, { cwd: project, env: { PATH: process.env.PATH ?? "", ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });

    expect((await run(["--help"])).stdout).toContain("Usage: wxconf");
    writeFileSync(join(project, "wxconf.yaml"), "version: 1\naccount:\n  app_id: wx0123456789abcdef\nmenu:\n  button: [{ name: a, type: click, key: A }]\n");
    const validated = await run(["validate"]);
    expect(validated.stdout).toBe("wxconf.yaml is valid\n");
    const typo = await run(["validate", "-c", "typo.yaml"]);
    expect(typo.code).toBe(1);

    const emulator = spawn(cli, ["emulator", "--port", "0", "--quiet"], { cwd: project, env: { PATH: process.env.PATH ?? "" } });
    try {
      const banner = await new Promise<string>((resolve) => {
        let text = "";
        emulator.stdout.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes("app secret:")) resolve(text);
        });
      });
      const url = /listening on (\S+)/.exec(banner)?.[1] ?? "";
      const secret = /app secret: (\S+)/.exec(banner)?.[1] ?? "";
      const plan = await run(["plan"], { WXCONF_API_BASE: url, WXCONF_APP_SECRET: secret });
      expect(plan.stderr).not.toContain("Error");
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    } finally {
      emulator.kill();
    }
  }, 60_000);
});
