// Permanent material and published articles, as far as menus use them (wechat-api.md §6.3, §12.3).
import type { JsonObject } from "../../json.js";
import { mediaIdsOf } from "../../wechat/normalize.js";
import { ARTICLE_MISSING, IMAGE_LIMITS, imageFormatOf, MATERIAL_PAGE_SIZE, MATERIAL_TYPES } from "../../wechat/rules.js";
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

/** Images only (what assets upload): the `media` file, checked as WeChat does (40005 format, 40009 size). */
const addMaterial: Handler = ({ account, query, files }): JsonObject => {
  if (query.get("type") !== "image") fail(40004, "invalid media type");
  const media = files.media;
  if (!media) fail(41005, "media data missing");
  if (imageFormatOf(media.bytes) === undefined) fail(40005, "invalid file type");
  if (media.bytes.length > IMAGE_LIMITS.maxBytes) fail(40009, "invalid image size");
  const mediaId = account.newMediaId();
  account.materials.push({ media_id: mediaId, name: media.filename, type: "image", update_time: Math.floor(Date.now() / 1000), bytes: media.bytes });
  return { media_id: mediaId, url: `https://mmbiz.qpic.cn/emulator/${mediaId}/0` };
};

/** 48005 while a menu uses it, as WeChat answers. */
const delMaterial: Handler = ({ account, body }): JsonObject => {
  const mediaId = String(body.media_id ?? "");
  const index = account.materials.findIndex((material) => material.media_id === mediaId);
  if (index < 0) fail(40007, "invalid media_id");
  const menus = [...(account.menu ? [account.menu] : []), ...account.conditional];
  if (menus.some((menu) => mediaIdsOf(menu.button).includes(mediaId))) fail(48005, "forbid to delete material used by auto-reply or menu");
  account.materials.splice(index, 1);
  return { errcode: 0, errmsg: "ok" };
};

/** The key of a handler's answer that is sent as raw bytes (base64 here), with `content_type`. */
export const BINARY_ANSWER = "$binary_base64";

/** An image answers with its bytes; other types with JSON (wechat-api.md §12.3). */
const getMaterial: Handler = ({ account, body }): JsonObject => {
  const material = account.materials.find((candidate) => candidate.media_id === String(body.media_id ?? ""));
  if (!material) fail(40007, "invalid media_id");
  if (material.type !== "image") return { title: material.name, description: "", down_url: "" };
  const bytes = material.bytes ?? Buffer.from(`\x89PNG\r\n\x1a\n${material.media_id}`, "latin1");
  return { [BINARY_ANSWER]: bytes.toString("base64"), content_type: "image/png" };
};

export const materialHandlers: Record<string, Handler> = {
  "/cgi-bin/material/get_materialcount": materialCount,
  "/cgi-bin/material/batchget_material": batchGetMaterial,
  "/cgi-bin/freepublish/getarticle": getArticle,
  "/cgi-bin/material/add_material": addMaterial,
  "/cgi-bin/material/get_material": getMaterial,
  "/cgi-bin/material/del_material": delMaterial,
};
