// Secrets never appear in output, logs, plan files or errors. Every secret value wxconf learns (app
// secrets, access tokens, proxy credentials, the message server's token and AES key) is registered here,
// and every byte wxconf writes passes through redact() in the one output sink (src/sink.ts).

const secrets = new Set<string>();
/** Longest first, so that a secret that contains another is hidden whole. */
let ordered: string[] = [];

/** Shorter values are too likely to occur by chance in ordinary text; they are not treated as secrets. */
export const MIN_SECRET_LENGTH = 6;

/** Remembers a secret so that redact() hides it. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  // Percent-encoded in a URL (a proxy password), the same secret reads differently.
  const encoded = encodeURIComponent(value);
  if (encoded !== value) secrets.add(encoded);
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** The variables that hold secrets, whatever the file says: credentials, the message server's keys. */
const SECRET_VARIABLE = /^(WXCONF_APP_SECRET(_.*)?|WXCONF_ACCESS_TOKEN|WXCONF_SERVER_TOKEN|WXCONF_SERVER_AES_KEY)$/;
const PROXY_VARIABLE = /^(https?_proxy|all_proxy)$/i;

/** Registers every secret the environment holds: credential variables and the passwords of proxy URLs. */
export function registerSecretsFromEnv(env: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_VARIABLE.test(name)) registerSecret(value);
    else if (PROXY_VARIABLE.test(name)) registerProxyCredentials(value);
  }
}

function registerProxyCredentials(proxy: string): void {
  try {
    const url = new URL(proxy);
    registerSecret(decodeURIComponent(url.password));
    registerSecret(url.password);
  } catch {
    // Not a URL: undici will refuse it with its own error, which goes through redact() too.
  }
}

/** True when `text` contains a registered secret. */
export function containsSecret(text: string): boolean {
  return ordered.some((secret) => text.includes(secret));
}

export function redact(text: string): string {
  let result = text
    .replace(/(access_token=)[^&\s"']+/g, "$1***")
    .replace(/("(?:access_token|secret|appsecret)"\s*:\s*")[^"]*"/g, '$1***"')
    .replace(/(\/\/[^/@\s:]*:)[^/@\s]+@/g, "$1***@");
  for (const secret of ordered) if (result.includes(secret)) result = result.split(secret).join("***");
  return result;
}
