import type { JsonObject } from "../../json.js";
import { PUBLIC_SUBSCRIPTIONS, privateTemplate, SUBSCRIPTION_CATEGORIES } from "../subscriptions.js";
import { SUBSCRIPTION_LIMITS } from "../../wechat/rules.js";
import { fail, type Handler } from "./common.js";

const getCategory: Handler = ({ account }): JsonObject => ({
  data: SUBSCRIPTION_CATEGORIES.filter((category) => account.subscriptionCategories.includes(category.id)).map((category) => ({
    id: Number(category.id),
    name: category.name,
  })),
});

/** ids, start and limit (at most 30) are all required. */
const getTitles: Handler = ({ query }): JsonObject => {
  const ids = (query.get("ids") ?? "").split(",").filter(Boolean);
  const start = Number(query.get("start"));
  const limit = Number(query.get("limit"));
  if (ids.length === 0) fail(200018, "ids is required");
  if (!Number.isInteger(start) || start < 0) fail(200016, "start is invalid");
  if (!Number.isInteger(limit) || limit < 1 || limit > SUBSCRIPTION_LIMITS.titlesPageSize) fail(200017, "limit is invalid");
  const matching = PUBLIC_SUBSCRIPTIONS.filter((entry) => ids.includes(entry.categoryId));
  return {
    count: matching.length,
    data: matching.slice(start, start + limit).map((entry) => ({ tid: Number(entry.tid), title: entry.title, type: entry.type, categoryId: entry.categoryId })),
  };
};

const getKeywords: Handler = ({ query }): JsonObject => {
  const entry = PUBLIC_SUBSCRIPTIONS.find((candidate) => candidate.tid === query.get("tid"));
  if (!entry) fail(200014, "tid does not exist");
  return { count: entry.keywords.length, data: entry.keywords.map((keyword) => ({ ...keyword })) };
};

const getTemplates: Handler = ({ account }): JsonObject => ({
  data: account.subscriptions.map((template) => ({ priTmplId: template.priTmplId, title: template.title, content: template.content, example: "", type: 2 })),
});

const addTemplate: Handler = ({ account, body }): JsonObject => {
  const tid = String(body.tid ?? "");
  const entry = PUBLIC_SUBSCRIPTIONS.find((candidate) => candidate.tid === tid && account.subscriptionCategories.includes(candidate.categoryId));
  if (!entry) fail(200014, "tid does not exist");
  const kidList = Array.isArray(body.kidList) ? body.kidList.map(Number) : [];
  if (
    kidList.length < SUBSCRIPTION_LIMITS.minKeywords ||
    kidList.length > SUBSCRIPTION_LIMITS.maxKeywords ||
    kidList.some((kid) => !entry.keywords.some((keyword) => keyword.kid === kid))
  ) {
    fail(47001, "data format error: kidList");
  }
  const sceneDesc = String(body.sceneDesc ?? "");
  if (sceneDesc === "" || [...sceneDesc].length > SUBSCRIPTION_LIMITS.sceneChars) fail(47001, "data format error: sceneDesc");
  if (account.subscriptions.length >= SUBSCRIPTION_LIMITS.maxTemplates) fail(200012, "private template count exceeds the limit");
  const template = privateTemplate(account.newSubscriptionId(), tid, kidList, sceneDesc);
  account.subscriptions.push(template);
  return { priTmplId: template.priTmplId };
};

const deleteTemplate: Handler = ({ account, body }): JsonObject => {
  const index = account.subscriptions.findIndex((template) => template.priTmplId === body.priTmplId);
  if (index < 0) fail(200014, "template does not exist");
  account.subscriptions.splice(index, 1);
  return {};
};

export const subscriptionHandlers: Record<string, Handler> = {
  "/wxaapi/newtmpl/getcategory": getCategory,
  "/wxaapi/newtmpl/getpubtemplatetitles": getTitles,
  "/wxaapi/newtmpl/getpubtemplatekeywords": getKeywords,
  "/wxaapi/newtmpl/gettemplate": getTemplates,
  "/wxaapi/newtmpl/addtemplate": addTemplate,
  "/wxaapi/newtmpl/deltemplate": deleteTemplate,
};
