// Many accounts in one run: `-c` repeated or naming a folder. Each account runs the command as it would
// alone (its own file, client and token), into a buffer; at most `--parallelism` accounts at once. One
// account's error does not stop the others. The exit code: 1 if any account erred (apply's 3 counts), else
// 2 if any differs (plan --detailed-exitcode, drift), else 0.
import { readFileSync } from "node:fs";
import { sha256 } from "../json.js";
import { ConfigError } from "../config/issues.js";
import { hasChanges, type Plan } from "../plan/model.js";
import { renderPlanJson } from "../render/json.js";
import { renderPlan } from "../render/plan.js";
import { GITHUB_COMMENT_LIMIT } from "../render/markdown.js";
import { styler } from "../render/style.js";
import { loadConfig } from "../resources/load.js";
import type { Console } from "./console.js";
import { describeError } from "./errors.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import type { Interrupts } from "./interrupt.js";
import type { OpenedAccount } from "./plan.js";

export const FLEET_FORMAT_VERSION = "1.0";
export const DEFAULT_ACCOUNT_PARALLELISM = 10;

export interface FleetOptions {
  parallelism?: string;
  account?: string[];
  shard?: string;
}

export interface FleetAccount {
  app_id: string;
  config_file: string;
  /** in_sync, changes, applied, refused, error, valid, output. */
  status: string;
  exit_code: number;
  plan?: Plan;
  result?: unknown;
  error?: string;
}

interface Target {
  file: string;
  appId: string;
}

/** A console that keeps what one account's run prints, to show it whole, after the others'. */
export function bufferedConsole(): Console & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    info: (text) => void stdout.push(text),
    error: (text) => void stderr.push(text),
    progress: () => undefined,
    colorOut: false,
    colorErr: false,
    interactive: false,
  };
}

/** Which accounts this run takes: --account, then --shard I/N (by app id, deterministic). */
function selectTargets(targets: Target[], options: FleetOptions): Target[] {
  let selected = targets;
  if (options.account?.length) {
    const unknown = options.account.filter((appId) => !targets.some((target) => target.appId === appId));
    if (unknown.length) throw new Error(`--account ${unknown.join(", ")}: no such account among the files given`);
    selected = selected.filter((target) => options.account?.includes(target.appId));
  }
  if (options.shard !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(options.shard);
    const index = Number(match?.[1]);
    const count = Number(match?.[2]);
    if (!match || count < 1 || index < 1 || index > count) throw new Error(`--shard must be I/N with 1 <= I <= N (e.g. 2/4), not '${options.shard}'`);
    // A hash of the app id: the same account always falls in the same shard, whatever else is in the fleet.
    selected = selected.filter((target) => Number.parseInt(sha256(target.appId).slice(0, 8), 16) % count === index - 1);
  }
  return selected;
}

/** The app id of a file, read without validating it (an invalid file still gets a row). */
function appIdOf(file: string): string {
  try {
    return /^\s+app_id:\s*["']?(wx[0-9a-f]{16})/m.exec(readFileSync(file, "utf8").slice(0, 8192))?.[1] ?? file;
  } catch {
    return file;
  }
}

/** One account's command; `opened` is what `open` (if given) made of the file ahead of its turn. */
export type AccountRun<Opened = undefined> = (file: string, out: Console, opened?: Opened) => Promise<{ code: ExitCode; plan?: Plan }>;

/** Opens an account ahead of its turn: what can start before the command itself (a file read, a token). */
export interface AccountOpener<Opened> {
  open(file: string, out: Console): Opened;
  close(opened: Opened): void;
}

/** Runs `run` for every selected account, at most `parallelism` at once, and reports. */
export async function runFleet<Opened>(
  command: string,
  files: string[],
  options: FleetOptions & { format?: string; detailedExitcode?: boolean },
  out: Console,
  interrupts: Interrupts,
  run: AccountRun<Opened>,
  opener?: AccountOpener<Opened>,
): Promise<ExitCode> {
  if (process.env.WXCONF_ACCESS_TOKEN) {
    throw new Error(
      "$WXCONF_ACCESS_TOKEN is one account's token: with several accounts, use $WXCONF_APP_SECRET_<app id> or token_command (it gets $WXCONF_APP_ID)",
    );
  }
  const targets = selectTargets(
    files.map((file) => ({ file, appId: appIdOf(file) })),
    options,
  );
  const parallelism = Number(options.parallelism ?? DEFAULT_ACCOUNT_PARALLELISM);
  if (!Number.isInteger(parallelism) || parallelism < 1)
    throw new Error(`--parallelism must be a whole number of accounts, 1 or more, not '${options.parallelism}'`);
  const results: FleetAccount[] = [];
  const outputs = new Map<string, string[]>();
  let next = 0;
  let done = 0;
  out.error(`${command}: ${targets.length} account(s), ${Math.min(parallelism, targets.length)} at a time…`);

  // With an opener, the next `parallelism` accounts are opened while the running ones work: when a worker
  // takes one, its first round trip (the token) is already done. A failure to open is that account's error.
  const buffers: Array<ReturnType<typeof bufferedConsole>> = [];
  const ahead = new Map<number, { opened: Opened } | { failed: unknown }>();
  const openAhead = (index: number) => {
    if (!opener || index >= targets.length || buffers[index]) return;
    const buffer = bufferedConsole();
    buffers[index] = buffer;
    try {
      ahead.set(index, { opened: opener.open((targets[index] as Target).file, buffer) });
    } catch (error) {
      ahead.set(index, { failed: error });
    }
  };
  for (let index = 0; index < 2 * parallelism; index++) openAhead(index);

  const worker = async () => {
    for (let index = next++; index < targets.length; index = next++) {
      const target = targets[index] as Target;
      if (interrupts.received) break;
      openAhead(index + parallelism);
      const buffer = buffers[index] ?? bufferedConsole();
      const prepared = ahead.get(index);
      ahead.delete(index);
      let code: ExitCode;
      let plan: Plan | undefined;
      try {
        if (prepared && "failed" in prepared) throw prepared.failed;
        ({ code, plan } = await run(target.file, buffer, prepared?.opened));
      } catch (error) {
        buffer.error(describeError(error, false));
        code = EXIT.error;
      }
      const result: FleetAccount = { app_id: target.appId, config_file: target.file, status: statusOf(command, code), exit_code: code, ...(plan && { plan }) };
      if (code === EXIT.error || code === EXIT.refused)
        result.error = buffer.stderr.filter((line) => /Error|Refused|problem/.test(line)).join("\n") || buffer.stderr.at(-1) || "failed";
      else if (plan === undefined && options.format === "json" && buffer.stdout.length) result.result = JSON.parse(buffer.stdout.join("\n")) as unknown;
      results[index] = result;
      outputs.set(target.appId, [...buffer.stdout]);
      done++;
      out.error(`[${done}/${targets.length}] ${target.appId} (${target.file}): ${result.status}`);
      for (const line of buffer.stderr) if (code !== EXIT.ok && code !== EXIT.changes) out.error(`  ${line.split("\n").join("\n  ")}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, targets.length) }, worker));
  // Opened, never run (an interrupt): let them go.
  for (const prepared of ahead.values()) if ("opened" in prepared) opener?.close(prepared.opened);
  const finished = results.filter(Boolean);

  if (options.format === "json") {
    out.info(
      JSON.stringify(
        {
          format_version: FLEET_FORMAT_VERSION,
          command,
          accounts: finished.map(({ plan, ...rest }) => (plan ? { ...rest, plan: JSON.parse(renderPlanJson(plan)) as unknown } : rest)),
        },
        null,
        2,
      ),
    );
  } else if (options.format === "markdown") {
    out.info(fleetMarkdown(command, finished, outputs));
  } else {
    for (const result of finished) {
      out.info(styler(out.colorOut)("bold", `━━ ${result.app_id} (${result.config_file}) ━━`));
      out.info((outputs.get(result.app_id) ?? []).join("\n") || `(${result.status})`);
      out.info("");
    }
    out.info(summaryTable(finished));
  }

  if (interrupts.received) return interrupts.received === "SIGTERM" ? EXIT.sigterm : EXIT.sigint;
  if (finished.some((result) => result.exit_code === EXIT.error || result.exit_code === EXIT.refused)) return EXIT.error;
  const differs = finished.some((result) => result.exit_code === EXIT.changes);
  return differs && (command === "drift" || options.detailedExitcode) ? EXIT.changes : EXIT.ok;
}

function statusOf(command: string, code: ExitCode): string {
  if (code === EXIT.refused) return "refused";
  if (code !== EXIT.ok && code !== EXIT.changes) return "error";
  if (command === "apply") return "applied";
  if (command === "validate") return "valid";
  if (command === "output") return "ok";
  return code === EXIT.changes ? (command === "drift" ? "drift" : "changes") : "in sync";
}

const changesOf = (result: FleetAccount) =>
  result.plan ? `${result.plan.summary.add} to add, ${result.plan.summary.change} to change, ${result.plan.summary.destroy} to destroy` : "";

function summaryTable(results: readonly FleetAccount[]): string {
  const rows = [
    ["account", "file", "changes", "status"],
    ...results.map((result) => [result.app_id, result.config_file, changesOf(result) || "-", result.status]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  const errors = results.filter((result) => result.status === "error" || result.status === "refused").length;
  return [
    line(rows[0] ?? []),
    ...rows.slice(1).map(line),
    "",
    `${results.length} account(s): ${errors} with errors, ${results.filter((result) => result.exit_code === EXIT.changes).length} that differ.`,
  ].join("\n");
}

/** One pull-request comment: the summary table first, each account's plan folded; within GitHub's limit. */
function fleetMarkdown(command: string, results: readonly FleetAccount[], outputs: ReadonlyMap<string, string[]>): string {
  const head = [`### wxconf ${command}: ${results.length} account(s)`, "", "| account | file | changes | status |", "|---|---|---|---|"];
  for (const result of results) head.push(`| \`${result.app_id}\` | \`${result.config_file}\` | ${changesOf(result) || "-"} | ${result.status} |`);
  const quiet = results.filter((result) => result.exit_code === EXIT.ok).map((result) => `\`${result.app_id}\``);
  if (quiet.length) head.push("", `No changes: ${quiet.join(", ")}.`);
  const sections = results
    .filter((result) => result.exit_code !== EXIT.ok)
    .map((result) => ({
      result,
      body: result.error ? `\`\`\`\n${result.error}\n\`\`\`` : (outputs.get(result.app_id) ?? []).join("\n"),
    }));
  const fold = ({ result, body }: { result: FleetAccount; body: string }) =>
    `<details><summary>${result.app_id} (${result.config_file}): ${result.status}</summary>\n\n${body}\n\n</details>`;
  // Over GitHub's limit: the largest plans are replaced by a pointer, one by one, until it fits.
  const limit = GITHUB_COMMENT_LIMIT - 1_000;
  const render = () => [...head, "", ...sections.map(fold)].join("\n");
  for (const section of [...sections].sort((a, b) => b.body.length - a.body.length)) {
    if (render().length <= limit) break;
    section.body = `(cut to keep the comment within GitHub's limit: run 'wxconf ${command} -c ${section.result.config_file}')`;
  }
  return render();
}

/** An invalid file in a fleet is that account's error, said with its positions. */
export function validateAccount(file: string, out: Console): { code: ExitCode } {
  try {
    const { warnings } = loadConfig(file);
    out.info(`${file} is valid${warnings.length ? ` (${warnings.length} warning(s))` : ""}`);
    return { code: EXIT.ok };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    out.error(describeError(error, false));
    return { code: EXIT.error };
  }
}

export type Command = "validate" | "plan" | "apply" | "drift" | "output";

export type AccountsOptions = FleetOptions & { config?: string[]; format?: string; detailedExitcode?: boolean; out?: string; autoApprove?: boolean };

/** The command on several accounts (files), each into its own buffer, `--parallelism` at a time. */
export async function runManyAccounts(command: Command, files: string[], options: AccountsOptions, out: Console, interrupts: Interrupts): Promise<ExitCode> {
  const forFile = (file: string) => ({ ...options, config: file, format: options.format ?? "text" });
  if (options.out !== undefined) throw new Error("--out saves one plan: with several accounts, use --format json (one envelope for all)");
  if (options.format === "github" && command !== "validate")
    throw new Error("--format github annotates one account's file: with several accounts, use --format markdown or json");
  if (command === "apply" && !options.autoApprove) throw new Error("apply on several accounts needs --auto-approve (there is no prompt per account)");
  if (command === "plan" || command === "drift") {
    const [{ readPlan }, { openForReading }] = await Promise.all([import("./plan.js"), import("./account.js")]);
    const format = (options.format === "json" ? "text" : (options.format ?? "text")) as "text" | "markdown";
    const plans: AccountRun<OpenedAccount> = async (file, buffer, opened) => {
      const plan = await readPlan(forFile(file), buffer, opened);
      buffer.info(renderPlan(plan, format, command, false).replace(/\n$/, ""));
      return { code: hasChanges(plan) ? EXIT.changes : EXIT.ok, plan };
    };
    const opener: AccountOpener<OpenedAccount> = {
      open: (file, buffer) => openForReading(forFile(file), buffer),
      close: (opened) => void opened.client.close(),
    };
    return runFleet(command, files, options, out, interrupts, plans, opener);
  }
  if (command === "apply") {
    const { openForApply, runApply } = await import("./apply.js");
    const forApply = (file: string) => ({ ...forFile(file), format: (options.format ?? "text") as "text" });
    const applies: AccountRun<ReturnType<typeof openForApply>> = async (file, buffer, opened) => ({
      code: await runApply(undefined, forApply(file), buffer, interrupts, opened),
    });
    const opener: AccountOpener<ReturnType<typeof openForApply>> = {
      open: (file, buffer) => openForApply(forApply(file), buffer),
      close: (opened) => void opened.client.close(),
    };
    return runFleet(command, files, options, out, interrupts, applies, opener);
  }
  const run: AccountRun = async (file, buffer) => {
    if (command === "validate") return validateAccount(file, buffer);
    return { code: await (await import("./output.js")).runOutput({ ...forFile(file), format: (options.format ?? "json") as "json" }, buffer) };
  };
  return runFleet(command, files, options, out, interrupts, run);
}
