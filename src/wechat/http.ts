import { EnvHttpProxyAgent, type Dispatcher } from "undici";
import { ClientConfigError } from "./errors.js";

export const WECHAT_API_BASE = "https://api.weixin.qq.com";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * The API base: --api-base, else $WXCONF_API_BASE, else WeChat. Plain http is only for loopback hosts
 * (the emulator): anywhere else it would send the access token in clear.
 */
export function resolveApiBase(flag: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): URL {
  const text = flag ?? env.WXCONF_API_BASE ?? WECHAT_API_BASE;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ClientConfigError(`the API base '${text}' is not a URL (from ${flag ? "--api-base" : "$WXCONF_API_BASE"})`);
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && (LOOPBACK.has(url.hostname) || url.hostname.startsWith("127."))) return url;
  throw new ClientConfigError(
    `the API base '${text}' must use https: plain http is allowed only for loopback hosts such as the emulator (http://127.0.0.1:PORT)`,
  );
}

export interface HttpTimeouts {
  connectMs: number;
  /** How long to wait for an answer (headers, then each part of the body). */
  answerMs: number;
}

export function timeoutsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): HttpTimeouts {
  const answer = Number(env.WXCONF_TIMEOUT_MS);
  return { connectMs: 10_000, answerMs: Number.isFinite(answer) && answer > 0 ? answer : 30_000 };
}

/**
 * Keep-alive connections with timeouts, through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY matches:
 * teams reach WeChat through a fixed egress IP that is on the account's whitelist.
 */
export function createDispatcher(timeouts: HttpTimeouts, env: Readonly<Record<string, string | undefined>> = process.env): Dispatcher {
  // An empty setting (a CI secret that is not set) means no proxy.
  const setting = (name: string) => env[name] || env[name.toLowerCase()] || undefined;
  const httpProxy = setting("HTTP_PROXY");
  const httpsProxy = setting("HTTPS_PROXY") ?? httpProxy;
  const noProxy = setting("NO_PROXY");
  return new EnvHttpProxyAgent({
    ...(httpProxy !== undefined && { httpProxy }),
    ...(httpsProxy !== undefined && { httpsProxy }),
    ...(noProxy !== undefined && { noProxy }),
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.answerMs,
    bodyTimeout: timeouts.answerMs,
    keepAliveTimeout: 4_000,
  });
}
