// The command's stub runs the bundle with V8's code cache: made by the first run, used by the next, and a
// cache V8 refuses (or garbage under its name) costs only a compile, never a wrong or failed run.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

/** A copy of the built package's bin folder, without its cache. */
function install(): { bin: string; cacheFile: () => string | undefined } {
  const root = mkdtempSync(join(tmpdir(), "wxconf-bin-"));
  const bin = join(root, "dist", "bin");
  cpSync(join(ROOT, "dist", "bin"), bin, { recursive: true, filter: (source) => !source.endsWith(".cache") });
  writeFileSync(join(root, "package.json"), readFileSync(join(ROOT, "package.json")));
  const cacheFile = () => {
    const name = readdirSync(bin).find((file) => /^wxconf\.bundle\.[0-9a-f]{16}\.cache$/.test(file));
    return name && join(bin, name);
  };
  return { bin, cacheFile };
}

const run = (bin: string, args: string[]) => {
  const result = spawnSync(process.execPath, [join(bin, "wxconf.cjs"), ...args], {
    env: { PATH: process.env.PATH ?? "", WXCONF_DEBUG: "1" },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe("the code cache", () => {
  it("is made by the first run, under the bundle's hash, and used by the next without being written again", () => {
    const { bin, cacheFile } = install();
    const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version as string;
    const first = run(bin, ["--version"]);
    expect(first).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(first.stderr).toContain("code cache: none yet, compiled");
    const made = cacheFile();
    expect(made).toBeDefined();
    const written = statSync(made as string).mtimeMs;
    const second = run(bin, ["--version"]);
    expect(second).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(second.stderr).toContain("code cache: used");
    expect(statSync(made as string).mtimeMs).toBe(written);
  });

  it("garbage under the cache's name: the run compiles, answers as always, and replaces it", () => {
    const { bin, cacheFile } = install();
    run(bin, ["--version"]);
    const file = cacheFile() as string;
    writeFileSync(file, Buffer.alloc(4096, 7));
    const result = run(bin, ["validate", "-c", join(ROOT, "examples", "basic.yaml")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("is valid");
    expect(result.stderr).toContain("code cache: rejected by V8, compiled");
    expect(readFileSync(file).equals(Buffer.alloc(4096, 7))).toBe(false);
    expect(run(bin, ["--version"]).stderr).toContain("code cache: used");
  });
});
