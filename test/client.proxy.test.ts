// HTTPS_PROXY / HTTP_PROXY / NO_PROXY choose the dispatcher's route: checked over real HTTP with a real
// forward proxy on 127.0.0.1 in front of the emulator.
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/emulator/server.js";
import { readClientFor } from "./helpers/client.js";

let emulator: Emulator;
let proxy: Server;
let proxyUrl: string;
let proxied: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  proxy = createServer((incoming, outgoing) => {
    // A forward proxy receives absolute URLs.
    proxied.push(`${incoming.method} ${incoming.url}`);
    const upstream = httpRequest(incoming.url ?? "", { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(upstream);
  });
  proxy.on("connect", (incoming, socket, head) => {
    proxied.push(`CONNECT ${incoming.url}`);
    const [host, port] = (incoming.url ?? "").split(":");
    const upstream = connect(Number(port), host ?? "127.0.0.1", () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await emulator.close();
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
});

describe("the proxy dispatcher, from the environment", () => {
  it("sends every call through HTTP_PROXY", async () => {
    proxied = [];
    const client = readClientFor(emulator, { env: { WXCONF_RETRY_BASE_MS: "1", HTTP_PROXY: proxyUrl } });
    await client.read.getTags();
    await client.close();
    const host = new URL(emulator.url).host;
    expect(proxied.length).toBeGreaterThanOrEqual(1);
    expect(proxied.every((line) => line.includes(host))).toBe(true);
  });

  it("goes direct for hosts in NO_PROXY", async () => {
    proxied = [];
    const client = readClientFor(emulator, { env: { WXCONF_RETRY_BASE_MS: "1", HTTP_PROXY: proxyUrl, NO_PROXY: "127.0.0.1" } });
    await client.read.getTags();
    await client.close();
    expect(proxied).toEqual([]);
  });

  it("goes direct without a proxy setting, or with an empty one", async () => {
    proxied = [];
    const client = readClientFor(emulator, { env: { WXCONF_RETRY_BASE_MS: "1", HTTP_PROXY: "", HTTPS_PROXY: "" } });
    await client.read.getTags();
    await client.close();
    expect(proxied).toEqual([]);
  });
});
