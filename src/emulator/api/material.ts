// Permanent material and published articles, as far as menus use them (wechat-api.md §6.3, §12.3).
import type { JsonObject } from "../../json.js";
import { ARTICLE_MISSING, MATERIAL_PAGE_SIZE, MATERIAL_TYPES } from "../../wechat/rules.js";
import { fail, type Handler } from "./common.js";

const materialCount: Handler = ({ account }): JsonObject =>
  Object.fromEntries(MATERIAL_TYPES.map((type) => [`${type}_count`, account.materials.filter((material) => material.type === type).length]));

/** type, offset and count (1 to 20) as WeChat takes them. */
const batchGetMaterial: Handler = ({ account, body }): JsonObject => {
  const type = String(body.type ?? "");
  const offset = Number(body.offset ?? 0);
  const count = Number(body.count ?? 0);
  if (!(MATERIAL_TYPES as readonly string[]).includes(type)) fail(40004, "invalid media type");
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(count) || count < 1 || count > MATERIAL_PAGE_SIZE) fail(40005, "invalid offset or count");
  const all = account.materials.filter((material) => material.type === type);
  const page = all.slice(offset, offset + count);
  return {
    total_count: all.length,
    item_count: page.length,
    item: page.map((material) => ({ media_id: material.media_id, name: material.name, update_time: material.update_time, url: "" })),
  };
};

const getArticle: Handler = ({ account, body }): JsonObject => {
  const article = account.articles.get(String(body.article_id ?? ""));
  if (!article) fail(ARTICLE_MISSING, "Article ID 无效");
  return { news_item: [{ title: article.title, url: `https://mp.weixin.qq.com/s/${article.article_id}`, is_deleted: article.deleted }] };
};

export const materialHandlers: Record<string, Handler> = {
  "/cgi-bin/material/get_materialcount": materialCount,
  "/cgi-bin/material/batchget_material": batchGetMaterial,
  "/cgi-bin/freepublish/getarticle": getArticle,
};
