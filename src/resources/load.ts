// A configuration file as the plan sees it: the generic checks of src/config, each kind's rules for its
// section, and the desired state the kinds make of their sections.
import { dirname } from "node:path";
import { append } from "../append.js";
import { parseFile, readConfigText } from "../config/file.js";
import type { ConfigIssue, RuleProblem } from "../config/issues.js";
import { asObject } from "../config/loose.js";
import type { ServerSettings } from "../config/server.js";
import type { Credentials } from "../config/types.js";
import { KINDS } from "./index.js";
import type { DesiredState, SectionContext } from "./kind.js";

export interface LoadedConfig {
  file: string;
  /** Problems that leave the file valid (WeChat accepts and ignores what they point at). */
  warnings: ConfigIssue[];
  desired: DesiredState;
  /** Never in the desired state: the plan, its checksum and its JSON must never hold a secret. */
  credentials: Credentials;
  /** The message server to check (`wxconf server check`); not part of any plan. */
  server?: ServerSettings;
}

/** Reads, interpolates and validates a configuration file. Throws ConfigError with every problem at once. */
export function loadConfig(file: string, env: Readonly<Record<string, string | undefined>> = process.env): LoadedConfig {
  return parseConfig(file, readConfigText(file), env);
}

export function parseConfig(file: string, text: string, env: Readonly<Record<string, string | undefined>>): LoadedConfig {
  const context: SectionContext = { dir: dirname(file) };
  const parsed = parseFile(file, text, env, (data) => checkSections(data, context));
  const account = asObject(parsed.data.account) ?? {};
  const prune = asObject(parsed.data.prune) ?? {};
  const desired: DesiredState = {
    app_id: String(account.app_id),
    // Absent means false: only what the file sets is kept.
    prune: Object.fromEntries(Object.entries(prune).filter((entry): entry is [string, boolean] => typeof entry[1] === "boolean")),
  };
  for (const kind of KINDS) Object.assign(desired, kind.fromFile(parsed.data, context));
  return { file, warnings: parsed.warnings, desired, credentials: parsed.credentials, ...(parsed.server && { server: parsed.server }) };
}

function checkSections(data: Record<string, unknown>, context: SectionContext): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const kind of KINDS) append(problems, kind.check(data, context));
  return problems;
}
