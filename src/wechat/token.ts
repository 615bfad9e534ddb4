import { execFile } from "node:child_process";
import type { Credentials } from "../config/types.js";
import { ENDPOINTS } from "./endpoints.js";
import { CredentialsError, WeChatError } from "./errors.js";
import { redact, registerSecret } from "./secrets.js";
import type { Transport } from "./transport.js";

/** Where access tokens come from. A token is cached in memory for this process only. */
export interface TokenProvider {
  /** For messages: which source the token came from. */
  readonly source: string;
  token(): Promise<string>;
  /**
   * WeChat said `token` is invalid. Forgets it if it is still the cached one (compare-and-expire) and
   * answers whether asking again can give a different token.
   */
  invalidate(token: string): boolean;
}

/** $WXCONF_ACCESS_TOKEN: a token from the team's central token server. wxconf cannot refresh it. */
class FixedToken implements TokenProvider {
  readonly source = "$WXCONF_ACCESS_TOKEN";
  constructor(private readonly value: string) {
    registerSecret(value);
  }
  token(): Promise<string> {
    return Promise.resolve(this.value);
  }
  invalidate(): boolean {
    return false;
  }
}

/** token_command: a command that prints a token on stdout (its first non-empty line). */
class CommandToken implements TokenProvider {
  readonly source = "token_command";
  private cached: Promise<string> | undefined;

  constructor(
    private readonly command: string,
    private readonly timeoutMs: number,
  ) {}

  token(): Promise<string> {
    this.cached ??= this.run();
    this.cached.catch(() => (this.cached = undefined));
    return this.cached;
  }

  invalidate(token: string): boolean {
    void this.cached?.then((current) => {
      if (current === token) this.cached = undefined;
    });
    this.cached = undefined;
    return true;
  }

  private run(): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile("/bin/sh", ["-c", this.command], { timeout: this.timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        if (error) {
          const why = error.killed ? `did not finish within ${this.timeoutMs / 1000} s` : `exited with ${String(error.code ?? error.signal)}`;
          const detail = String(stderr).trim().split("\n")[0] ?? "";
          reject(new CredentialsError(redact(`token_command ${why}${detail ? `: ${detail}` : ""}`)));
          return;
        }
        const token = String(stdout)
          .split("\n")
          .map((line) => line.trim())
          .find((line) => line !== "");
        if (!token) {
          reject(new CredentialsError("token_command printed nothing: it must print an access token on stdout"));
          return;
        }
        registerSecret(token);
        resolve(token);
      });
    });
  }
}

/**
 * POST /cgi-bin/stable_token in normal mode. Unlike GET /cgi-bin/token it does not invalidate the tokens
 * that production servers hold, and normal mode returns the same token while it is valid. Never
 * force_refresh: that would invalidate the stable token of everyone else.
 */
class StableToken implements TokenProvider {
  readonly source = "stable_token";
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly appId: string,
    private readonly secret: string,
    private readonly transport: Transport,
  ) {
    registerSecret(secret);
  }

  token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.expiresAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  invalidate(token: string): boolean {
    if (this.cached?.token === token) this.cached = undefined;
    return true;
  }

  private async fetch(): Promise<string> {
    const answer = await this.transport.send(ENDPOINTS.stableToken, {
      body: { grant_type: "client_credential", appid: this.appId, secret: this.secret, force_refresh: false },
    });
    const errcode = Number(answer.errcode ?? 0);
    if (errcode !== 0) throw new WeChatError(ENDPOINTS.stableToken.path, errcode, redact(String(answer.errmsg ?? "")));
    const token = answer.access_token;
    if (typeof token !== "string" || token === "") throw new WeChatError(ENDPOINTS.stableToken.path, 0, "the answer has no access_token");
    registerSecret(token);
    // Stop using a token a minute before WeChat says it expires.
    const lifetimeMs = Math.max(0, Number(answer.expires_in ?? 0) - 60) * 1000;
    this.cached = { token, expiresAt: Date.now() + lifetimeMs };
    return token;
  }
}

/**
 * The first available of: $WXCONF_ACCESS_TOKEN, token_command, the app secret (account.app_secret, else
 * $WXCONF_APP_SECRET) with stable_token.
 */
export function selectTokenProvider(
  credentials: Credentials,
  transport: Transport,
  env: Readonly<Record<string, string | undefined>> = process.env,
): TokenProvider {
  if (env.WXCONF_ACCESS_TOKEN) return new FixedToken(env.WXCONF_ACCESS_TOKEN);
  if (credentials.token_command) {
    const timeout = Number(env.WXCONF_TOKEN_TIMEOUT_MS);
    return new CommandToken(credentials.token_command, Number.isFinite(timeout) && timeout > 0 ? timeout : 30_000);
  }
  const secret = credentials.app_secret ?? env.WXCONF_APP_SECRET;
  if (secret) return new StableToken(credentials.app_id, secret, transport);
  throw new CredentialsError(
    "no credentials: set $WXCONF_APP_SECRET (or account.app_secret: ${VAR}), $WXCONF_ACCESS_TOKEN, or token_command in the file",
  );
}
