import { KINDS } from "../resources/index.js";
import { ReadSession } from "../resources/kind.js";
import { openForReading, type AccountOptions } from "./account.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

export interface OutputOptions extends AccountOptions {
  format: "json" | "env";
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Values come from the server, and the lines go to $GITHUB_ENV or `eval`: only characters that mean
 * nothing to either (no newline, quote, $, space, backslash or `) pass.
 */
const ENV_SAFE_VALUE = /^[A-Za-z0-9_.:@%+=/-]*$/;

/** The ids application code needs, read from the live account (never copied by hand). */
export async function runOutput(options: OutputOptions, out: Console): Promise<ExitCode> {
  const { config, client } = openForReading(options, out);
  try {
    // Every kind with outputs reads what it needs through one session (each API once), in parallel.
    const session = new ReadSession(client.read);
    const settled = await Promise.allSettled(KINDS.map((kind) => kind.outputs?.(config.desired, session) ?? Promise.resolve([])));
    const failures = settled.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
    // A WeChat or network error keeps its errcode and hint; "not applied yet" reasons are said all at once.
    const fault = failures.find((failure) => !(failure instanceof Error) || failure.constructor !== Error);
    if (fault !== undefined) throw fault;
    if (failures.length > 0) throw new Error(failures.map((failure) => (failure as Error).message).join("; "));
    const sections = settled.flatMap((result) => (result.status === "fulfilled" ? result.value : []));
    const outputs: Record<string, Record<string, string | number>> = {};
    for (const section of sections) outputs[section.name] = { ...outputs[section.name], ...section.values };

    if (options.format === "json") {
      out.info(JSON.stringify({ format_version: "1.0", ...outputs }, null, 2));
      return EXIT.ok;
    }
    const lines: string[] = [];
    const skipped: string[] = [];
    const unsafe: string[] = [];
    const add = (prefix: string, name: string, value: string | number) => {
      if (!ENV_NAME.test(name)) skipped.push(name);
      else if (!ENV_SAFE_VALUE.test(String(value))) unsafe.push(name);
      else lines.push(`${prefix}${name.toUpperCase()}=${value}`);
    };
    for (const section of sections) {
      if (section.envPrefix === undefined) continue;
      for (const [name, value] of Object.entries(section.values)) add(section.envPrefix, name, value);
    }
    if (unsafe.length > 0) {
      // Nothing is printed: a partial env file would hide the problem.
      out.error(
        `Refused: the account's value for ${unsafe.join(", ")} has characters that are not safe in an env file or shell (newline, quote, $, space...); ` +
          "a WeChat id never has them, so the answer is suspect. Use --format json to see it.",
      );
      return EXIT.error;
    }
    out.info(lines.join("\n"));
    if (skipped.length > 0) out.error(`Not in the env format (names must be ASCII letters, digits and _): ${skipped.join(", ")}; use --format json`);
    return EXIT.ok;
  } finally {
    await client.close();
  }
}
