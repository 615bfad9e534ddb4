// Types of WeChat API payloads as wxconf uses them, after the client's normalisation (wechat-api.md §10):
// ids are strings or numbers as stated here, whatever WeChat sent.
import type { ButtonType } from "./rules.js";

export interface MenuButton {
  name: string;
  type?: ButtonType;
  key?: string;
  url?: string;
  appid?: string;
  pagepath?: string;
  media_id?: string;
  article_id?: string;
  sub_button?: MenuButton[];
}

/** A matchrule as WeChat takes it: every value a string. Removed fields are kept so a plan can show them. */
export interface Matchrule {
  tag_id?: string;
  client_platform_type?: string;
  sex?: string;
  country?: string;
  province?: string;
  city?: string;
  language?: string;
}

export interface LiveConditionalMenu {
  menuid: string;
  matchrule: Matchrule;
  button: MenuButton[];
}

/** menu/get, normalised: no menu (46003) is `default: null`; conditional menus oldest first. */
export interface MenuState {
  default: { button: MenuButton[] } | null;
  conditional: LiveConditionalMenu[];
}

/** A subscription template of the account (gettemplate): no tid, no kids; identity is title + keyword names. */
/** A permanent material as batchget_material lists it; `name` is the uploaded file's name. */
export interface ApiMaterial {
  media_id: string;
  name: string;
  type: string;
}

export interface ApiSubscription {
  priTmplId: string;
  title: string;
  content: string;
  type: number;
}

/** A public subscription template of the account's categories (getpubtemplatetitles). */
export interface PublicSubscriptionTitle {
  tid: string;
  title: string;
  type: number;
  categoryId: string;
}

/** A keyword of a public template (getpubtemplatekeywords): `rule` is its data key's type (thing, time...). */
export interface PublicSubscriptionKeyword {
  kid: number;
  name: string;
  rule: string;
  example: string;
}

/** callback/check: how WeChat's own network sees the message server's host. */
export interface CallbackProbe {
  dns: Array<{ ip: string; real_operator: string }>;
  ping: Array<{ ip: string; from_operator: string; package_loss: string; time: string }>;
}

export interface ApiTag {
  id: number;
  name: string;
  /** Followers carrying the tag. */
  count: number;
}

export interface ApiTemplate {
  template_id: string;
  title: string;
  primary_industry: string;
  deputy_industry: string;
  content: string;
  example: string;
}

export interface IndustryName {
  first_class: string;
  second_class: string;
}

/** template/get_industry; both absent on an account that never set one. */
export interface ApiIndustry {
  primary?: IndustryName;
  secondary?: IndustryName;
}

export interface ApiQuota {
  daily_limit: number;
  used: number;
  remain: number;
}
