#!/usr/bin/env node
// The command-line program. Each command's module is imported only when that command runs, so that
// `wxconf --version` and `wxconf validate` do not pay for the HTTP client and the planner.
import { Command, Option } from "commander";
import { DEFAULT_CONFIG_FILE } from "../config/defaults.js";
import { registerSecretsFromEnv } from "../secrets.js";
import { writeStderr } from "../sink.js";
import { PACKAGE_VERSION as VERSION } from "../paths.js";
import { processConsole, type Console } from "./console.js";
import { describeError } from "./errors.js";
import type { ApplyOptions } from "./apply.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { Interrupts } from "./interrupt.js";

type Action<O> = (options: O, out: Console, interrupts: Interrupts) => ExitCode | Promise<ExitCode>;

/** The command for one account or, with several -c or a folder, for a fleet. */
async function forAccounts<O>(command: "validate" | "plan" | "apply" | "drift" | "output"): Promise<Action<O>> {
  const { runForAccounts } = await import("./accounts.js");
  return (options, out, interrupts) => runForAccounts(command, options as Parameters<typeof runForAccounts>[1], out, interrupts);
}

async function run<O extends { color?: boolean }>(options: O, action: () => Promise<Action<O>>): Promise<void> {
  const out = processConsole({ color: options.color !== false });
  registerSecretsFromEnv(process.env);
  const interrupts = new Interrupts(out);
  try {
    process.exitCode = await (await action())(options, out, interrupts);
  } catch (error) {
    out.error(describeError(error, out.colorErr));
    process.exitCode = EXIT.error;
  }
}

const configOption = () => new Option("-c, --config <file>", "the configuration file").default(DEFAULT_CONFIG_FILE);
/** -c for the commands that take many accounts: repeat it, or name a folder. */
const accountsOptions = (command: Command) =>
  command
    .addOption(
      new Option("-c, --config <file>", "the configuration file; repeat it, or name a folder, for many accounts (default wxconf.yaml)").argParser(
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      ),
    )
    .option("--parallelism <n>", "with many accounts: accounts at once (default 10)")
    .addOption(
      new Option("--account <app_id>", "with many accounts: only this one (repeatable)").argParser((value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        value,
      ]),
    )
    .option("--shard <i/n>", "with many accounts: the i-th of n deterministic parts (by app id), for CI matrices");

const program = new Command("wxconf")
  .description("Manage a WeChat Official Account's menus, tags and template bindings as code.")
  .version(VERSION, "-V, --version")
  .showHelpAfterError("(run 'wxconf --help' for usage)")
  .addHelpText(
    "after",
    `
Examples:
  wxconf validate                                  check wxconf.yaml offline
  wxconf plan --format markdown > plan.md          a plan for a pull request
  wxconf plan --out plan.json && wxconf apply plan.json
  wxconf apply --auto-approve --expect-checksum <sha256 from the reviewed plan>
  wxconf drift                                     exit 2 when the account was changed by hand
  wxconf import --app-id wx0123456789abcdef -o wxconf.yaml
  wxconf server check                              the message server, called as WeChat calls it
  wxconf emulator                                  a local WeChat to try all this

Environment:
  WXCONF_APP_SECRET, WXCONF_APP_SECRET_<app id>     the app secret (or account.app_secret: \${VAR})
  WXCONF_ACCESS_TOKEN                              a token from your token server (instead of the secret)
  WXCONF_VAR_*                                     the only variables a managed value's \${...} may read
  WXCONF_SERVER_TOKEN, WXCONF_SERVER_AES_KEY       the message server's Token and EncodingAESKey
  WXCONF_API_BASE                                  another API base (the emulator's)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY                the route to WeChat (a whitelisted egress)
  WXCONF_TIMEOUT_MS, WXCONF_RETRY_BASE_MS          a request's deadline; the unit of retry waits
  WXCONF_TOKEN_TIMEOUT_MS, WXCONF_INTERRUPT_WAIT_MS token_command's time; apply's wait after Ctrl-C
  WXCONF_DEBUG                                     one line per call on stderr, secrets masked
  NO_COLOR, FORCE_COLOR                            colours off / on

Exit codes:
  0 success (plan --detailed-exitcode and drift: no changes)    1 error
  2 the account differs from the file (plan --detailed-exitcode, drift)
  3 apply refused, nothing written (a stale plan, --allow-destroy needed, no quota)
  130, 143 interrupted (SIGINT, SIGTERM)`,
  );

accountsOptions(program.command("validate"))
  .description("check a configuration file offline (no network call); exit 0 valid, 1 invalid")
  .addOption(
    new Option("--format <format>", "text, json, or github (workflow annotations on the pull request)").choices(["text", "json", "github"]).default("text"),
  )
  .option("--no-color", "do not colour the output")
  .action((options) => run(options, async () => forAccounts("validate")));

const formatOption = (formats: string[]) => new Option("--format <format>", "output format").choices(formats).default("text");
const apiBaseOption = () => new Option("--api-base <url>", "the WeChat API base URL (default $WXCONF_API_BASE, else https://api.weixin.qq.com)");

accountsOptions(program.command("plan"))
  .description("read the account, compare it with the file and show what apply would change (never writes)")
  .addOption(formatOption(["text", "markdown", "json", "github"]))
  .option("--out <plan.json>", "also save the plan as JSON, for 'wxconf apply PLAN.json'")
  .option("--detailed-exitcode", "exit 2 when there are changes (0: none, 1: error)")
  .addOption(apiBaseOption())
  .option("--no-color", "do not colour the output")
  .action((options) => run(options, async () => forAccounts("plan")));

accountsOptions(program.command("apply"))
  .description("make the account match the file: plan, approve, run the fewest calls, then check")
  .argument("[plan.json]", "a plan saved with 'wxconf plan --out': applied only if the file and the account have not changed")
  .option("--auto-approve", "do not ask for approval (CI)")
  .option("--expect-checksum <sha>", "apply only if the plan made now has this checksum (from a reviewed plan; with or without 'sha256:')")
  .option("--allow-destroy", "allow destructive changes (deleting tags with followers, the default menu, many objects, changing the industry)")
  .option("--write-parallelism <n>", "writes in flight at once, where the steps' order allows (1 = one after another)", "8")
  .addOption(formatOption(["text", "json"]))
  .addOption(apiBaseOption())
  .option("--no-color", "do not colour the output")
  .action((planFile: string | undefined, options) =>
    run(options, async () => {
      if (planFile === undefined) return forAccounts("apply");
      // A saved plan is one account's: it names its file (-c may name another).
      const { runApply } = await import("./apply.js");
      return (opts: Omit<ApplyOptions, "config"> & { config?: string[] }, out, interrupts) => {
        const { config, ...rest } = opts;
        return runApply(planFile, { ...rest, ...(config?.[0] !== undefined && { config: config[0] }) }, out, interrupts);
      };
    }),
  );

accountsOptions(program.command("drift"))
  .description("report what was changed outside wxconf; exit 0 in sync, 2 drift, 1 error")
  .addOption(formatOption(["text", "markdown", "json", "github"]))
  .addOption(apiBaseOption())
  .option("--no-color", "do not colour the output")
  .action((options) => run(options, async () => forAccounts("drift")));

program
  .command("import")
  .description("write the live account as a wxconf.yaml (only reads the account)")
  .addOption(configOption().default(DEFAULT_CONFIG_FILE, "wxconf.yaml, for its account and credentials"))
  .option("--app-id <id>", "import this account instead (credentials from $WXCONF_APP_SECRET or $WXCONF_ACCESS_TOKEN)")
  .option("-o, --out <file>", "write to this file (default: stdout)")
  .option("--with-members", "also write each tag's members")
  .option("--lenient", "a console menu's buttons that the API cannot create are a warning, not an error")
  .option("--force", "overwrite the output file")
  .addOption(apiBaseOption())
  .option("--no-color", "do not colour the output")
  .action((options) => run(options, async () => (await import("./import.js")).runImport));

accountsOptions(program.command("output"))
  .description("print the ids application code needs: template ids by binding, tag ids by name, menu keys")
  .addOption(formatOption(["json", "env", "ts"]).default("json"))
  .addOption(apiBaseOption())
  .option("--no-color", "do not colour the output")
  .action((options) => run(options, async () => forAccounts("output")));

program
  .command("preview")
  .description("draw each menu of the file as a follower sees it (SVG files; offline)")
  .addOption(configOption())
  .option("-o, --out <dir>", "the folder to write the pictures to", "wxconf-preview")
  .option("--no-color", "do not colour the output")
  .action((options) => run(options, async () => (await import("./preview.js")).runPreview));

const server = program.command("server").description("the team's message server (set in the MP console)");
server
  .command("check")
  .description(
    "call the message server the way WeChat does: URL verification, a message, every menu event, retries, forged requests (no WeChat API call); exit 0 all pass, 1 otherwise",
  )
  .addOption(configOption())
  .option("--url <url>", "the server's URL (default: server.url of the file)")
  .addOption(new Option("--mode <mode>", "the encryption mode (default: server.mode of the file, else plain)").choices(["plain", "compatible", "safe"]))
  .option("--from-wechat", "also ask WeChat's own probe (POST /cgi-bin/callback/check): the only check that calls WeChat")
  .addOption(apiBaseOption())
  .addOption(formatOption(["text", "json"]))
  .option("--no-color", "do not colour the output")
  .action((options) => run(options, async () => (await import("./server.js")).runServerCheck));

program
  .command("emulator")
  .description("run a local WeChat API (one account in memory) to try wxconf without an account")
  .option("--port <n>", "the port on 127.0.0.1 (0 picks a free one)", "8123")
  .option("--state <file>", "seed the account from a YAML state file (see examples/demo-state.yaml)")
  .option("--latency <ms>", "delay every answer by this many milliseconds", "0")
  .option("--fault-rate <p>", "probability (0 to 1) that a call gets a random fault", "0")
  .option("--seed <n>", "seed of the random faults, for reproducible runs", "1")
  .option("--quiet", "do not log each call on stderr")
  .option("--no-color", "accepted for symmetry: the emulator prints no colours")
  .action((options) => run(options, async () => (await import("./emulator.js")).runEmulator));

program.parseAsync().catch((error: unknown) => {
  writeStderr(`${String(error)}\n`);
  process.exitCode = EXIT.error;
});
