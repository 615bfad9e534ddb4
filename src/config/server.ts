// The `server:` section: the message server WeChat pushes to (set in the MP console, checked by
// `wxconf server check`). Its token and AES key are secret fields: a ${VAR} reference, or
// $WXCONF_SERVER_TOKEN / $WXCONF_SERVER_AES_KEY.
import { problemAt, type RuleProblem } from "./issues.js";
import { asObject, asString, type Loose } from "./loose.js";

export const SERVER_MODES = ["plain", "compatible", "safe"] as const;
export type ServerMode = (typeof SERVER_MODES)[number];

export interface ServerSettings {
  url: string;
  mode: ServerMode;
  token?: string;
  encodingAesKey?: string;
}

const AES_KEY = /^[A-Za-z0-9]{43}$/;

export function checkServer(file: Readonly<Loose>, env: Readonly<Record<string, string | undefined>>): RuleProblem[] {
  const server = asObject(file.server);
  if (!server) return [];
  const problems: RuleProblem[] = [];
  const url = asString(server.url);
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      problems.push(problemAt(["server", "url"], "server.url must be the absolute http:// or https:// address set in the MP console"));
    }
  }
  // The key is checked when it is known offline; `server check` says when it is missing.
  const key = asString(server.encoding_aes_key) ?? env.WXCONF_SERVER_AES_KEY;
  if (key !== undefined && key !== "" && !AES_KEY.test(key)) {
    problems.push(
      problemAt(
        server.encoding_aes_key !== undefined ? ["server", "encoding_aes_key"] : ["server"],
        "the EncodingAESKey must be 43 letters and digits, as the MP console shows it",
      ),
    );
  }
  return problems;
}

export function serverFromFile(file: Readonly<Loose>, env: Readonly<Record<string, string | undefined>>): ServerSettings | undefined {
  const server = asObject(file.server);
  if (!server) return undefined;
  const token = asString(server.token) ?? env.WXCONF_SERVER_TOKEN;
  const encodingAesKey = asString(server.encoding_aes_key) ?? env.WXCONF_SERVER_AES_KEY;
  return {
    url: String(server.url),
    mode: (asString(server.mode) as ServerMode | undefined) ?? "plain",
    ...(token && { token }),
    ...(encodingAesKey && { encodingAesKey }),
  };
}
