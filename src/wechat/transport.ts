import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve as resolvePath } from "node:path";
import type { JsonObject } from "../json.js";
import { isJsonObject, sha256 } from "../json.js";
import type { Endpoint } from "./endpoints.js";
import { NetworkError, UnexpectedAnswerError, WriteOutcomeUnknownError } from "./errors.js";
import { redact } from "../secrets.js";
import { AnswerTooLarge, type Wire, type WireAnswer } from "./wire.js";

export interface RetryPolicy {
  /** The unit of every wait: backoff is base × 2^n; after 45011 (minute quota) the wait is 60 × base. */
  baseMs: number;
  maxAttempts: number;
  /** No retry starts once this much time has passed since the first attempt. */
  maxTotalMs: number;
}

/** $WXCONF_RETRY_BASE_MS scales every wait, so tests and impatient users can shorten them. */
export function retryPolicyFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): RetryPolicy {
  const configured = Number(env.WXCONF_RETRY_BASE_MS);
  const baseMs = Number.isFinite(configured) && configured >= 0 ? configured : 1_000;
  return { baseMs, maxAttempts: 5, maxTotalMs: 180 * baseMs };
}

export interface RetryEvent {
  api: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface TransportOptions {
  apiBase: URL;
  /** HTTP itself: direct, or through the proxy the environment names. */
  wire: Wire;
  /** The deadline of one attempt, headers and body together (a trickling answer cannot outlast it). */
  deadlineMs: number;
  /** The most bytes an answer may have; a larger one is refused while it streams. */
  maxAnswerBytes: number;
  retry: RetryPolicy;
  /** Requests in flight at once; the rest wait their turn. */
  maxInFlight?: number;
  onRetry?: (event: RetryEvent) => void;
  /** Receives one line per request and answer, already redacted. */
  debug?: (line: string) => void;
  /** Where the files of multipart bodies are (the configuration file's folder). */
  filesDir?: string;
  random?: () => number;
}

/** Connection failures that happen before a request is sent: repeating it cannot duplicate a write. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
/** Nobody listens there: a couple of quick retries cover a server that is starting, more only make the user wait. */
const REFUSED_ATTEMPTS = 3;
const REFUSED_HINT = "is the emulator running? is --api-base or $WXCONF_API_BASE right? (and HTTPS_PROXY / NO_PROXY, if set)";

type Failure = { sent: boolean; reason: string; code?: string };
type Wait = "backoff" | "minute";

/**
 * One HTTP exchange with WeChat per attempt, with the bounded retries that do not depend on what was
 * asked: system busy (-1), minute quota (45011) and network failures of reads. A write whose answer was
 * lost is never repeated here: it surfaces as WriteOutcomeUnknownError.
 */
export class Transport {
  readonly stats = { requests: 0, writes: 0 };
  private inFlight = 0;
  /** The requests in flight, to abort them all (after an interrupt). */
  private readonly controllers = new Set<AbortController>();
  /** No request starts before this time (after 45011, the minute quota). */
  private quietUntil = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: TransportOptions) {}

  async send(endpoint: Endpoint, request: { token?: string; query?: Readonly<Record<string, string>>; body?: JsonObject } = {}): Promise<JsonObject> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let wait: Wait;
      let reason: string;
      try {
        const answer = await this.exchange(endpoint, request, attempt);
        const errcode = Number(answer.errcode ?? 0);
        if (errcode === -1 && endpoint.creates) {
          // Busy, but the create may have taken effect: the caller re-reads before anything is sent again.
          throw new WriteOutcomeUnknownError(endpoint.path, "WeChat answered -1 (system busy), which does not say whether the create took effect");
        }
        if (errcode === -1) [wait, reason] = ["backoff", "errcode -1 (system busy)"];
        else if (errcode === 45011) [wait, reason] = ["minute", "errcode 45011 (minute quota)"];
        else return answer;
        const delayMs = this.delayFor(wait, attempt);
        if (!this.mayRetry(attempt, started, delayMs)) return answer;
        // The minute quota is the account's, not this call's: every request waits it out.
        if (wait === "minute") this.quietUntil = Math.max(this.quietUntil, Date.now() + delayMs);
        await this.pause(endpoint, attempt, delayMs, reason);
      } catch (error) {
        if (!(error instanceof HttpFailure)) throw error;
        const { failure } = error;
        if (endpoint.write && failure.sent) throw new WriteOutcomeUnknownError(endpoint.path, failure.reason);
        const refused = failure.code === "ECONNREFUSED";
        const delayMs = this.delayFor("backoff", attempt);
        if (!this.mayRetry(attempt, started, delayMs) || (refused && attempt >= REFUSED_ATTEMPTS)) {
          throw new NetworkError(endpoint.path, failure.reason, attempt, refused ? REFUSED_HINT : undefined);
        }
        await this.pause(endpoint, attempt, delayMs, failure.reason);
      }
    }
  }

  private delayFor(wait: Wait, attempt: number): number {
    const random = this.options.random ?? Math.random;
    const { baseMs } = this.options.retry;
    if (wait === "minute") return Math.round(60 * baseMs * (1 + 0.2 * random()));
    const ceiling = baseMs * 2 ** (attempt - 1);
    return Math.round(ceiling * (0.5 + 0.5 * random()));
  }

  private mayRetry(attempt: number, started: number, delayMs: number): boolean {
    const { maxAttempts, maxTotalMs } = this.options.retry;
    return attempt < maxAttempts && Date.now() - started + delayMs <= maxTotalMs;
  }

  private async pause(endpoint: Endpoint, attempt: number, delayMs: number, reason: string): Promise<void> {
    this.options.onRetry?.({ api: endpoint.path, attempt, delayMs, reason });
    this.options.debug?.(`   retry ${endpoint.path} in ${delayMs} ms: ${reason}`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }

  private async exchange(
    endpoint: Endpoint,
    request: { token?: string; query?: Readonly<Record<string, string>>; body?: JsonObject },
    attempt: number,
  ): Promise<JsonObject> {
    const url = new URL(endpoint.path, this.options.apiBase);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    if (request.token !== undefined) url.searchParams.set("access_token", request.token);
    // JSON.stringify keeps non-ASCII characters as they are: WeChat rejects \uXXXX escapes (40033).
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    // Read (and checked against the plan's digest) before the request starts: a changed file is never sent.
    const form = endpoint.multipart && request.body ? multipartOf(request.body, this.options.filesDir ?? ".") : undefined;
    await this.acquire();
    const begun = Date.now();
    this.stats.requests++;
    if (endpoint.write) this.stats.writes++;
    this.options.debug?.(redact(`-> ${endpoint.method} ${url.pathname}${url.search} #${attempt}${payload ? ` ${truncate(payload)}` : ""}`));
    const deadline = new AbortController();
    this.controllers.add(deadline);
    const timer = setTimeout(() => deadline.abort(), this.options.deadlineMs);
    try {
      const overdue = () => `no complete answer within ${this.options.deadlineMs} ms ($WXCONF_TIMEOUT_MS)`;
      let response: WireAnswer;
      try {
        response = await this.options.wire.send({
          method: endpoint.method,
          url,
          headers: form ? { "content-type": form.contentType } : payload ? { "content-type": "application/json; charset=utf-8" } : {},
          body: form?.body ?? (payload === undefined ? undefined : Buffer.from(payload, "utf8")),
          signal: deadline.signal,
        });
      } catch (error) {
        throw new HttpFailure(deadline.signal.aborted ? { sent: true, reason: overdue() } : describeWireError(error));
      }
      if (response.status >= 300 && response.status < 400) {
        response.discard();
        throw new UnexpectedAnswerError(
          endpoint.path,
          `redirect refused: HTTP ${response.status} to ${redirectHost(response.header("location"), url)}; wxconf follows no redirect, so nothing was sent there`,
          REDIRECT_HINT,
        );
      }
      let bytes: Buffer;
      try {
        bytes = await response.read(this.options.maxAnswerBytes);
      } catch (error) {
        if (error instanceof AnswerTooLarge) {
          const reason = `the answer is larger than ${this.options.maxAnswerBytes} bytes, the most wxconf reads`;
          if (endpoint.write) throw new WriteOutcomeUnknownError(endpoint.path, reason);
          throw new UnexpectedAnswerError(endpoint.path, reason, "is --api-base or $WXCONF_API_BASE a WeChat API?");
        }
        throw new HttpFailure({ sent: true, reason: deadline.signal.aborted ? overdue() : `the answer was cut off: ${describeWireError(error).reason}` });
      }
      const contentType = response.header("content-type") ?? "";
      // get_material answers an image with its bytes; everything else (errors included) is JSON.
      const binary = endpoint.binaryAnswer === true && response.status === 200 && !/json|text/i.test(contentType);
      const text = binary ? "" : bytes.toString("utf8");
      this.options.debug?.(
        redact(`<- ${response.status} ${url.pathname} in ${Date.now() - begun} ms ${binary ? `${bytes.length} bytes of ${contentType}` : truncate(text)}`),
      );
      if (response.status >= 500) throw new HttpFailure({ sent: true, reason: `HTTP ${response.status} from ${url.host}` });
      if (response.status >= 400) throw new NetworkError(endpoint.path, `HTTP ${response.status} from ${url.host}: is the API base right?`, attempt);
      if (binary) return { content_base64: bytes.toString("base64"), content_type: contentType };
      return parseAnswer(text, endpoint.path);
    } finally {
      clearTimeout(timer);
      this.controllers.delete(deadline);
      this.release();
    }
  }

  /** Aborts every request in flight: their writes' outcomes are unknown, and nobody waits for them. */
  abortAll(): void {
    for (const controller of this.controllers) controller.abort();
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < (this.options.maxInFlight ?? 8)) this.inFlight++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    for (let wait = this.quietUntil - Date.now(); wait > 0; wait = this.quietUntil - Date.now()) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

class HttpFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.reason);
  }
}

function describeWireError(error: unknown): Failure {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = cause?.code ?? (error as { code?: string } | undefined)?.code;
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return { sent: !(code && NOT_SENT.has(code)), reason: redact(code ? `${code}: ${message}` : message), ...(code && { code }) };
}

const REDIRECT_HINT = "point --api-base or $WXCONF_API_BASE at the API itself (https://api.weixin.qq.com), not at a gateway or login page that redirects";

/** The host a redirect points to, for the message; the Location itself may carry the token. */
function redirectHost(location: string | undefined, from: URL): string {
  if (!location) return "no Location";
  try {
    return new URL(location, from).host;
  } catch {
    return "an unreadable Location";
  }
}

function parseAnswer(text: string, api: string): JsonObject {
  const hint = "is --api-base or $WXCONF_API_BASE a WeChat API? a proxy or gateway may be answering instead";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UnexpectedAnswerError(api, `it is not JSON: ${truncate(redact(text), 120)}`, hint);
  }
  if (!isJsonObject(parsed)) throw new UnexpectedAnswerError(api, "it is not a JSON object", hint);
  return parsed;
}

function truncate(text: string, limit = 400): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}

/**
 * A multipart/form-data body: a field `{file, filename, sha256, content_type}` becomes that file's bytes,
 * refused when they no longer have the digest the plan was made with; other fields are sent as text (JSON
 * for objects). Names are escaped as browsers do (CR, LF and " percent-encoded).
 */
function multipartOf(body: JsonObject, filesDir: string): { contentType: string; body: Buffer } {
  const boundary = `----wxconf-${randomUUID()}`;
  const quoted = (text: string) => `"${text.replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/"/g, "%22")}"`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(body)) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}`;
    let content: Buffer;
    if (isJsonObject(value) && typeof value.file === "string") {
      content = uploadedFile(value, filesDir);
      head += `; filename=${quoted(String(value.filename ?? value.file))}\r\nContent-Type: ${String(value.content_type ?? "application/octet-stream")}`;
    } else content = Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8");
    parts.push(Buffer.from(`${head}\r\n\r\n`, "utf8"), content, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

/** The bytes of an upload: a file inside the folder, with the digest the plan was made with. */
function uploadedFile(value: JsonObject, filesDir: string): Buffer {
  const file = String(value.file);
  const path = resolvePath(filesDir, file);
  if (isAbsolute(file) || relative(filesDir, path).startsWith(".."))
    throw new Error(`${file} is outside the configuration file's folder: wxconf uploads only files inside it`);
  const bytes = readFileSync(path);
  const digest = `sha256:${sha256(bytes)}`;
  if (digest !== value.sha256) throw new Error(`${file} changed since the plan was made (${digest}, the plan has ${String(value.sha256)}): plan again`);
  return bytes;
}
