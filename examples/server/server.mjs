// A small, correct WeChat message server for an Official Account: Node only, no framework. It answers the
// URL verification, checks every push's signature (and msg_signature), decrypts and encrypts in compatible
// and safe modes, and replies within WeChat's 5 seconds. `wxconf server check` passes against it in all
// three modes; the demo starts it.
//
//   WXCONF_SERVER_TOKEN=... WXCONF_SERVER_AES_KEY=... WXCONF_APP_ID=wx... PORT=8080 node examples/server/server.mjs
//
// Your own logic goes in `onMessage`: return a reply (text for now) or nothing ('success').
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

const sha1 = (...parts) => createHash("sha1").update(parts.sort().join("")).digest("hex");
const field = (xml, name) => {
  const match = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
  return match ? (match[1] ?? match[2]) : undefined;
};
const cdata = (text) => `<![CDATA[${String(text).split("]]>").join("]]]]><![CDATA[>")}]]>`;

function aes(encodingAesKey) {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  return { key, iv: key.subarray(0, 16) };
}

function decrypt(encrypted, encodingAesKey, appId) {
  const { key, iv } = aes(encodingAesKey);
  const decipher = createDecipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
  const content = plain.subarray(16, plain.length - plain[plain.length - 1]);
  const length = content.readUInt32BE(0);
  if (content.subarray(4 + length).toString() !== appId) throw new Error("the message is for another app id");
  return content.subarray(4, 4 + length).toString();
}

function encrypt(message, encodingAesKey, appId) {
  const { key, iv } = aes(encodingAesKey);
  const body = Buffer.from(message);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(appId)]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString("base64");
}

/** The example's logic: a text reply to messages and click events, 'success' to everything else. */
export function defaultOnMessage(message) {
  if (field(message, "MsgType") === "text") return `You said: ${field(message, "Content")}`;
  if (field(message, "Event") === "CLICK") return `You clicked ${field(message, "EventKey")}`;
  return undefined;
}

export function createMessageServer({ token, encodingAesKey, appId, onMessage = defaultOnMessage }) {
  return createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const q = Object.fromEntries(url.searchParams);
    const refuse = () => {
      response.writeHead(403);
      response.end("invalid signature");
    };
    if (q.signature !== sha1(token, q.timestamp ?? "", q.nonce ?? "")) return refuse();
    // URL verification: the same in every mode, the echostr as it is.
    if (request.method === "GET") return response.end(q.echostr ?? "");
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      const encrypted = q.encrypt_type === "aes" ? field(body, "Encrypt") : undefined;
      let message = body;
      if (encrypted !== undefined) {
        if (q.msg_signature !== sha1(token, q.timestamp ?? "", q.nonce ?? "", encrypted)) return refuse();
        try {
          message = decrypt(encrypted, encodingAesKey, appId);
        } catch {
          return refuse();
        }
      }
      const text = onMessage(message);
      if (text === undefined) return response.end("success");
      const reply = `<xml><ToUserName>${cdata(field(message, "FromUserName"))}</ToUserName><FromUserName>${cdata(field(message, "ToUserName"))}</FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata("text")}</MsgType><Content>${cdata(text)}</Content></xml>`;
      if (encrypted === undefined) return response.end(reply);
      // Encrypted push, encrypted reply, signed with its own timestamp and nonce.
      const sealed = encrypt(reply, encodingAesKey, appId);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = String(Math.floor(Math.random() * 1e9));
      response.end(
        `<xml><Encrypt>${cdata(sealed)}</Encrypt><MsgSignature>${cdata(sha1(token, timestamp, nonce, sealed))}</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`,
      );
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { WXCONF_SERVER_TOKEN: token, WXCONF_SERVER_AES_KEY: encodingAesKey, WXCONF_APP_ID: appId, PORT = "8080" } = process.env;
  if (!token || !appId) throw new Error("set WXCONF_SERVER_TOKEN and WXCONF_APP_ID (and WXCONF_SERVER_AES_KEY for compatible and safe modes)");
  // PORT=0 takes a free port; the line says which.
  const server = createMessageServer({ token, encodingAesKey, appId });
  server.listen(Number(PORT), "127.0.0.1", () => console.log(`message server on http://127.0.0.1:${server.address().port}/wechat`));
}
