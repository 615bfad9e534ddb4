// What WeChat pushes to a message server (../shared/message-server.md §3, §5): a text message, one event per
// menu button, subscribe and unsubscribe; and the request that carries a push in each encryption mode.
import { randomInt } from "node:crypto";
import type { ServerMode } from "../config/server.js";
import type { MenuButton } from "../wechat/types.js";
import { encrypt, signature } from "./crypto.js";
import { buildXml } from "./xml.js";

/** The account's original id as the checker sends it (a real one is gh_ and 12 hex digits). */
export const ACCOUNT_ID = "gh_0a1b2c3d4e5f";
/** The follower a check speaks for. */
export const FOLLOWER = "oWxconfCheck0000000000000000";

export interface Push {
  /** For people: "click 今日歌曲 (V1001_TODAY_MUSIC)". */
  name: string;
  /** The button's key (or url, pagepath) when the push is a button's. */
  key?: string;
  fields: Record<string, string | number | Record<string, unknown>>;
}

export interface Keys {
  token: string;
  encodingAesKey?: string;
  appId: string;
}

const base = (createTime: number) => ({ ToUserName: ACCOUNT_ID, FromUserName: FOLLOWER, CreateTime: createTime });

export function textMessage(msgId: string, createTime = now()): Push {
  return { name: "a text message", fields: { ...base(createTime), MsgType: "text", Content: "wxconf server check", MsgId: msgId } };
}

export function subscribeEvents(): Push[] {
  return (["subscribe", "unsubscribe"] as const).map((event) => ({ name: event, fields: { ...base(now()), MsgType: "event", Event: event } }));
}

const MENU_ID = "123";

/** The event a leaf button pushes, or undefined for the types WeChat answers itself (media_id, view_limited, article_*). */
function buttonEvent(button: MenuButton): Push | undefined {
  const event = (Event: string, EventKey: string, extra: Record<string, string | number | Record<string, unknown>> = {}): Push => ({
    name: `${button.type} ${button.name}${EventKey ? ` (${EventKey})` : ""}`,
    key: EventKey,
    fields: { ...base(now()), MsgType: "event", Event, EventKey, ...extra },
  });
  const key = button.key ?? "";
  switch (button.type) {
    case "click":
      return event("CLICK", key);
    case "view":
      return event("VIEW", button.url ?? "", { MenuId: MENU_ID });
    case "scancode_push":
    case "scancode_waitmsg":
      return event(button.type, key, { ScanCodeInfo: { ScanType: "qrcode", ScanResult: "1" } });
    case "pic_sysphoto":
    case "pic_photo_or_album":
    case "pic_weixin":
      return event(button.type, key, { SendPicsInfo: { Count: 1, PicList: { item: { PicMd5Sum: "1b5f7c23b5bf75682a53e7b6d163e185" } } } });
    case "location_select":
      return event(button.type, key, {
        SendLocationInfo: { Location_X: "23", Location_Y: "113", Scale: "15", Label: "广州市海珠区客村艺苑路 106号", Poiname: "" },
      });
    case "miniprogram":
      return event("view_miniprogram", button.pagepath ?? "", { MenuId: MENU_ID });
    default:
      return undefined;
  }
}

/** One push per distinct button of the menus (a key used in several menus is checked once). */
export function buttonEvents(menus: ReadonlyArray<readonly MenuButton[]>): Push[] {
  const pushes = new Map<string, Push>();
  const visit = (buttons: readonly MenuButton[]) => {
    for (const button of buttons) {
      if (button.sub_button?.length) {
        visit(button.sub_button);
        continue;
      }
      const push = buttonEvent(button);
      if (push) pushes.set(`${String(push.fields.Event)}|${push.key ?? ""}`, push);
    }
  };
  for (const menu of menus) visit(menu);
  return [...pushes.values()];
}

export const now = () => Math.floor(Date.now() / 1000);
const digits = (length: number) => Array.from({ length }, () => String(randomInt(10))).join("");

export interface PushRequest {
  url: string;
  body: string;
}

/**
 * The POST WeChat sends for a push: the signature in every mode; in compatible mode the plain fields and
 * `<Encrypt>` together, in safe mode only `<Encrypt>`, both with `encrypt_type=aes` and `msg_signature`.
 * `forge` spoils the signatures, as an attacker's request would have them.
 */
export function pushRequest(url: string, mode: ServerMode, keys: Keys, push: Push, forge = false): PushRequest {
  const timestamp = String(now());
  const nonce = digits(9);
  const target = new URL(url);
  // A forger does not know the Token: its signatures are made with another one.
  const token = forge ? `${keys.token}-forged` : keys.token;
  target.searchParams.set("signature", signature(token, timestamp, nonce));
  target.searchParams.set("timestamp", timestamp);
  target.searchParams.set("nonce", nonce);
  target.searchParams.set("openid", FOLLOWER);
  const plain = buildXml(push.fields);
  if (mode === "plain") return { url: target.toString(), body: plain };
  const encrypted = encrypt(plain, keys.encodingAesKey ?? "", keys.appId);
  target.searchParams.set("encrypt_type", "aes");
  target.searchParams.set("msg_signature", signature(token, timestamp, nonce, encrypted));
  const body = mode === "compatible" ? buildXml({ ...push.fields, Encrypt: encrypted }) : buildXml({ ToUserName: ACCOUNT_ID, Encrypt: encrypted });
  return { url: target.toString(), body };
}

/** The GET of URL verification, the same in every mode; `forge` spoils its signature. */
export function handshakeUrl(url: string, token: string, echostr: string, forge = false): string {
  const timestamp = String(now());
  const nonce = digits(9);
  const target = new URL(url);
  target.searchParams.set("signature", signature(forge ? `${token}-forged` : token, timestamp, nonce));
  target.searchParams.set("timestamp", timestamp);
  target.searchParams.set("nonce", nonce);
  target.searchParams.set("echostr", echostr);
  return target.toString();
}

export const randomEchostr = () => digits(19);
export const randomMsgId = () => `1${digits(18)}`;
