import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from "yaml";
import type { ConfigIssue } from "./issues.js";
import { liftPlainRuns, originalLine, restoreRuns, type LiftedRun } from "./lift.js";

export type Path = ReadonlyArray<string | number>;

/** A parsed YAML file that can say where any value of it stands. */
export interface SourceDocument {
  file: string;
  data: unknown;
  /** Line and column of the value at `path` (or of its key, when `at` is "key"); the nearest ancestor when absent. */
  locate(path: Path, at?: "key" | "value"): { line: number; col: number };
  issueAt(path: Path, message: string, at?: "key" | "value"): ConfigIssue;
}

export interface ParsedSource {
  document: SourceDocument;
  /** YAML syntax errors and duplicate keys. */
  issues: ConfigIssue[];
  /** False after a syntax error: `data` is then undefined. Duplicate keys alone leave it usable. */
  usable: boolean;
}

export function parseSource(file: string, source: string): ParsedSource {
  const { text, runs } = liftPlainRuns(source);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: originalLine(line, runs), col };
  };
  const issueAtOffset = (offset: number, message: string): ConfigIssue => ({ file, ...position(offset), message });

  const issues: ConfigIssue[] = doc.errors.map((error) => issueAtOffset(error.pos[0], yamlMessage(error.message)));
  const usable = issues.length === 0;
  issues.push(...duplicateKeyIssues(doc.contents, (offset, message) => issueAtOffset(offset, message), position));

  const lifted = new Map(runs.map((run) => [run.placeholder, run]));
  const locate = (path: Path, at: "key" | "value" = "value") => {
    const found = findPosition(doc.contents, path, at, lifted);
    return typeof found === "number" ? position(found) : found;
  };
  const document: SourceDocument = {
    file,
    data: usable ? restoreRuns(doc.toJS({ maxAliasCount: 100 }), runs) : undefined,
    locate,
    issueAt: (path, message, at) => ({ file, ...locate(path, at), message }),
  };
  return { document, issues, usable };
}

/** yaml's messages end with a code excerpt when pretty; without it they are short. Keep the first line. */
function yamlMessage(message: string): string {
  return `YAML syntax: ${message.split("\n")[0]}`;
}

function duplicateKeyIssues(
  node: unknown,
  issueAt: (offset: number, message: string) => ConfigIssue,
  position: (offset: number) => { line: number; col: number },
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const walk = (current: unknown) => {
    if (isMap(current)) {
      const seen = new Map<string, number>();
      for (const pair of current.items) {
        const key = keyText(pair);
        const offset = nodeStart(pair.key) ?? 0;
        const first = seen.get(key);
        if (first !== undefined) {
          issues.push(issueAt(offset, `duplicate key '${key}': it is already set at line ${position(first).line}; YAML keeps only one of them`));
        } else {
          seen.set(key, offset);
        }
        walk(pair.value);
      }
    } else if (isSeq(current)) {
      current.items.forEach(walk);
    }
  };
  walk(node);
  return issues;
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function nodeStart(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? range[0] : undefined;
}

/**
 * The offset of the node at `path` (of its key, when `at` is "key"), or of its nearest ancestor; an item of
 * a lifted run has no node, so its line and column come from the run.
 */
function findPosition(root: unknown, path: Path, at: "key" | "value", lifted: ReadonlyMap<string, LiftedRun>): number | { line: number; col: number } {
  let current: unknown = root;
  let best = nodeStart(root) ?? 0;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index];
    const last = index === path.length - 1;
    if (isMap(current)) {
      const pair = current.items.find((item) => isPair(item) && keyText(item) === String(segment));
      if (!pair) return best;
      if (last && at === "key") return nodeStart(pair.key) ?? best;
      // A key with no value (`menu:`) has no value node: point at the key.
      current = pair.value;
      best = nodeStart(pair.value) ?? nodeStart(pair.key) ?? best;
    } else if (isSeq(current) && typeof segment === "number") {
      let first = 0;
      let item: unknown;
      for (const candidate of current.items) {
        const run = isScalar(candidate) ? lifted.get(String(candidate.value)) : undefined;
        const span = run ? run.items.length : 1;
        if (segment < first + span) {
          if (run) return { line: run.line + (segment - first), col: run.col };
          item = candidate;
          break;
        }
        first += span;
      }
      if (item === undefined) return best;
      current = item;
      best = nodeStart(item) ?? best;
    } else {
      return best;
    }
  }
  return best;
}
