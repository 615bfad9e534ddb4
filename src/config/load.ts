import { readFileSync } from "node:fs";
import { checkRules } from "./checks.js";
import { parseSource, type Path } from "./document.js";
import { interpolate } from "./interpolate.js";
import { ConfigError, sortIssues, type ConfigIssue } from "./issues.js";
import { bindingNameProblems, checkSchema } from "./schema.js";
import type { ConfigFile, DesiredState, LoadedConfig } from "./types.js";

export { DEFAULT_CONFIG_FILE } from "./defaults.js";

/** Reads, interpolates and validates a configuration file. Throws ConfigError with every problem at once. */
export function loadConfig(file: string, env: Readonly<Record<string, string | undefined>> = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file (use -c to name the configuration file)" : String((error as Error).message);
    throw new ConfigError([{ file, line: 0, col: 0, message: `cannot read: ${reason}` }]);
  }
  return parseConfig(file, text, env);
}

export function parseConfig(file: string, text: string, env: Readonly<Record<string, string | undefined>>): LoadedConfig {
  const { document, issues: sourceIssues, usable } = parseSource(file, text);
  if (!usable) throw new ConfigError(sortIssues(sourceIssues));
  if (document.data === null || document.data === undefined) {
    throw new ConfigError([{ file, line: 1, col: 1, message: "the file is empty: it needs at least 'version: 1' and 'account: { app_id: ... }'" }]);
  }

  const { data, problems: missing } = interpolate(document.data, env);
  const issues: ConfigIssue[] = [...sourceIssues];
  issues.push(...missing.map((problem) => document.issueAt(problem.path, problem.message)));
  const schemaProblems = [...checkSchema(data), ...bindingNameProblems(data)];
  issues.push(...schemaProblems.map((problem) => document.issueAt(problem.path, problem.message, problem.at)));
  // A value with a schema problem or an unresolved ${VAR} would only repeat it as a rule problem.
  const reported = [...schemaProblems, ...missing];
  const ruleProblems = checkRules(data, document.data).filter((problem) => !coveredBy(problem.path, reported));
  issues.push(...ruleProblems.map((problem) => document.issueAt(problem.path, problem.message, problem.at)));
  if (issues.length > 0) throw new ConfigError(sortIssues(issues));

  const config = data as ConfigFile;
  return {
    file,
    desired: toDesired(config),
    credentials: {
      app_id: config.account.app_id,
      ...(config.account.app_secret !== undefined && { app_secret: config.account.app_secret }),
      ...(config.token_command !== undefined && { token_command: config.token_command }),
    },
  };
}

/** A rule problem inside a node that already has a schema problem would repeat it. */
function coveredBy(path: Path, schemaProblems: ReadonlyArray<{ path: Path }>): boolean {
  return schemaProblems.some((problem) => problem.path.length > 0 && problem.path.every((segment, index) => path[index] === segment));
}

function toDesired(config: ConfigFile): DesiredState {
  const desired: DesiredState = {
    app_id: config.account.app_id,
    prune: { tags: config.prune?.tags ?? false, templates: config.prune?.templates ?? false },
  };
  if (config.industry) desired.industry = { primary: config.industry.primary, secondary: config.industry.secondary };
  if (config.tags) {
    desired.tags = config.tags.map((tag) => ({
      name: tag.name,
      previously: tag.previously ?? [],
      ...(tag.members !== undefined && { members: tag.members }),
    }));
  }
  if (config.templates) {
    desired.templates = Object.entries(config.templates).map(([name, binding]) => ({
      name,
      ...(binding.template_id_short !== undefined && { template_id_short: String(binding.template_id_short) }),
      title: binding.title,
      keywords: binding.keywords,
    }));
  }
  if (config.menu !== undefined) desired.menu = config.menu === null ? null : { button: config.menu.button };
  if (config.conditional_menus) {
    desired.conditional_menus = config.conditional_menus.map((menu) => ({
      name: menu.name,
      matchrule: {
        ...(menu.matchrule.tag !== undefined && { tag: menu.matchrule.tag }),
        ...(menu.matchrule.tag_id !== undefined && { tag_id: String(menu.matchrule.tag_id) }),
        ...(menu.matchrule.client_platform_type !== undefined && { client_platform_type: String(menu.matchrule.client_platform_type) }),
      },
      button: menu.button,
    }));
  }
  return desired;
}

