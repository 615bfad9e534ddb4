// What the commands that talk to WeChat share: the loaded file, and a client with progress on stderr.
import { dirname } from "node:path";
import { formatWarning } from "../config/issues.js";
import { loadConfig } from "../resources/load.js";
import type { LoadedConfig } from "../resources/load.js";
import { openClient, openReadClient, type ClientOptions } from "../wechat/client.js";
import type { Console } from "./console.js";

export interface AccountOptions {
  config: string;
  apiBase?: string;
  /** Requests in flight at once (apply's --write-parallelism, when it is above the default 8). */
  maxInFlight?: number;
}

function clientOptions(config: LoadedConfig, options: AccountOptions, out: Console): ClientOptions {
  return {
    credentials: config.credentials,
    filesDir: dirname(config.file),
    ...(options.apiBase !== undefined && { apiBase: options.apiBase }),
    ...(options.maxInFlight !== undefined && { maxInFlight: options.maxInFlight }),
    onRetry: (event) => out.error(`  ${event.api}: ${event.reason}; retrying in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt + 1})`),
  };
}

/**
 * The file and a client that can only read (plan, drift, import, output). The access token is on its way
 * when this returns, so the caller can load what it needs meanwhile.
 */
export function openForReading(options: AccountOptions, out: Console) {
  const config = loadConfig(options.config);
  for (const warning of config.warnings) out.error(formatWarning(warning));
  const client = openReadClient(clientOptions(config, options, out));
  client.prefetchToken();
  return { config, client };
}

/** The file and a client that reads and writes (apply); the token is on its way, as above. */
export function openForWriting(options: AccountOptions, out: Console) {
  const config = loadConfig(options.config);
  for (const warning of config.warnings) out.error(formatWarning(warning));
  const client = openClient(clientOptions(config, options, out));
  client.prefetchToken();
  return { config, client };
}

export function elapsed(started: number): string {
  const ms = Date.now() - started;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
