import { errcodeInfo } from "./errcodes.js";
import { redact } from "../secrets.js";

/** WeChat answered with a non-zero errcode that wxconf does not retry (or retried in vain). */
export class WeChatError extends Error {
  readonly meaning: string | undefined;
  readonly hint: string | undefined;
  /** WeChat's message, with any token or secret it might echo masked. */
  readonly errmsg: string;

  constructor(
    readonly api: string,
    readonly errcode: number,
    errmsg: string,
  ) {
    const known = errcodeInfo(errcode);
    const message = redact(errmsg);
    super(`${api} failed with errcode ${errcode}: ${message || "(no message)"}${known ? ` (${known.meaning})` : ""}`);
    this.errmsg = message;
    this.name = "WeChatError";
    this.meaning = known?.meaning;
    this.hint = known?.hint?.(errmsg);
  }
}

/**
 * A write was sent but its answer was lost (timeout, reset): WeChat may or may not have applied it.
 * Repeating it blindly could create a duplicate; the caller must re-read the account and decide.
 */
export class WriteOutcomeUnknownError extends Error {
  constructor(
    readonly api: string,
    readonly reason: string,
  ) {
    super(`${api}: the request was sent but its answer was lost (${reason}); WeChat may or may not have applied it`);
    this.name = "WriteOutcomeUnknownError";
  }
}

/** WeChat could not be reached, or kept failing, after the bounded retries. */
export class NetworkError extends Error {
  constructor(
    readonly api: string,
    readonly reason: string,
    readonly attempts: number,
    readonly hint?: string,
  ) {
    super(`${api}: ${reason} (after ${attempts} attempt${attempts === 1 ? "" : "s"})`);
    this.name = "NetworkError";
  }
}

/**
 * An answer wxconf will not use: a redirect, an answer too large, or one without the fields the call must
 * return (a read without its list would look like an empty account, and apply would create duplicates).
 */
export class UnexpectedAnswerError extends Error {
  constructor(
    readonly api: string,
    readonly reason: string,
    readonly hint: string,
  ) {
    super(`unexpected answer from ${api}: ${reason}`);
    this.name = "UnexpectedAnswerError";
  }
}

/** No usable credentials, or the token command failed. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialsError";
  }
}

/** A setting that cannot work, found before any call (an http:// API base that is not loopback...). */
export class ClientConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClientConfigError";
  }
}
