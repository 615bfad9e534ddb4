// `wxconf server check`: the team's message server, called the way WeChat calls it. No WeChat API call.
import { SERVER_MODES, type ServerMode, type ServerSettings } from "../config/server.js";
import { styler } from "../render/style.js";
import { KINDS } from "../resources/index.js";
import { type LoadedConfig, loadConfig } from "../resources/load.js";
import { ANSWER_BUDGET_MS, type CheckResult, checkServer } from "../server/check.js";
import { openReadClient } from "../wechat/client.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

export interface ServerCheckOptions {
  config: string;
  url?: string;
  mode?: string;
  format: "text" | "json";
  fromWechat?: boolean;
  apiBase?: string;
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

/** callback/check: WeChat's own network resolves and pings the server's host. */
async function wechatProbe(config: LoadedConfig, options: ServerCheckOptions): Promise<CheckResult> {
  const client = openReadClient({ credentials: config.credentials, ...(options.apiBase !== undefined && { apiBase: options.apiBase }) });
  const started = performance.now();
  try {
    const probe = await client.read.checkCallback();
    const ms = Math.round(performance.now() - started);
    const lossy = probe.ping.filter((ping) => ping.package_loss !== "0%");
    const base = { check: "wechat_probe", name: `WeChat's own probe (callback/check): ${probe.dns.length} address(es), ${probe.ping.length} ping(s)`, ms };
    if (probe.dns.length === 0)
      return { ...base, ok: false, problem: "WeChat cannot resolve the server's host", fix: "check the domain's DNS from mainland China" };
    if (lossy.length > 0) {
      return {
        ...base,
        ok: false,
        problem: `packet loss from ${lossy.map((ping) => `${ping.from_operator} ${ping.package_loss}`).join(", ")}`,
        wechat: "pushes from those networks time out and are retried",
        fix: "check the server's network and firewall (WeChat's addresses: GET /cgi-bin/getcallbackip)",
      };
    }
    return { ...base, ok: true };
  } finally {
    await client.close();
  }
}

export async function runServerCheck(options: ServerCheckOptions, out: Console): Promise<ExitCode> {
  const config = loadConfig(options.config);
  const server = settingsOf(options, config.server);
  const menus = KINDS.flatMap((kind) => kind.pictures?.(config.desired) ?? []).map((picture) => picture.buttons);
  const json = options.format === "json";
  out.error(`Checking ${server.url} in ${server.mode} mode, as WeChat calls it (${menus.length} menu(s) in ${options.config})…`);
  const onCheck = (result: CheckResult) => {
    if (!json) out.info(line(result, out.colorOut));
  };
  const report = await checkServer({ server, appId: config.desired.app_id, menus, onCheck });
  if (options.fromWechat) {
    const probe = await wechatProbe(config, options);
    report.checks.push(probe);
    report.ok &&= probe.ok;
    onCheck(probe);
  }
  if (json) {
    out.info(JSON.stringify(report, null, 2));
  } else {
    const failed = report.checks.filter((check) => !check.ok);
    const summary = `${report.checks.length} checks, ${failed.length} failed; the slowest answer took ${report.slowest_ms} ms (WeChat waits ${ANSWER_BUDGET_MS} ms).`;
    out.info(`\n${styler(out.colorOut)(failed.length ? "red" : "green", summary)}`);
  }
  return report.ok ? EXIT.ok : EXIT.error;
}
