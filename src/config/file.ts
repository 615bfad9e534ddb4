import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { registerSecret, registerSecretsFromEnv } from "../secrets.js";
import { parseSource, type Path } from "./document.js";
import { composeWithBase } from "./extends.js";
import { interpolate, isReference, SECRET_FIELDS } from "./interpolate.js";
import { ConfigError, problemAt, sortIssues, type ConfigIssue, type RuleProblem } from "./issues.js";
import { checkSchema } from "./schema.js";
import { checkServer, serverFromFile, type ServerSettings } from "./server.js";
import { checkTexts } from "./text-checks.js";
import type { Credentials } from "./types.js";

export { DEFAULT_CONFIG_FILE } from "./defaults.js";

/** Large enough for a tag of 1 000 000 members (about 35 MB of YAML), small enough to fail fast on a wrong file. */
export const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

/** Reads the file as UTF-8: only a regular file, only up to MAX_CONFIG_BYTES, and only valid UTF-8. */
export function readConfigText(file: string): string {
  const fail = (message: string, line = 0, col = 0): never => {
    throw new ConfigError([{ file, line, col, message }]);
  };
  let bytes: Buffer;
  try {
    const fd = openSync(file, "r");
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile()) fail("not a regular file (a folder, a device or a pipe): -c must name a YAML file");
      if (stats.size > MAX_CONFIG_BYTES) fail(`the file is ${stats.size} bytes; wxconf reads at most ${MAX_CONFIG_BYTES} (64 MiB)`);
      // One byte more than the limit tells a file that grew after fstat from one that did not.
      const buffer = Buffer.alloc(Math.min(stats.size, MAX_CONFIG_BYTES) + 1);
      let length = 0;
      for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
      if (length > MAX_CONFIG_BYTES) fail(`the file is over ${MAX_CONFIG_BYTES} bytes (64 MiB), the most wxconf reads`);
      bytes = buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file (use -c to name the configuration file, or 'wxconf import' to write one from the account)"
        : code === "EISDIR"
          ? "a folder, not a file: -c must name a YAML file"
          : String((error as Error).message);
    return fail(`cannot read the configuration file: ${reason}`);
  }
  return decodeUtf8(bytes, (line, col) => fail("the file is not valid UTF-8 here: save it as UTF-8", line, col));
}

function decodeUtf8(bytes: Buffer, invalidAt: (line: number, col: number) => never): string {
  const text = bytes.toString("utf8");
  if (!text.includes("\uFFFD")) return text;
  // The first U+FFFD that the bytes did not spell (EF BF BD) is where decoding failed.
  for (let index = text.indexOf("\uFFFD"); index !== -1; index = text.indexOf("\uFFFD", index + 1)) {
    const offset = Buffer.byteLength(text.slice(0, index), "utf8");
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) {
      const before = text.slice(0, index);
      const lineStart = before.lastIndexOf("\n") + 1;
      invalidAt(before.split("\n").length, index - lineStart + 1);
    }
  }
  return text;
}

/** The file's data once every generic check passed, for the section checks and the desired state. */
export interface ParsedFile {
  file: string;
  /** After interpolation: what the sections describe. */
  data: Record<string, unknown>;
  /** Problems that leave the file valid. */
  warnings: ConfigIssue[];
  credentials: Credentials;
  /** The `server:` section, with its secrets resolved (from the file's references or the environment). */
  server?: ServerSettings;
}

/**
 * Parses, interpolates and checks a file: YAML, the schema, every string, the secret fields, and then the
 * rule checks of each section (`checkSections`, from the resource kinds). Throws ConfigError with every
 * problem at once.
 */
export function parseFile(
  file: string,
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  checkSections: (data: Record<string, unknown>) => RuleProblem[],
): ParsedFile {
  const source = parseSource(file, text);
  if (!source.usable) throw new ConfigError(sortIssues(source.issues));
  if (source.document.data === null || source.document.data === undefined) {
    throw new ConfigError([{ file, line: 1, col: 1, message: "the file is empty: it needs at least 'version: 1' and 'account: { app_id: ... }'" }]);
  }
  const composed = composeWithBase(source.document, readConfigText);
  const document = composed.document;
  const sourceIssues = [...source.issues, ...composed.issues];

  // Secrets known before the file is checked, so that a managed value holding one is refused.
  registerSecretsFromEnv(env);
  const { data, problems: missing, secrets } = interpolate(document.data, env);
  for (const secret of secrets) registerSecret(secret);
  const issues: ConfigIssue[] = [...sourceIssues];
  const add = (problems: Iterable<{ path: Path; message: string; at?: "key" | "value" }>) => {
    for (const problem of problems) issues.push(document.issueAt(problem.path, problem.message, problem.at));
  };
  add(missing);
  const schemaProblems = checkSchema(data);
  add(schemaProblems);
  const textProblems = checkTexts(data);
  add(textProblems);
  // A value with a schema problem, an unresolved ${VAR} or a bad character would only repeat it as a rule problem.
  const reported = [...schemaProblems, ...missing, ...textProblems];
  const fields = isRecord(data) ? data : {};
  const ruleProblems = [...secretFieldProblems(document.data), ...checkServer(fields, env), ...checkSections(fields)].filter(
    (problem) => !coveredBy(problem.path, reported),
  );
  add(ruleProblems.filter((problem) => !problem.warning));
  const warnings = sortIssues(ruleProblems.filter((problem) => problem.warning).map((problem) => document.issueAt(problem.path, problem.message, problem.at)));
  if (issues.length > 0) throw new ConfigError(sortIssues(issues), warnings);

  const account = fields.account as { app_id: string; app_secret?: string };
  const tokenCommand = fields.token_command as Credentials["token_command"];
  const server = serverFromFile(fields, env);
  return {
    file,
    data: fields,
    warnings,
    credentials: {
      app_id: account.app_id,
      ...(account.app_secret !== undefined && { app_secret: account.app_secret }),
      ...(tokenCommand !== undefined && { token_command: tokenCommand }),
    },
    ...(server && { server }),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** A rule problem inside a node that already has a schema problem would repeat it. */
function coveredBy(path: Path, schemaProblems: ReadonlyArray<{ path: Path }>): boolean {
  return schemaProblems.some((problem) => problem.path.length > 0 && problem.path.every((segment, index) => path[index] === segment));
}

/** `raw` is the file before interpolation: a secret field must be a reference there, never the secret. */
function secretFieldProblems(raw: unknown): RuleProblem[] {
  return SECRET_FIELDS.flatMap((path) => {
    const section = isRecord(raw) ? raw[String(path[0])] : undefined;
    const secret = isRecord(section) ? section[String(path[1])] : undefined;
    if (typeof secret !== "string" || isReference(secret)) return [];
    return [
      problemAt(
        path,
        `${path.join(".")} must be a reference like \${WECHAT_APP_SECRET}, not the secret itself: this file is reviewed and committed (or leave it out and set its WXCONF_ variable)`,
      ),
    ];
  });
}
