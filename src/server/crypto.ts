// WeChat's message encryption (WXBizMsgCrypt) and push signatures, with node:crypto
// (../shared/message-server.md §2-§4): AES-256-CBC, key = base64(EncodingAESKey + "="), IV = the key's first
// 16 bytes, PKCS#7 to 32-byte blocks, plaintext = 16 random bytes + uint32 BE length + message + appid;
// signatures are SHA-1 over the sorted strings.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const BLOCK = 32;

/** sha1_hex of the strings sorted byte-wise and joined: `signature` (token, timestamp, nonce) and `msg_signature` (+ Encrypt). */
export function signature(...parts: string[]): string {
  // The parts are ASCII (digits, a token, base64): the default sort is byte-wise on them.
  return createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
}

/** The 32-byte AES key of an EncodingAESKey (43 characters of base64). */
export function aesKey(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (encodingAesKey.length !== 43 || key.length !== 32) throw new Error("the EncodingAESKey must be 43 characters of [A-Za-z0-9] (it decodes to 32 bytes)");
  return key;
}

export function encrypt(message: string, encodingAesKey: string, appId: string, random: Buffer = randomBytes(16)): string {
  const key = aesKey(encodingAesKey);
  const body = Buffer.from(message, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([random, length, body, Buffer.from(appId, "utf8")]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString("base64");
}

/** The message and the appid inside an Encrypt; throws when it does not decrypt to WeChat's layout. */
export function decrypt(encrypted: string, encodingAesKey: string): { message: string; appId: string } {
  const key = aesKey(encodingAesKey);
  const data = Buffer.from(encrypted, "base64");
  if (data.length === 0 || data.length % 16 !== 0) throw new Error("Encrypt is not a whole number of AES blocks");
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK) throw new Error("Encrypt has no valid padding: wrong EncodingAESKey?");
  const content = plain.subarray(16, plain.length - pad);
  if (content.length < 4) throw new Error("Encrypt is too short");
  const length = content.readUInt32BE(0);
  if (4 + length > content.length) throw new Error("Encrypt's length field is wrong: wrong EncodingAESKey?");
  return { message: content.subarray(4, 4 + length).toString("utf8"), appId: content.subarray(4 + length).toString("utf8") };
}
