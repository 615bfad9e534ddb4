// A fast path for very long `members` lists. The yaml library spends about 10 µs on every list item, and
// a tag can declare 100 000 followers: over a second. A long run of plain openids (`- oAbC_12-x`) under a
// `members:` key is lifted out before parsing and put back after. The run leaves one placeholder item and
// blank lines, so every other line keeps its number and every error its position. Anything that is not
// plainly a string (quotes, comments, numbers, booleans...) stays with the yaml library.

export interface LiftedRun {
  placeholder: string;
  /** Line and column of the first item's value, 1-based. */
  line: number;
  col: number;
  items: string[];
}

/** Shorter runs are left to the yaml library: the fast path only matters at scale. */
export const MIN_RUN = 256;

const MEMBERS_KEY = /^( *)(?:- )?members: *\r?$/;
const PLAIN_ITEM = /^( *)- ([A-Za-z0-9_-]+) *\r?$/;
/** Plain words YAML 1.2 reads as something other than a string. */
const NOT_A_STRING = /^(?:[-+]?(?:0x[0-9a-fA-F]+|0o[0-7]+|[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?)|true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;

export function liftPlainRuns(text: string): { text: string; runs: LiftedRun[] } {
  let newlines = 0;
  for (let index = text.indexOf("\n"); index >= 0 && newlines < MIN_RUN; index = text.indexOf("\n", index + 1)) newlines++;
  if (newlines < MIN_RUN) return { text, runs: [] };

  const lines = text.split("\n");
  const runs: LiftedRun[] = [];
  for (let keyLine = 0; keyLine < lines.length; keyLine++) {
    const key = MEMBERS_KEY.exec(lines[keyLine] ?? "");
    const first = key ? PLAIN_ITEM.exec(lines[keyLine + 1] ?? "") : null;
    if (!key || !first || (first[1] ?? "").length < (key[1] ?? "").length) continue;
    const indent = first[1] ?? "";
    const items: string[] = [];
    let next = keyLine + 1;
    for (; next < lines.length; next++) {
      const item = PLAIN_ITEM.exec(lines[next] ?? "");
      if (!item || item[1] !== indent || NOT_A_STRING.test(item[2] ?? "")) break;
      items.push(item[2] ?? "");
    }
    if (items.length >= MIN_RUN) {
      const placeholder = `__wxconf_lifted_run_${runs.length}__`;
      const cr = (lines[keyLine + 1] ?? "").endsWith("\r") ? "\r" : "";
      lines[keyLine + 1] = `${indent}- ${placeholder}${cr}`;
      for (let blank = keyLine + 2; blank < next; blank++) lines[blank] = cr;
      runs.push({ placeholder, line: keyLine + 2, col: indent.length + 3, items });
    }
    keyLine = next - 1;
  }
  return { text: runs.length > 0 ? lines.join("\n") : text, runs };
}

/** Puts every lifted run back in place of its placeholder. */
export function restoreRuns(data: unknown, runs: readonly LiftedRun[]): unknown {
  if (runs.length === 0) return data;
  const byPlaceholder = new Map(runs.map((run) => [run.placeholder, run.items]));
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value))
      return value.flatMap((item) => (typeof item === "string" && byPlaceholder.has(item) ? (byPlaceholder.get(item) as string[]) : [visit(item)]));
    if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) (value as Record<string, unknown>)[key] = visit(item);
    }
    return value;
  };
  return visit(data);
}
