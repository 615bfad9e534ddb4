// A minimal LSP client over stdio, enough to open a document in yaml-language-server and ask it things.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./cli.js";

type Message = { id?: number; method?: string; params?: unknown; result?: unknown };

export class YamlLanguageServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private readonly listeners: Array<(message: Message) => void> = [];

  constructor(private readonly settings: object) {
    this.child = spawn(process.execPath, [join(ROOT, "node_modules", "yaml-language-server", "bin", "yaml-language-server"), "--stdio"], { stdio: "pipe" });
    this.child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.handle(message);
    }
  }

  private handle(message: Message): void {
    if (message.method !== undefined && message.id !== undefined) {
      // A request from the server: settings when it asks for them, nothing otherwise.
      const result = message.method === "workspace/configuration" ? ((message.params as { items?: unknown[] }).items ?? []).map(() => this.settings) : null;
      this.send({ id: message.id, result });
      return;
    }
    if (message.id !== undefined) {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
      return;
    }
    for (const listener of this.listeners) listener(message);
  }

  request(method: string, params: object): Promise<unknown> {
    const id = this.nextId++;
    this.send({ id, method, params });
    return new Promise((resolve) => this.pending.set(id, resolve));
  }

  notify(method: string, params: object): void {
    this.send({ method, params });
  }

  /** The first notification `method` whose params pass `accept`. */
  waitFor<T>(method: string, accept: (params: T) => boolean): Promise<T> {
    return new Promise((resolve) => {
      const listener = (message: Message) => {
        if (message.method === method && accept(message.params as T)) {
          this.listeners.splice(this.listeners.indexOf(listener), 1);
          resolve(message.params as T);
        }
      };
      this.listeners.push(listener);
    });
  }

  async start(rootUri: string): Promise<void> {
    await this.request("initialize", {
      processId: process.pid,
      rootUri,
      capabilities: { textDocument: { hover: { contentFormat: ["markdown", "plaintext"] } }, workspace: { configuration: true } },
    });
    this.notify("initialized", {});
    this.notify("workspace/didChangeConfiguration", { settings: this.settings });
  }

  stop(): void {
    this.child.kill();
  }
}
