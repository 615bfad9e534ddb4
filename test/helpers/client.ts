import { openClient, openReadClient, type ClientOptions } from "../../src/wechat/client.js";
import type { Emulator } from "../../src/emulator/server.js";

/** Options for a client of the emulator, with waits shortened (retry base 1 ms). */
const optionsFor = (emulator: Emulator, extra: Partial<ClientOptions>): ClientOptions => ({
  credentials: { app_id: emulator.appId, app_secret: emulator.appSecret },
  apiBase: emulator.url,
  env: { WXCONF_RETRY_BASE_MS: "1" },
  ...extra,
});

export const clientFor = (emulator: Emulator, extra: Partial<ClientOptions> = {}) => openClient(optionsFor(emulator, extra));
export const readClientFor = (emulator: Emulator, extra: Partial<ClientOptions> = {}) => openReadClient(optionsFor(emulator, extra));
