// GitHub workflow commands: annotations GitHub shows on a pull request's files and in the run's summary.
// Their values escape %, CR and LF (and, in properties, : and ,), so no text can start another command.
import type { ConfigIssue } from "../config/issues.js";
import type { Plan } from "../plan/model.js";
import { type Framing, summaryLine } from "./lines.js";
import { renderPlanText } from "./text.js";

export type Severity = "error" | "warning" | "notice";

export interface Annotation {
  file: string;
  /** 0 or absent: the file as a whole. */
  line?: number;
  col?: number;
  title?: string;
  message: string;
}

const escapeData = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function annotation(severity: Severity, { file, line, col, title, message }: Annotation): string {
  const at = line ? `,line=${line}${col ? `,col=${col}` : ""}` : "";
  return `::${severity} file=${escapeProperty(file)}${at}${title ? `,title=${escapeProperty(title)}` : ""}::${escapeData(message)}`;
}

/**
 * The plan as text, for the log, then annotations on the configuration file: each warning of the file
 * (at its line) and of the plan, each destructive change, and the summary as a notice.
 */
export function renderPlanGithub(plan: Plan, framing: Framing, fileWarnings: readonly ConfigIssue[]): string {
  const file = plan.config_file;
  const lines = [
    renderPlanText(plan, { color: false, framing }).replace(/\n$/, ""),
    ...fileWarnings.map((issue) => annotation("warning", issue)),
    ...plan.warnings.map((message) => annotation("warning", { file, message })),
    ...plan.safety.map((finding) => annotation("warning", { file, title: `destructive: ${finding.rule}`, message: `${finding.address}: ${finding.message}` })),
    annotation("notice", { file, title: framing === "drift" ? "wxconf drift" : "wxconf plan", message: summaryLine(plan, framing) }),
  ];
  return `${lines.join("\n")}\n`;
}
