// WXBizMsgCrypt and the push signatures against the official test vectors (../shared/message-server.md §7;
// the long values are read from its appendix, and those tests are skipped where ../shared is absent).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aesKey, decrypt, encrypt, signature } from "../src/server/crypto.js";
import { ROOT } from "./helpers/cli.js";

const DOC = join(ROOT, "..", "shared", "message-server.md");
const PRESENT = existsSync(DOC);
/** The code blocks of the appendix, in order: vector 4's Encrypt, vector 6's message and Encrypt, vector 7's Encrypt. */
const appendix = (): string[][] => {
  const text = readFileSync(DOC, "utf8");
  const tail = text.slice(text.indexOf("## Appendix"));
  return [...tail.matchAll(/```\n([\s\S]*?)```/g)].map((match) => (match[1] ?? "").trim().split("\n"));
};

const KEY3 = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APPID3 = "wxb11529c136998cb6";
const RANDOM3 = Buffer.from("aaaabbbbccccdddd");

describe("signatures", () => {
  it("vector 1: the GET handshake's signature (official)", () => {
    expect(signature("AAAAA", "1714036504", "1514711492")).toBe("f464b24fc39322e44b38aa78f5edd27bd1441696");
  });
  it("vector 2: a plain push's signature (official)", () => {
    expect(signature("AAAAA", "1714037059", "486452656")).toBe("899cf89e464efb63f54ddac96b0a0a235f53aa78");
  });
  it("vector 5: msg_signature over Token, timestamp, nonce and Encrypt", () => {
    const encrypted = encrypt("我是中文abcd123", KEY3, APPID3, RANDOM3);
    expect(signature("pamtest", "1409304348", "xxxxxx", encrypted)).toBe("82c962d39941aa48552f90ef55aa323dc620cc10");
  });
  it("vector 8: node-webot/wechat-crypto's getSignature", () => {
    expect(signature("RMNlACHlV5ThzfRlVS4D4", "timestamp", "nonce", "encrypt")).toBe("8edac0945683c119ee71c9f6256d76c48aa08a96");
  });
});

describe("encryption", () => {
  it("the AES key of an EncodingAESKey", () => {
    expect(aesKey(KEY3).toString("hex")).toBe("69b71d79f8218a39259a7a29aabb2dbafc31cb3d35db7e39ebbf3d0010831051");
    expect(() => aesKey("short")).toThrow("43 characters");
  });

  it("vector 3: cryptoDemo's Chinese message (official sample)", () => {
    const encrypted = encrypt("我是中文abcd123", KEY3, APPID3, RANDOM3);
    expect(encrypted).toBe("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==");
    expect(decrypt(encrypted, KEY3)).toEqual({ message: "我是中文abcd123", appId: APPID3 });
  });

  it.skipIf(!PRESENT)("vector 4 (from ../shared): cryptoDemo's video reply, 640 characters", () => {
    const reply =
      "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>";
    const [expected] = appendix()[0] ?? [];
    expect(expected).toHaveLength(640);
    expect(encrypt(reply, KEY3, APPID3, RANDOM3)).toBe(expected);
  });

  it.skipIf(!PRESENT)("vectors 6 and 7 (from ../shared): wechatpy's encrypted reply and encrypted push", () => {
    const [, six, seven] = appendix();
    const message = JSON.parse(`"${six?.[0] ?? ""}"`) as string;
    const key = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    const encrypted = encrypt(message, key, "wx49f0ab532d5d035a", Buffer.from("1234567890123456"));
    expect(encrypted).toBe(six?.[1]);
    expect(signature("123456", "1411525903", "461056294", encrypted)).toBe("407518b7649e86ef23978113f92d27afa9296533");
    const push = seven?.[0] ?? "";
    expect(signature("123456", "1411525903", "461056294", push)).toBe("74d92dfeb87ba7c714f89d98870ae5eb62dff26d");
    const opened = decrypt(push, key);
    expect(opened.appId).toBe("wx49f0ab532d5d035a");
    expect(opened.message).toContain("<Content><![CDATA[test]]></Content>");
    expect(opened.message).toContain("<FromUserName><![CDATA[messense]]></FromUserName>");
  });

  it("a wrong key does not decrypt to WeChat's layout", () => {
    const encrypted = encrypt("hello", KEY3, APPID3);
    expect(() => decrypt(encrypted, "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR")).toThrow();
  });
});
