// A fast path for very long `members` lists. The yaml library spends about 10 µs on every list item, and
// a tag can declare a million followers. A long run of plain openids (`- oAbC_12-x`) under a `members:` key
// is lifted out before parsing and put back after. The run leaves one placeholder item in one line, so the
// yaml library never walks its lines; originalLine() gives every later line its number back, so every error
// keeps its position. Anything that is not plainly a string (quotes, comments, numbers, booleans...) stays
// with the yaml library.

export interface LiftedRun {
  placeholder: string;
  /** Line and column of the first item's value, 1-based, in the file as written. */
  line: number;
  col: number;
  items: string[];
}

/** Shorter runs are left to the yaml library: the fast path only matters at scale. */
export const MIN_RUN = 256;

const MEMBERS_KEY = /^( *)(?:- )?members: *\r?$/gm;
/** One item line, from its start: indent, the value, and whether the line ends in CRLF. */
const PLAIN_ITEM = /( *)- ([A-Za-z0-9_-]+) *(\r?)(?:\n|$)/y;
/** Plain words YAML 1.2 reads as something other than a string. */
const NOT_A_STRING = /^(?:[-+]?(?:0x[0-9a-fA-F]+|0o[0-7]+|[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?)|true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;

export function liftPlainRuns(text: string): { text: string; runs: LiftedRun[] } {
  let newlines = 0;
  for (let index = text.indexOf("\n"); index >= 0 && newlines < MIN_RUN; index = text.indexOf("\n", index + 1)) newlines++;
  if (newlines < MIN_RUN) return { text, runs: [] };

  const runs: LiftedRun[] = [];
  const pieces: string[] = [];
  let copied = 0;
  let line = 1;
  let counted = 0;
  /** The 1-based line of `offset`, counting on from the last offset asked (offsets only grow). */
  const lineOf = (offset: number) => {
    for (let index = text.indexOf("\n", counted); index >= 0 && index < offset; index = text.indexOf("\n", index + 1)) line++;
    counted = offset;
    return line;
  };
  MEMBERS_KEY.lastIndex = 0;
  for (let key = MEMBERS_KEY.exec(text); key; key = MEMBERS_KEY.exec(text)) {
    const runStart = text.indexOf("\n", key.index) + 1;
    if (runStart === 0) break;
    const items: string[] = [];
    let indent: string | undefined;
    let cr = "";
    let end = runStart;
    for (PLAIN_ITEM.lastIndex = runStart; end < text.length; end = PLAIN_ITEM.lastIndex) {
      const item = PLAIN_ITEM.exec(text);
      if (!item || (indent !== undefined && item[1] !== indent) || NOT_A_STRING.test(item[2] ?? "")) break;
      if (indent === undefined) {
        indent = item[1] ?? "";
        cr = item[3] ?? "";
        if (indent.length < (key[1] ?? "").length) break;
      }
      items.push(item[2] ?? "");
    }
    if (items.length >= MIN_RUN && indent !== undefined) {
      const placeholder = `__wxconf_lifted_run_${runs.length}__`;
      runs.push({ placeholder, line: lineOf(runStart), col: indent.length + 3, items });
      pieces.push(text.slice(copied, runStart), `${indent}- ${placeholder}${cr}${text[end - 1] === "\n" ? "\n" : ""}`);
      copied = end;
      line += items.length - (text[end - 1] === "\n" ? 0 : 1);
      counted = end;
    }
    MEMBERS_KEY.lastIndex = Math.max(end, MEMBERS_KEY.lastIndex);
  }
  if (runs.length === 0) return { text, runs };
  pieces.push(text.slice(copied));
  return { text: pieces.join(""), runs };
}

/** The line in the file as written of a line of the lifted text: each run before it took items - 1 more. */
export function originalLine(liftedLine: number, runs: readonly LiftedRun[]): number {
  let removed = 0;
  for (const run of runs) {
    // The run's placeholder sits at run.line - removed in the lifted text.
    if (run.line - removed >= liftedLine) break;
    removed += run.items.length - 1;
  }
  return liftedLine + removed;
}

/** Puts every lifted run back in place of its placeholder. */
export function restoreRuns(data: unknown, runs: readonly LiftedRun[]): unknown {
  if (runs.length === 0) return data;
  const byPlaceholder = new Map(runs.map((run) => [run.placeholder, run.items]));
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      // A loop (flatMap costs a tenth of a second on a million items); a list that is one run is the run.
      const only = value.length === 1 && typeof value[0] === "string" ? byPlaceholder.get(value[0]) : undefined;
      if (only) return only;
      const restored: unknown[] = [];
      for (const item of value) {
        const run = typeof item === "string" ? byPlaceholder.get(item) : undefined;
        if (run) for (const openid of run) restored.push(openid);
        else restored.push(visit(item));
      }
      return restored;
    }
    if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) (value as Record<string, unknown>)[key] = visit(item);
    }
    return value;
  };
  return visit(data);
}
