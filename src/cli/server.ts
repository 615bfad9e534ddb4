// `wxconf server check`: the team's message server, called the way WeChat calls it. No WeChat API call.
import { SERVER_MODES, type ServerMode, type ServerSettings } from "../config/server.js";
import { styler } from "../render/style.js";
import { KINDS } from "../resources/index.js";
import { loadConfig } from "../resources/load.js";
import { ANSWER_BUDGET_MS, type CheckResult, checkServer } from "../server/check.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

export interface ServerCheckOptions {
  config: string;
  url?: string;
  mode?: string;
  format: "text" | "json";
}

function settingsOf(options: ServerCheckOptions, fromFile: ServerSettings | undefined): ServerSettings {
  if (options.mode !== undefined && !(SERVER_MODES as readonly string[]).includes(options.mode)) {
    throw new Error(`--mode must be one of ${SERVER_MODES.join(", ")}, not '${options.mode}'`);
  }
  const url = options.url ?? fromFile?.url;
  if (url === undefined) throw new Error(`${options.config} has no 'server:' section: add server: { url: ... } (the URL set in the MP console), or pass --url`);
  if (options.url !== undefined && !/^https?:\/\//.test(options.url)) throw new Error(`--url must be an http:// or https:// address, not '${options.url}'`);
  // With --url and no server: section, the secrets come from the environment alone.
  const token = fromFile?.token ?? process.env.WXCONF_SERVER_TOKEN;
  const encodingAesKey = fromFile?.encodingAesKey ?? process.env.WXCONF_SERVER_AES_KEY;
  return {
    url,
    mode: (options.mode as ServerMode | undefined) ?? fromFile?.mode ?? "plain",
    ...(token && { token }),
    ...(encodingAesKey && { encodingAesKey }),
  };
}

function line(result: CheckResult, color: boolean): string {
  const paint = styler(color);
  const mark = result.ok ? paint("green", "ok  ") : paint("red", "FAIL");
  const lines = [`${mark} ${String(result.ms).padStart(5)} ms  ${result.name}`];
  if (!result.ok) {
    if (result.problem) lines.push(`                ${result.problem}`);
    if (result.wechat) lines.push(`                WeChat: ${result.wechat}`);
    if (result.fix) lines.push(`                Fix: ${result.fix}`);
  }
  return lines.join("\n");
}

export async function runServerCheck(options: ServerCheckOptions, out: Console): Promise<ExitCode> {
  const config = loadConfig(options.config);
  const server = settingsOf(options, config.server);
  const menus = KINDS.flatMap((kind) => kind.pictures?.(config.desired) ?? []).map((picture) => picture.buttons);
  const json = options.format === "json";
  out.error(`Checking ${server.url} in ${server.mode} mode, as WeChat calls it (${menus.length} menu(s) in ${options.config})…`);
  const report = await checkServer({
    server,
    appId: config.desired.app_id,
    menus,
    ...(!json && { onCheck: (result) => out.info(line(result, out.colorOut)) }),
  });
  if (json) {
    out.info(JSON.stringify(report, null, 2));
  } else {
    const failed = report.checks.filter((check) => !check.ok);
    const summary = `${report.checks.length} checks, ${failed.length} failed; the slowest answer took ${report.slowest_ms} ms (WeChat waits ${ANSWER_BUDGET_MS} ms).`;
    out.info(`\n${styler(out.colorOut)(failed.length ? "red" : "green", summary)}`);
  }
  return report.ok ? EXIT.ok : EXIT.error;
}
