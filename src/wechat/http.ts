import { isIP } from "node:net";
import type { Dispatcher } from "undici";
import { ClientConfigError } from "./errors.js";

export const WECHAT_API_BASE = "https://api.weixin.qq.com";

/** Plain http may go only here: `localhost`, ::1 and IP literals in 127.0.0.0/8 (never a name that merely starts with 127.). */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]" || hostname === "::1") return true;
  return isIP(hostname) === 4 && hostname.split(".")[0] === "127";
}

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
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  throw new ClientConfigError(
    `the API base '${text}' must use https: plain http is allowed only for localhost, ::1 and 127.x.x.x addresses such as the emulator's (http://127.0.0.1:PORT)`,
  );
}

export interface HttpTimeouts {
  connectMs: number;
  /** The deadline of one request, from sending it to the last byte of its answer. */
  answerMs: number;
}

export function timeoutsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): HttpTimeouts {
  const answer = Number(env.WXCONF_TIMEOUT_MS);
  const answerMs = Number.isFinite(answer) && answer > 0 ? answer : 30_000;
  return { connectMs: Math.min(10_000, answerMs), answerMs };
}

/** The largest answer wxconf reads (a page of 10 000 followers is about 0.4 MB); a larger one is an error. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * Through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY matches (teams reach WeChat through a fixed egress IP
 * that is on the account's whitelist): keep-alive connections with timeouts. Undefined without a proxy.
 */
export function createDispatcher(timeouts: HttpTimeouts, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Dispatcher> | undefined {
  // An empty setting (a CI secret that is not set) means no proxy.
  const setting = (name: string) => env[name] || env[name.toLowerCase()] || undefined;
  const httpProxy = setting("HTTP_PROXY");
  const httpsProxy = setting("HTTPS_PROXY") ?? httpProxy;
  const noProxy = setting("NO_PROXY");
  // No proxy: node:http goes direct (src/wechat/wire.ts), and the undici package (about 50 ms to load) is not loaded.
  if (httpProxy === undefined && httpsProxy === undefined) return undefined;
  return import("undici").then((undici) => {
    // Bundled, the CommonJS package's exports sit under `default`.
    const { EnvHttpProxyAgent } = typeof undici.EnvHttpProxyAgent === "function" ? undici : (undici as unknown as { default: typeof undici }).default;
    return new EnvHttpProxyAgent({
      ...(httpProxy !== undefined && { httpProxy }),
      ...(httpsProxy !== undefined && { httpsProxy }),
      ...(noProxy !== undefined && { noProxy }),
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.answerMs,
      bodyTimeout: timeouts.answerMs,
      keepAliveTimeout: 4_000,
    });
  });
}
