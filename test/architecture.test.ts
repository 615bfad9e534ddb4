// The code's shape, checked: folders depend one way along the flow (config -> wechat -> resources -> plan
// -> export -> apply -> render -> cli, the emulator and the demo beside), and outside src/resources no
// module names a resource kind.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { KINDS } from "../src/resources/index.js";
import { ROOT } from "./helpers/cli.js";

const SRC = join(ROOT, "src");

/** Each folder and the folders it may import (files at src/'s top level are shared by all). */
const ALLOWED: Record<string, readonly string[]> = {
  config: [],
  wechat: ["config"],
  resources: ["config", "wechat"],
  plan: ["config", "wechat", "resources"],
  export: ["config", "wechat", "resources", "plan"],
  apply: ["config", "wechat", "resources", "plan"],
  render: ["config", "wechat", "resources", "plan", "apply"],
  server: ["config", "wechat", "resources"],
  emulator: ["config", "wechat"],
  cli: ["config", "wechat", "resources", "plan", "export", "apply", "render", "server", "emulator"],
  demo: ["config", "wechat", "resources", "plan", "export", "apply", "render", "server", "emulator", "cli"],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith(".ts") && !name.endsWith(".generated.ts") ? [path] : [];
  });
}

const folderOf = (file: string) => relative(SRC, file).split(sep)[0] ?? "";

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((match) => join(file, "..", match[1] ?? ""));
}

describe("architecture", () => {
  it("folders depend one way along the flow", () => {
    const violations: string[] = [];
    for (const file of sources(SRC)) {
      const from = folderOf(file);
      if (!from.includes(".")) {
        for (const target of importsOf(file)) {
          const to = folderOf(target);
          if (to === from || to.endsWith(".js")) continue;
          if (!(ALLOWED[from] ?? []).includes(to)) violations.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)} (${from} -> ${to})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("every folder is placed in the flow", () => {
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    expect(folders.filter((folder) => !(folder in ALLOWED))).toEqual([]);
  });

  it("the planner, apply, the renderers and the CLI never name a resource kind", () => {
    const names = KINDS.flatMap((kind) => [kind.kind, kind.section]);
    const quoted = new RegExp(`["'\`](${names.join("|")})["'\`.]`);
    const property = new RegExp(`\\bdesired\\.(${KINDS.map((kind) => kind.section).join("|")})\\b`);
    const offenders = ["plan", "apply", "render", "cli"]
      .flatMap((folder) => sources(join(SRC, folder)))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, index) => ({ line, index }))
          .filter(({ line }) => (quoted.test(line) || property.test(line)) && !/^(\/\/|\/\*|\*)/.test(line.trim()))
          .map(({ line, index }) => `${relative(ROOT, file)}:${index + 1}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
