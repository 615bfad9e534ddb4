// The account files a command runs on. One file (and no --account / --shard) runs the command as it always
// has; several run as a fleet (fleet.ts, loaded only then: a single account's start does not pay for it).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Console } from "./console.js";
import type { ExitCode } from "./exit-codes.js";
import type { AccountsOptions, Command } from "./fleet.js";
import type { Interrupts } from "./interrupt.js";

/** The files `-c` names: files as given, folders as every *.yaml / *.yml in them with a top-level `version`. */
export function configFiles(values: readonly string[]): string[] {
  const files: string[] = [];
  for (const value of values.length ? values : ["wxconf.yaml"]) {
    let folder = false;
    try {
      folder = statSync(value).isDirectory();
    } catch {
      folder = false;
    }
    if (!folder) {
      files.push(value);
      continue;
    }
    const found = readdirSync(value)
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => join(value, name))
      .filter((file) => statSync(file).isFile() && /^version\s*:/m.test(readFileSync(file, "utf8").slice(0, 4096)))
      .sort();
    if (found.length === 0) throw new Error(`${value}: no account file in this folder (a *.yaml or *.yml with a top-level 'version')`);
    files.push(...found);
  }
  return [...new Set(files)];
}

export async function runForAccounts(command: Command, options: AccountsOptions, out: Console, interrupts: Interrupts): Promise<ExitCode> {
  const files = configFiles(options.config ?? []);
  if (files.length > 1 || options.account?.length || options.shard !== undefined) {
    return (await import("./fleet.js")).runManyAccounts(command, files, options, out, interrupts);
  }
  const single = { ...options, config: files[0] as string };
  if (command === "validate") return (await import("./validate.js")).runValidate({ ...single, format: (options.format ?? "text") as "text" }, out);
  if (command === "plan") return (await import("./plan.js")).runPlan({ ...single, format: (options.format ?? "text") as "text" }, out);
  if (command === "drift") return (await import("./drift.js")).runDrift({ ...single, format: (options.format ?? "text") as "text" }, out);
  if (command === "output") return (await import("./output.js")).runOutput({ ...single, format: (options.format ?? "json") as "json" }, out);
  return (await import("./apply.js")).runApply(undefined, { ...single, format: (options.format ?? "text") as "text" }, out, interrupts);
}
