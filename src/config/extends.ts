// `extends: base.yaml` and `vars:` (fleets): an account file takes the sections of a shared base it does not
// set itself (an account's section replaces the base's whole), and `${var.NAME}` in the base reads the
// account's `vars.NAME`. Problems point into the file they are in: the base's lines for the base's values.
import { dirname, resolve } from "node:path";
import { parseSource, type Path, type SourceDocument } from "./document.js";
import { ConfigError, type ConfigIssue, sortIssues } from "./issues.js";
import { asObject } from "./loose.js";

const VAR = /\$\{var\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface Composed {
  document: SourceDocument;
  data: unknown;
  issues: ConfigIssue[];
}

/** The account file with its base folded in; unchanged when it names no base. */
export function composeWithBase(account: SourceDocument, readText: (file: string) => string): Composed {
  const fields = asObject(account.data);
  const base = fields?.extends;
  if (!fields || base === undefined) return { document: account, data: account.data, issues: [] };
  if (typeof base !== "string" || base === "")
    return { document: account, data: account.data, issues: [account.issueAt(["extends"], "'extends' names a base file, relative to this one")] };

  const baseFile = resolve(dirname(account.file), base);
  const parsed = parseSource(baseFile, readText(baseFile));
  if (!parsed.usable) throw new ConfigError(sortIssues(parsed.issues));
  const baseData = asObject(parsed.document.data) ?? {};
  const issues: ConfigIssue[] = [...parsed.issues];
  if (baseData.extends !== undefined) issues.push(parsed.document.issueAt(["extends"], "a base cannot extend another base: put what they share in one"));

  const vars = asObject(fields.vars) ?? {};
  const substitute = (value: unknown, path: Path): unknown => {
    if (typeof value === "string") {
      return value.replace(VAR, (match, name: string) => {
        const given = vars[name];
        if (typeof given === "string" || typeof given === "number") return String(given);
        issues.push(parsed.document.issueAt(path, `\${var.${name}} is not in the vars of ${account.file}`));
        issues.push(
          account.issueAt(
            fields.vars === undefined ? [] : ["vars"],
            `the base ${baseFile} needs var '${name}' (at line ${parsed.document.locate(path).line}): add it under vars`,
          ),
        );
        return match;
      });
    }
    if (Array.isArray(value)) return value.map((item, index) => substitute(item, [...path, index]));
    const object = asObject(value);
    if (object) return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, substitute(item, [...path, key])]));
    return value;
  };
  const fromBase = Object.fromEntries(
    Object.entries(baseData)
      .filter(([key]) => key !== "extends" && fields[key] === undefined)
      .map(([key, value]) => [key, substitute(value, [key])]),
  );
  const own = Object.fromEntries(Object.entries(fields).filter(([key]) => key !== "extends" && key !== "vars"));
  const data = { ...fromBase, ...own };

  // A problem's section tells which file it is in.
  const documentOf = (path: Path) => (path.length > 0 && typeof path[0] === "string" && path[0] in fromBase ? parsed.document : account);
  const document: SourceDocument = {
    file: account.file,
    data,
    locate: (path, at) => documentOf(path).locate(path, at),
    issueAt: (path, message, at) => documentOf(path).issueAt(path, message, at),
  };
  return { document, data, issues };
}
