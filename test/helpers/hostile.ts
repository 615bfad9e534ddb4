// A local server that misbehaves on purpose: each path answers as the test says (redirects, answers
// without their lists, trickling or endless bodies). Every request is recorded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface HostileServer {
  url: string;
  host: string;
  /** The paths requested, in order. */
  requests: string[];
  /** The full URLs requested (path and query), in order. */
  urls: string[];
  close(): Promise<void>;
}

export const json =
  (body: unknown): Route =>
  (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };

/** Answers that make a plan of an empty account work: a token, and every read with its list. */
export const WECHAT_DEFAULTS: Record<string, Route> = {
  "/cgi-bin/stable_token": json({ access_token: "hostile-token-0123456789", expires_in: 7200 }),
  "/cgi-bin/menu/get": json({ errcode: 46003, errmsg: "menu no exist" }),
  "/cgi-bin/tags/get": json({ tags: [] }),
  "/cgi-bin/template/get_all_private_template": json({ template_list: [] }),
  "/cgi-bin/template/get_industry": json({}),
  "/cgi-bin/get_current_selfmenu_info": json({ is_menu_open: 0 }),
  "/wxaapi/newtmpl/gettemplate": json({ errcode: 0, errmsg: "ok", data: [] }),
  "/wxaapi/newtmpl/getcategory": json({ errcode: 0, errmsg: "ok", data: [] }),
};

export async function startHostile(routes: Record<string, Route>): Promise<HostileServer> {
  const requests: string[] = [];
  const urls: string[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    requests.push(path);
    urls.push(request.url ?? "");
    request.resume();
    const route = routes[path];
    if (route) route(request, response);
    else {
      response.writeHead(404);
      response.end();
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    urls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Headers at once, then one byte every `everyMs`, for at most `bytes` bytes: an answer that never quite arrives. */
export const trickle =
  (everyMs: number, bytes: number): Route =>
  (request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.write("{");
    let sent = 1;
    const timer = setInterval(() => {
      if (sent++ >= bytes || response.destroyed) {
        clearInterval(timer);
        response.end("}");
        return;
      }
      response.write(" ");
    }, everyMs);
    request.socket.on("close", () => clearInterval(timer));
  };

/** A body that goes on until the client hangs up, or `maxBytes` have been sent. */
export const endless =
  (maxBytes: number): Route =>
  (request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(1 << 20, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < maxBytes && !response.destroyed) {
        sent += chunk.length;
        if (!response.write(chunk)) return void response.once("drain", pump);
      }
      response.end();
    };
    request.socket.on("close", () => (sent = maxBytes));
    pump();
  };
