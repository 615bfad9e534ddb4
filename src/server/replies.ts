// Whether a message server's answer is one WeChat accepts (../shared/message-server.md §6): `success`, an
// empty body, or a reply XML with the users swapped and its type's fields; in safe mode an XML reply is
// encrypted, signed with its own TimeStamp and Nonce, and decrypts with the key and the account's app id.
import type { ServerMode } from "../config/server.js";
import { decrypt, signature } from "./crypto.js";
import { ACCOUNT_ID, FOLLOWER, type Keys } from "./pushes.js";
import { parseXml, text, type XmlFields, type XmlValue } from "./xml.js";

export type ReplyVerdict = { ok: true; kind: "success" | "empty" | "xml"; msgType?: string } | { ok: false; problem: string; wechat: string };

const DROPPED = "followers see '该公众号暂时无法提供服务，请稍后再试'";

/** The fields each reply type needs (a path under the reply's root, `/` between levels). */
const REQUIRED: Record<string, readonly string[]> = {
  text: ["Content"],
  image: ["Image/MediaId"],
  voice: ["Voice/MediaId"],
  video: ["Video/MediaId"],
  music: ["Music/ThumbMediaId"],
  news: ["ArticleCount", "Articles/item"],
  transfer_customer_service: [],
};

const at = (fields: XmlFields, path: string): XmlValue | undefined =>
  path.split("/").reduce<XmlValue | undefined>((node, part) => (node && typeof node === "object" && !Array.isArray(node) ? node[part] : undefined), fields);

export function checkReply(status: number, body: string, mode: ServerMode, keys: Keys): ReplyVerdict {
  if (status !== 200) return { ok: false, problem: `HTTP ${status}`, wechat: `WeChat counts it as no answer: it retries, then ${DROPPED}` };
  if (body === "") return { ok: true, kind: "empty" };
  if (body === "success") return { ok: true, kind: "success" };
  const fields = parseXml(body);
  if (!fields) return { ok: false, problem: `the answer is not 'success', empty or a reply XML: ${JSON.stringify(body.slice(0, 80))}`, wechat: DROPPED };
  const encrypted = text(fields.Encrypt);
  if (encrypted === undefined) {
    if (mode === "safe") return { ok: false, problem: "a plain reply XML in safe mode", wechat: `WeChat cannot read it: ${DROPPED}` };
    return checkReplyFields(fields);
  }
  if (mode === "plain") return { ok: false, problem: "an encrypted reply in plain mode", wechat: DROPPED };
  const timestamp = text(fields.TimeStamp) ?? "";
  const nonce = text(fields.Nonce) ?? "";
  if (text(fields.MsgSignature) !== signature(keys.token, timestamp, nonce, encrypted)) {
    return {
      ok: false,
      problem: "the encrypted reply's MsgSignature does not verify with its own TimeStamp and Nonce",
      wechat: `WeChat refuses it: ${DROPPED}`,
    };
  }
  let opened: { message: string; appId: string };
  try {
    opened = decrypt(encrypted, keys.encodingAesKey ?? "");
  } catch (error) {
    return { ok: false, problem: `the encrypted reply does not decrypt: ${(error as Error).message}`, wechat: DROPPED };
  }
  if (opened.appId !== keys.appId) return { ok: false, problem: `the encrypted reply carries app id ${opened.appId}, not ${keys.appId}`, wechat: DROPPED };
  const inner = parseXml(opened.message);
  if (!inner) return { ok: false, problem: "the encrypted reply decrypts to something that is not a reply XML", wechat: DROPPED };
  return checkReplyFields(inner);
}

function checkReplyFields(fields: XmlFields): ReplyVerdict {
  const problems: string[] = [];
  if (text(fields.ToUserName) !== FOLLOWER)
    problems.push(`ToUserName is ${JSON.stringify(text(fields.ToUserName) ?? null)}, not the follower (the push's FromUserName)`);
  if (text(fields.FromUserName) !== ACCOUNT_ID)
    problems.push(`FromUserName is ${JSON.stringify(text(fields.FromUserName) ?? null)}, not the account (the push's ToUserName)`);
  if (!/^\d+$/.test(text(fields.CreateTime) ?? "")) problems.push("CreateTime is not a whole number of seconds");
  const msgType = text(fields.MsgType) ?? "";
  const required = REQUIRED[msgType];
  if (!required) problems.push(`MsgType ${JSON.stringify(msgType)} is not one WeChat accepts (${Object.keys(REQUIRED).join(", ")})`);
  for (const path of required ?? []) if (at(fields, path) === undefined) problems.push(`a ${msgType} reply needs ${path}`);
  if (problems.length > 0) return { ok: false, problem: problems.join("; "), wechat: DROPPED };
  return { ok: true, kind: "xml", msgType };
}

/** A reply XML (not `success` or empty): what a forged push must never get. */
export function isReplyXml(status: number, body: string): boolean {
  return status >= 200 && status < 300 && body !== "" && body !== "success" && parseXml(body) !== undefined;
}
