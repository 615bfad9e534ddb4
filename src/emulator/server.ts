import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isJsonObject, type JsonObject } from "../json.js";
import { endpointByPath, type Endpoint } from "../wechat/endpoints.js";
import { Account, type EmulatorSeed } from "./account.js";
import { ApiFailure, withRid, type Handler } from "./api/common.js";
import { BINARY_ANSWER, materialHandlers } from "./api/material.js";
import { parseMultipart } from "./multipart.js";
import { menuHandlers } from "./api/menu.js";
import { tagHandlers } from "./api/tags.js";
import { quotaHandlers, templateHandlers } from "./api/templates.js";
import { subscriptionHandlers } from "./api/subscriptions.js";
import { tokenHandlers } from "./api/tokens.js";
import { Faults, seededRandom, type FaultKind, type FaultOptions, type FaultRule } from "./faults.js";

export interface EmulatorOptions {
  state?: EmulatorSeed;
  /** Added to every answer, to measure round trips. */
  latencyMs?: number;
  /** A random extra delay of up to this much per answer (seeded), to shuffle concurrent answers. */
  jitterMs?: number;
  faults?: FaultOptions;
  seed?: number;
  /** 0 (the default) picks a free port. */
  port?: number;
  tokenTtlSeconds?: number;
  /** One line per call, for people watching `wxconf emulator`. */
  log?: (line: string) => void;
}

export interface CallRecord {
  seq: number;
  /** The account the call was for, once known. */
  app_id?: string;
  method: string;
  path: string;
  write: boolean;
  /** WeChat's errcode in the answer; null when no answer was sent. */
  errcode: number | null;
  fault?: FaultKind;
  /** A write that changed the account (errcode 0), answered or not. */
  applied: boolean;
  /** When the request arrived (ms since the emulator started) and when its answer left (or was dropped). */
  receivedMs: number;
  answeredMs?: number;
}

export interface CallLog {
  total: number;
  writes: number;
  appliedWrites: number;
  byPath: Record<string, number>;
  writesByPath: Record<string, number>;
  calls: CallRecord[];
}

export interface Emulator {
  url: string;
  appId: string;
  appSecret: string;
  /** The account itself: tests and the demo change it directly, as a person would in the MP console. */
  account: Account;
  /** Every account it serves (a state file's `accounts:`); the first is `account`. */
  accounts: Account[];
  faults: Faults;
  calls(): CallLog;
  resetCalls(): void;
  injectFault(rule: FaultRule): void;
  close(): Promise<void>;
}

const HANDLERS: Record<string, Handler> = {
  ...tokenHandlers,
  ...menuHandlers,
  ...tagHandlers,
  ...templateHandlers,
  ...quotaHandlers,
  ...subscriptionHandlers,
  ...materialHandlers,
};

/** APIs only verified accounts may call (48001 otherwise). */
const VERIFIED_ONLY = /^\/(cgi-bin\/(tags\/|user\/tag\/|template\/|menu\/(addconditional|delconditional|trymatch))|wxaapi\/newtmpl\/|cgi-bin\/freepublish\/)/;

/** Bodies that are not JSON get these codes on these paths (wechat-api.md §2.5, §4.1); 47001 elsewhere. */
const NOT_JSON_CODES: Record<string, number> = { "/cgi-bin/menu/delconditional": 65301, "/cgi-bin/template/api_set_industry": 40103 };

const delay = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const ttlMs = (options.tokenTtlSeconds ?? 7200) * 1000;
  const seeds = options.state?.accounts ?? [options.state ?? {}];
  const accounts = seeds.map((seed) => new Account(seed, ttlMs));
  const account = accounts[0] as Account;
  const faults = new Faults(options.faults, options.seed ?? 1);
  const jitter = seededRandom((options.seed ?? 1) + 7919);
  const startedAt = performance.now();
  const now = () => Math.round((performance.now() - startedAt) * 10) / 10;
  let records: CallRecord[] = [];

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { errcode: -1, errmsg: `emulator error: ${String(error)}` });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedMs = now();
    const url = new URL(request.url ?? "/", "http://emulator");
    if (url.pathname.startsWith("/__emulator/")) return control(url.pathname, request, response);
    const endpoint = endpointByPath(url.pathname);
    const handler = HANDLERS[url.pathname];
    const raw = await readBody(request);
    if (!endpoint || !handler) {
      send(response, 404, { errcode: 40066, errmsg: withRid(`invalid url: the emulator does not serve ${url.pathname}`) });
      return;
    }
    const record: CallRecord = {
      seq: records.length + 1,
      method: request.method ?? "GET",
      path: url.pathname,
      write: endpoint.write,
      errcode: null,
      applied: false,
      receivedMs,
    };
    records.push(record);
    const fault = faults.next(url.pathname, endpoint.write);
    if (fault) record.fault = fault;

    if (fault === "drop") {
      record.answeredMs = now();
      options.log?.(`${record.method} ${record.path} -> (connection dropped)`);
      request.socket.destroy();
      return;
    }
    const busy = { errcode: -1, errmsg: withRid("system error") };
    const answer =
      fault === "busy"
        ? busy
        : fault === "minute_quota"
          ? { errcode: 45011, errmsg: withRid("api minute-quota reach limit  mustslower  retry next minute") }
          : serve(endpoint, handler, request, url, raw, record);
    record.errcode = Number(answer.errcode ?? 0);
    record.applied = endpoint.write && record.errcode === 0;
    if (fault === "busy_after_write") {
      record.errcode = -1;
      send(response, 200, busy);
      record.answeredMs = now();
      return;
    }
    await delay((options.latencyMs ?? 0) + Math.round((options.jitterMs ?? 0) * jitter()) + (fault === "slow" ? faults.slowMs : 0));
    record.answeredMs = now();
    if (fault === "lost_write") {
      options.log?.(`${record.method} ${record.path} -> errcode ${record.errcode} (answer lost)`);
      request.socket.destroy();
      return;
    }
    options.log?.(`${record.method} ${record.path} -> errcode ${record.errcode}`);
    send(response, 200, answer);
  }

  function serve(endpoint: Endpoint, handler: Handler, request: IncomingMessage, url: URL, raw: Buffer, record: CallRecord): JsonObject {
    try {
      if (endpoint.method === "POST" && request.method !== "POST") throw new ApiFailure(43002, "require POST method");
      const upload = endpoint.multipart ? parseMultipart(request.headers["content-type"], raw) : undefined;
      if (endpoint.multipart && !upload) throw new ApiFailure(41005, "media data missing");
      const body = upload ? upload.fields : parseBody(endpoint.path, raw.toString("utf8"));
      // The account: the token's, or (for the token endpoints) the appid's.
      const account = endpoint.auth ? authorize(url.searchParams.get("access_token")) : accountOf(body.appid ?? url.searchParams.get("appid"));
      record.app_id = account.appId;
      countQuota(account, endpoint.path);
      if (VERIFIED_ONLY.test(endpoint.path) && !account.verified) throw new ApiFailure(48001, "api unauthorized");
      const clientIp = (request.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
      return handler({ account, body, query: url.searchParams, clientIp, files: upload?.files ?? {} });
    } catch (error) {
      if (error instanceof ApiFailure) return { errcode: error.errcode, errmsg: withRid(error.errmsg) };
      throw error;
    }
  }

  function authorize(token: string | null): Account {
    if (!token) throw new ApiFailure(41001, "access_token missing");
    const owner = accounts.find((candidate) => candidate.tokenStatus(token) !== "unknown");
    if (!owner) throw new ApiFailure(40001, "invalid credential, access_token is invalid or not latest");
    if (owner.tokenStatus(token) === "expired") throw new ApiFailure(42001, "access_token expired");
    return owner;
  }

  /** The account an appid names; the first account otherwise (its handler then answers 40013). */
  function accountOf(appid: unknown): Account {
    return accounts.find((candidate) => candidate.appId === appid) ?? account;
  }

  function countQuota(account: Account, path: string): void {
    const used = account.used.get(path) ?? 0;
    if (used >= account.dailyLimit(path)) throw new ApiFailure(45009, "reach max api daily quota limit");
    account.used.set(path, used + 1);
  }

  function parseBody(path: string, raw: string): JsonObject {
    if (raw.trim() === "") return {};
    // WeChat wants raw UTF-8: a \uXXXX escape is refused.
    if (/\\u[0-9a-fA-F]{4}/.test(raw)) throw new ApiFailure(40033, "invalid charset. please check your request, if include \\uxxxx will create fail!");
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new ApiFailure(NOT_JSON_CODES[path] ?? 47001, "data format error");
    }
    if (!isJsonObject(parsed)) throw new ApiFailure(47001, "data format error");
    return parsed;
  }

  function calls(): CallLog {
    const log: CallLog = { total: records.length, writes: 0, appliedWrites: 0, byPath: {}, writesByPath: {}, calls: [...records] };
    for (const record of records) {
      log.byPath[record.path] = (log.byPath[record.path] ?? 0) + 1;
      if (record.write) {
        log.writes++;
        log.writesByPath[record.path] = (log.writesByPath[record.path] ?? 0) + 1;
      }
      if (record.applied) log.appliedWrites++;
    }
    return log;
  }

  async function control(path: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    await readBody(request);
    if (path === "/__emulator/calls" && request.method === "GET") return send(response, 200, calls());
    if (path === "/__emulator/calls/reset" && request.method === "POST") {
      records = [];
      return send(response, 200, { ok: true });
    }
    send(response, 404, { error: `unknown emulator control path ${path}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    appId: account.appId,
    appSecret: account.appSecret,
    account,
    accounts,
    faults,
    calls,
    resetCalls: () => {
      records = [];
    },
    injectFault: (rule) => faults.add(rule),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body: object): void {
  const binary = (body as { [BINARY_ANSWER]?: unknown })[BINARY_ANSWER];
  if (typeof binary === "string") {
    // get_material answers an image with its bytes, as WeChat does.
    const bytes = Buffer.from(binary, "base64");
    response.writeHead(status, { "content-type": String((body as { content_type?: unknown }).content_type), "content-length": bytes.length });
    response.end(bytes);
    return;
  }
  const payload = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(payload) });
  response.end(payload);
}
