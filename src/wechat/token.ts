import { spawn } from "node:child_process";
import type { Credentials } from "../config/types.js";
import { ENDPOINTS } from "./endpoints.js";
import { CredentialsError, WeChatError } from "./errors.js";
import { redact, registerSecret } from "../secrets.js";
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

/** How long a token_command gets after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** How much of a failing token_command's stderr is shown (redacted). */
const STDERR_SHOWN = 200;

/**
 * token_command: a command that prints a token on stdout (its first non-empty line). A string runs with
 * /bin/sh -c, a list as argv without a shell; wxconf substitutes nothing in either, and the command finds
 * the account in $WXCONF_APP_ID.
 */
class CommandToken implements TokenProvider {
  readonly source = "token_command";
  /** The token being fetched or held; `value` is set once it arrives. */
  private current: { promise: Promise<string>; value?: string } | undefined;

  constructor(
    private readonly command: string | readonly string[],
    private readonly appId: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly timeoutMs: number,
  ) {}

  token(): Promise<string> {
    if (this.current) return this.current.promise;
    const entry: { promise: Promise<string>; value?: string } = { promise: this.run() };
    entry.promise.then(
      (value) => (entry.value = value),
      () => {
        if (this.current === entry) this.current = undefined;
      },
    );
    this.current = entry;
    return entry.promise;
  }

  /** Compare-and-expire: many calls that saw the same bad token run the command once. */
  invalidate(token: string): boolean {
    if (this.current?.value === token) this.current = undefined;
    return true;
  }

  private run(): Promise<string> {
    const [file, args] = typeof this.command === "string" ? ["/bin/sh", ["-c", this.command]] : [this.command[0] ?? "", this.command.slice(1)];
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        env: { ...this.env, WXCONF_APP_ID: this.appId },
        stdio: ["ignore", "pipe", "pipe"],
        // Its own process group, so that the whole group can be signalled (a shell's children too).
        detached: true,
      });
      if (child.pid !== undefined) running.add(child.pid);
      const stdout = new BoundedText(1 << 20);
      const stderr = new BoundedText(8 << 10);
      child.stdout.on("data", (chunk: Buffer) => stdout.add(chunk));
      child.stderr.on("data", (chunk: Buffer) => stderr.add(chunk));
      let timedOut = false;
      const signal = (name: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, name);
        } catch {
          // Already gone.
        }
      };
      let killTimer: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        signal("SIGTERM");
        killTimer = setTimeout(() => signal("SIGKILL"), KILL_GRACE_MS);
        // Do not wait for a command that ignores the signals, nor for the pipes it left open.
        finish(new CredentialsError(`token_command did not finish within ${this.timeoutMs / 1000} s (it was stopped)`));
      }, this.timeoutMs);
      let settled = false;
      const finish = (outcome: Error | string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (typeof outcome === "string") resolve(outcome);
        else reject(outcome);
      };
      child.on("error", (error) => finish(new CredentialsError(redact(`token_command could not start: ${error.message}`))));
      child.on("close", (code, signalName) => {
        if (child.pid !== undefined) running.delete(child.pid);
        if (killTimer && !timedOut) clearTimeout(killTimer);
        if (timedOut) return;
        if (code !== 0) {
          const detail = firstLine(stderr.text());
          finish(new CredentialsError(redact(`token_command exited with ${String(code ?? signalName)}${detail ? `: ${detail}` : ""}`)));
          return;
        }
        const token = firstLine(stdout.text());
        if (!token) {
          finish(new CredentialsError("token_command printed nothing: it must print an access token on stdout"));
          return;
        }
        registerSecret(token);
        finish(token);
      });
    });
  }
}

/**
 * The process groups of the token commands running now. They are not wxconf's group (so that a timeout can
 * signal a shell and its children), so a Ctrl-C at the terminal does not reach them: wxconf leaving, by an
 * interrupt or an error, stops them itself.
 */
const running = new Set<number>();
process.on("exit", () => {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
});

function firstLine(text: string): string {
  const line =
    text
      .split("\n")
      .map((part) => part.trim())
      .find((part) => part !== "") ?? "";
  return line.length > STDERR_SHOWN ? `${line.slice(0, STDERR_SHOWN)}…` : line;
}

/** Collects a stream's first `limit` bytes and drops the rest. */
class BoundedText {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  add(chunk: Buffer): void {
    if (this.size >= this.limit) return;
    const part = chunk.subarray(0, this.limit - this.size);
    this.chunks.push(part);
    this.size += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
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
    return new CommandToken(credentials.token_command, credentials.app_id, env, Number.isFinite(timeout) && timeout > 0 ? timeout : 30_000);
  }
  // Per account first ($WXCONF_APP_SECRET_wx0123456789abcdef), for a CI that holds several accounts' secrets.
  const secret = credentials.app_secret ?? env[`WXCONF_APP_SECRET_${credentials.app_id}`] ?? env.WXCONF_APP_SECRET;
  if (secret) return new StableToken(credentials.app_id, secret, transport);
  throw new CredentialsError("no credentials: set $WXCONF_APP_SECRET (or account.app_secret: ${VAR}), $WXCONF_ACCESS_TOKEN, or token_command in the file");
}
