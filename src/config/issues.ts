import type { Path } from "./document.js";

/** A problem found in the file's data, at a path; placed at a line and column by the document. */
export interface RuleProblem {
  path: Path;
  at: "key" | "value";
  message: string;
  /** Reported, but the file stays valid (WeChat accepts and ignores what it points at). */
  warning?: true;
}

/** A problem with the value at `path`. */
export const problemAt = (path: Path, message: string): RuleProblem => ({ path, at: "value", message });

/** One problem in a configuration file, at the node it is about. */
export interface ConfigIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** `FILE:LINE:COL: message`; a problem with the file as a whole (line 0) is `FILE: message`. */
export function formatIssue(issue: ConfigIssue): string {
  const message = cutQuotedValues(issue.message);
  return issue.line > 0 ? `${issue.file}:${issue.line}:${issue.col}: ${message}` : `${issue.file}: ${message}`;
}

export function formatWarning(issue: ConfigIssue): string {
  return formatIssue({ ...issue, message: `warning: ${issue.message}` });
}

const LONG_QUOTED = /'([^']{81,})'/g;

/** A message quotes the value it is about; a long value is cut so that the message stays readable. */
function cutQuotedValues(message: string): string {
  return message.replace(LONG_QUOTED, (_, value: string) => `'${value.slice(0, 60)}…' (${value.length} characters)`);
}

/** Thrown when a configuration file cannot be used; carries every problem found, in file order. */
export class ConfigError extends Error {
  /** `warnings`: what the file would be warned about too, for a report of every problem at once. */
  constructor(
    readonly issues: ConfigIssue[],
    readonly warnings: ConfigIssue[] = [],
  ) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ConfigError";
  }
}

export function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.col - b.col);
}
