// Secrets and tokens never appear in output, logs, plan files or errors. Every secret wxconf learns is
// registered here, and everything it prints about the API goes through redact().

const secrets = new Set<string>();

/** Remembers a secret (an app secret, an access token) so that redact() hides it. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

export function redact(text: string): string {
  let result = text.replace(/(access_token=)[^&\s"']+/g, "$1***").replace(/("(?:access_token|secret|appsecret)"\s*:\s*")[^"]*"/g, '$1***"');
  for (const secret of secrets) result = result.split(secret).join("***");
  return result;
}
