// The fast path for long members lists must change nothing but speed: the same data as the yaml library
// gives, and errors at the same line and column.
import fc from "fast-check";
import { LineCounter, parse, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { parseSource } from "../src/config/document.js";
import { liftPlainRuns, MIN_RUN, originalLine } from "../src/config/lift.js";
import { runCli, workdir } from "./helpers/cli.js";

const HEADER = "version: 1\naccount:\n  app_id: wx0123456789abcdef\ntags:\n  - name: big\n    members:\n"; // members start on line 7
const openids = (count: number, prefix = "oAbc_") => Array.from({ length: count }, (_, index) => `${prefix}${index}-x`);
const block = (items: readonly string[], indent = "      ") => items.map((item) => `${indent}- ${item}\n`).join("");

describe("long members lists", () => {
  it("are lifted out to one placeholder line; lines after a run get their numbers back", () => {
    const text = `${HEADER}${block(openids(MIN_RUN))}menu: null\n  - name: second\n    members:\n${block(openids(MIN_RUN + 5, "oB"))}`;
    const { text: lifted, runs } = liftPlainRuns(text);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ line: 7, col: 9 });
    expect(runs[1]).toMatchObject({ line: 7 + MIN_RUN + 3, col: 9 });
    expect(lifted).toBe(`${HEADER}      - __wxconf_lifted_run_0__\nmenu: null\n  - name: second\n    members:\n      - __wxconf_lifted_run_1__\n`);
    // Lifted line 8 (menu: null) is line 7 + MIN_RUN as written; lines before a run keep theirs.
    expect([6, 7, 8, 11].map((line) => originalLine(line, runs))).toEqual([6, 7, 7 + MIN_RUN, 7 + MIN_RUN + 3]);
  });

  it("report a YAML error after a lifted run where the yaml library reports it on the file as written", () => {
    const text = `${HEADER}${block(openids(MIN_RUN + 3))}menu: { a: 1 } }\nprune: {}\n`;
    const lineCounter = new LineCounter();
    const expected = parseDocument(text, { lineCounter }).errors.map((error) => lineCounter.linePos(error.pos[0]));
    expect(expected.length).toBeGreaterThan(0);
    const { issues } = parseSource("wxconf.yaml", text);
    expect(issues.map(({ line, col }) => ({ line, col }))).toEqual(expected);
    expect(issues[0]?.line).toBe(7 + MIN_RUN + 3);
  });

  it("leave short lists to the yaml library", () => {
    expect(liftPlainRuns(HEADER + block(openids(MIN_RUN - 1))).runs).toEqual([]);
  });

  it("give the same data as the yaml library, for any mix of plain and other items", () => {
    const special = fc.constantFrom("123", "0x1F", "true", "null", "'quoted'", '"two words"', "with # comment", "1e5", "-7", "Null");
    const item = fc.oneof({ weight: 20, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,20}$/) }, { weight: 1, arbitrary: special });
    fc.assert(
      fc.property(fc.array(item, { minLength: MIN_RUN - 10, maxLength: MIN_RUN * 3 }), fc.boolean(), (items, crlf) => {
        let text = `${HEADER}${block(items)}menu: null\n`;
        if (crlf) text = text.replace(/\n/g, "\r\n");
        const { document, issues } = parseSource("wxconf.yaml", text);
        expect(issues).toEqual([]);
        expect(document.data).toEqual(parse(text));
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it("report a problem inside a lifted run at its own line and column", async () => {
    const items = openids(600);
    items[450] = "oAbc_10-x"; // a duplicate of item 10
    items[500] = "12345"; // YAML reads it as a number: it stays with the yaml library
    const dir = workdir({ "wxconf.yaml": HEADER + block(items) });
    const result = await runCli(["validate"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wxconf.yaml:457:9: follower oAbc_10-x is listed twice in 'big'");
    expect(result.stderr).toContain("wxconf.yaml:507:9: item 501 of 'members' must be a string");
  });
});
