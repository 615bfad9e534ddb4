// The emulator's subscription notifications: a small public library of category templates and the
// account's private ones (wechat-api.md §4.4, §12.2).

export interface PublicSubscription {
  tid: string;
  title: string;
  /** 2 one-time, 3 long-term. */
  type: number;
  categoryId: string;
  keywords: Array<{ kid: number; name: string; rule: string; example: string }>;
}

export const SUBSCRIPTION_CATEGORIES = [
  { id: "307", name: "电商平台" },
  { id: "616", name: "公交" },
];

export const PUBLIC_SUBSCRIPTIONS: readonly PublicSubscription[] = [
  {
    tid: "1234",
    title: "订单支付成功通知",
    type: 2,
    categoryId: "307",
    keywords: [
      { kid: 1, name: "订单号", rule: "character_string", example: "20260101000001" },
      { kid: 2, name: "支付金额", rule: "amount", example: "¥99.00" },
      { kid: 3, name: "支付时间", rule: "time", example: "2026-01-01 12:00" },
      { kid: 4, name: "商品名称", rule: "thing", example: "咖啡豆" },
    ],
  },
  {
    tid: "5678",
    title: "订单发货提醒",
    type: 2,
    categoryId: "307",
    keywords: [
      { kid: 1, name: "订单号", rule: "character_string", example: "20260101000001" },
      { kid: 2, name: "快递公司", rule: "thing", example: "顺丰速运" },
      { kid: 3, name: "快递单号", rule: "character_string", example: "SF1234567890" },
      { kid: 5, name: "发货时间", rule: "time", example: "2026-01-02 09:00" },
    ],
  },
  {
    tid: "900",
    title: "车辆到站提醒",
    type: 2,
    categoryId: "616",
    keywords: [
      { kid: 1, name: "线路", rule: "thing", example: "1路" },
      { kid: 2, name: "到站时间", rule: "time", example: "08:30" },
    ],
  },
];

export interface StoredSubscription {
  priTmplId: string;
  tid: string;
  kidList: number[];
  title: string;
  content: string;
  sceneDesc: string;
}

/** A private template as gettemplate shows it: `名称:{{rule+kid.DATA}}` per keyword. */
export function privateTemplate(priTmplId: string, tid: string, kidList: readonly number[], sceneDesc: string): StoredSubscription {
  const library = PUBLIC_SUBSCRIPTIONS.find((entry) => entry.tid === tid);
  if (!library) throw new Error(`the emulator's library has no tid ${tid}`);
  const content = kidList
    .map((kid) => library.keywords.find((keyword) => keyword.kid === kid))
    .map((keyword) => `${keyword?.name}:{{${keyword?.rule}${keyword?.kid}.DATA}}`)
    .join("\n");
  return { priTmplId, tid, kidList: [...kidList], title: library.title, content, sceneDesc };
}
