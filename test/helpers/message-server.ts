// A message server with the flaws teams ship, one at a time, for `server check` to catch. It is built on
// wxconf's own crypto (the example server in examples/server/ is the correct one, written on its own).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decrypt, encrypt, signature } from "../../src/server/crypto.js";
import { buildXml, parseXml, text } from "../../src/server/xml.js";

export interface Flaws {
  /** The server was configured with another Token. */
  wrongToken?: boolean;
  /** The GET answers the echostr without checking the signature. */
  echoWithoutCheck?: boolean;
  /** Pushes are processed without checking the signatures. */
  processForged?: boolean;
  /** The handler of this key takes 5.5 s. */
  slowKey?: string;
  /** The handler of this key fails with 500. */
  failingKey?: string;
  /** The handler of this key answers broken XML. */
  malformedKey?: string;
  /** XML replies stay plain even for encrypted pushes. */
  plainReplies?: boolean;
  /** Replies keep the users as they came (To = the account). */
  usersNotSwapped?: boolean;
  /** Encrypted replies carry a wrong MsgSignature. */
  badReplySignature?: boolean;
}

export interface MessageServer {
  url: string;
  close(): Promise<void>;
}

export async function startMessageServer(keys: { token: string; encodingAesKey: string; appId: string }, flaws: Flaws = {}): Promise<MessageServer> {
  const token = flaws.wrongToken ? `${keys.token}-other` : keys.token;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((request, response) => {
    const q = Object.fromEntries(new URL(request.url ?? "/", "http://x").searchParams);
    const signed = q.signature === signature(token, q.timestamp ?? "", q.nonce ?? "");
    if (request.method === "GET") {
      if (!signed && !flaws.echoWithoutCheck) {
        response.writeHead(403);
        return response.end();
      }
      return response.end(q.echostr ?? "");
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = parseXml(Buffer.concat(chunks).toString()) ?? {};
      const encrypted = q.encrypt_type === "aes" ? text(body.Encrypt) : undefined;
      const validSignatures = signed && (encrypted === undefined || q.msg_signature === signature(token, q.timestamp ?? "", q.nonce ?? "", encrypted));
      if (!validSignatures && !flaws.processForged) {
        response.writeHead(403);
        return response.end();
      }
      const message = encrypted === undefined ? body : (parseXml(decrypt(encrypted, keys.encodingAesKey).message) ?? {});
      const key = text(message.EventKey);
      const reply = () => {
        if (key !== undefined && key === flaws.failingKey) {
          response.writeHead(500);
          return response.end("internal error");
        }
        if (key !== undefined && key === flaws.malformedKey) return response.end("<xml><ToUserName>oops");
        const from = text(message.FromUserName) ?? "";
        const to = text(message.ToUserName) ?? "";
        const xml = buildXml({
          ToUserName: flaws.usersNotSwapped ? to : from,
          FromUserName: flaws.usersNotSwapped ? from : to,
          CreateTime: Math.floor(Date.now() / 1000),
          MsgType: "text",
          Content: `got ${key ?? text(message.MsgType) ?? "?"}`,
        });
        if (encrypted === undefined || flaws.plainReplies) return response.end(xml);
        const sealed = encrypt(xml, keys.encodingAesKey, keys.appId);
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = "12345";
        const msgSignature = flaws.badReplySignature ? signature(token, timestamp, "54321", sealed) : signature(token, timestamp, nonce, sealed);
        return response.end(buildXml({ Encrypt: sealed, MsgSignature: msgSignature, TimeStamp: Number(timestamp), Nonce: nonce }));
      };
      if (key !== undefined && key === flaws.slowKey) {
        const timer = setTimeout(reply, 5_500);
        timers.add(timer);
      } else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wechat`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
