import { openClient, openReadClient, type ClientOptions } from "../../src/wechat/client.js";
import type { Emulator } from "../../src/emulator/server.js";

/** A client for the emulator, with waits shortened (retry base 1 ms). */
export function clientFor(emulator: Emulator, extra: Partial<ClientOptions> = {}) {
  return openClient({
    credentials: { app_id: emulator.appId, app_secret: emulator.appSecret },
    apiBase: emulator.url,
    env: { WXCONF_RETRY_BASE_MS: "1" },
    ...extra,
  });
}

export function readClientFor(emulator: Emulator, extra: Partial<ClientOptions> = {}) {
  return openReadClient({
    credentials: { app_id: emulator.appId, app_secret: emulator.appSecret },
    apiBase: emulator.url,
    env: { WXCONF_RETRY_BASE_MS: "1" },
    ...extra,
  });
}
