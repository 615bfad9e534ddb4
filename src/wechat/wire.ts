// One HTTP exchange on the wire. Direct, with node:http / node:https: Node's fetch would load its own copy
// of undici on the first call (about 20 ms of every plan's start), and fetch adds nothing wxconf uses.
// Through a proxy, with the undici package's request() and EnvHttpProxyAgent, loaded only then.
// Neither follows redirects; the transport decides what a status means.
import type { Agent as HttpAgent, IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import type { HttpTimeouts } from "./http.js";

export interface WireRequest {
  method: "GET" | "POST";
  url: URL;
  headers: Readonly<Record<string, string>>;
  body?: Buffer | undefined;
  /** Aborts the exchange, whether it waits for the answer's head or its body. */
  signal: AbortSignal;
}

export interface WireAnswer {
  status: number;
  header(name: string): string | undefined;
  /** The body's bytes, refused (AnswerTooLarge) as soon as they pass `limit`: an endless answer is not buffered. */
  read(limit: number): Promise<Buffer>;
  /** Drops the body unread. */
  discard(): void;
}

export interface Wire {
  send(request: WireRequest): Promise<WireAnswer>;
  /** Lets the kept-alive connections go. */
  close(): Promise<void>;
  /** Cuts every connection, exchanges in flight included. */
  destroy(): Promise<void>;
}

export class AnswerTooLarge extends Error {}

/** Kept-alive connections idle longer than this are closed before reuse (undici's default; servers close at 5 s and later). */
const IDLE_SOCKET_MS = 4_000;

/** Direct, or through the proxy `proxyAgent` resolves to when the environment names one. */
export function openWire(timeouts: HttpTimeouts, proxyAgent: Promise<Dispatcher> | undefined): Wire {
  return proxyAgent ? proxiedWire(proxyAgent) : directWire(timeouts);
}

function directWire(timeouts: HttpTimeouts): Wire {
  const agents = new Map<string, HttpAgent>();
  const destroyAgents = async () => {
    for (const agent of agents.values()) agent.destroy();
  };
  /** node:https (and with it TLS) loads only for an https base; the emulator is plain http. */
  const moduleFor = async (protocol: string) => (protocol === "https:" ? await import("node:https") : await import("node:http"));
  return {
    async send(request) {
      const http = await moduleFor(request.url.protocol);
      let agent = agents.get(request.url.protocol);
      if (!agent) {
        agent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
        agents.set(request.url.protocol, agent);
      }
      const headers = { ...request.headers, ...(request.body && { "content-length": String(request.body.length) }) };
      return new Promise<WireAnswer>((resolve, reject) => {
        const outgoing = http.request(request.url, { method: request.method, headers, agent, signal: request.signal }, (incoming) =>
          resolve(answerOf(incoming.statusCode ?? 0, (name) => single(incoming.headers[name]), incoming)),
        );
        // Until the head arrives, a failure here is the exchange's; after, the body's reader sees it.
        outgoing.on("error", reject);
        const connectTimer = setTimeout(() => outgoing.destroy(connectTimeout(timeouts.connectMs)), timeouts.connectMs);
        outgoing.on("socket", (socket) => {
          if (!socket.connecting) clearTimeout(connectTimer);
          else socket.once("connect", () => clearTimeout(connectTimer));
        });
        outgoing.on("close", () => clearTimeout(connectTimer));
        outgoing.end(request.body);
      });
    },
    // Node's agents have no graceful close: both drop every socket (close comes when nothing is in flight).
    close: destroyAgents,
    destroy: destroyAgents,
  };
}

/** Like undici's: the connection was never made, so nothing was sent. */
function connectTimeout(ms: number): Error {
  return Object.assign(new Error(`no connection within ${ms} ms`), { code: "UND_ERR_CONNECT_TIMEOUT" });
}

function proxiedWire(proxyAgent: Promise<Dispatcher>): Wire {
  return {
    async send(request) {
      const dispatcher = await proxyAgent;
      const answer = await dispatcher.request({
        origin: request.url.origin,
        path: `${request.url.pathname}${request.url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: request.signal,
      });
      return answerOf(answer.statusCode, (name) => single(answer.headers[name]), answer.body);
    },
    async close() {
      await (await proxyAgent).close();
    },
    async destroy() {
      await (await proxyAgent).destroy();
    },
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function answerOf(status: number, header: (name: string) => string | undefined, body: Readable | IncomingMessage): WireAnswer {
  return {
    status,
    header,
    async read(limit) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) {
          body.destroy();
          throw new AnswerTooLarge();
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    },
    discard() {
      body.destroy();
    },
  };
}
