import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from "yaml";
import type { ConfigIssue } from "./issues.js";

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

export function parseSource(file: string, text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const issueAtOffset = (offset: number, message: string): ConfigIssue => ({ file, ...position(offset), message });

  const issues: ConfigIssue[] = doc.errors.map((error) => issueAtOffset(error.pos[0], yamlMessage(error.message)));
  const usable = issues.length === 0;
  issues.push(...duplicateKeyIssues(doc.contents, (offset, message) => issueAtOffset(offset, message), position));

  const locate = (path: Path, at: "key" | "value" = "value") => {
    const offset = findOffset(doc.contents, path, at) ?? 0;
    return position(offset);
  };
  const document: SourceDocument = {
    file,
    data: usable ? doc.toJS({ maxAliasCount: 100 }) : undefined,
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

function findOffset(root: unknown, path: Path, at: "key" | "value"): number | undefined {
  let current: unknown = root;
  let best = nodeStart(root);
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
      const item = current.items[segment];
      if (item === undefined) return best;
      current = item;
      best = nodeStart(item) ?? best;
    } else {
      return best;
    }
  }
  return best;
}
