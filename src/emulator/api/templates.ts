import type { JsonObject } from "../../json.js";
import { endpointByPath } from "../../wechat/endpoints.js";
import { INDUSTRIES, TEMPLATE_LIMITS } from "../../wechat/rules.js";
import { fail, stringList, type Handler } from "./common.js";

const industryCode = (value: unknown): number => {
  const code = Number(value);
  if (typeof value !== "string" && typeof value !== "number") fail(40103, "invalid industry index");
  if (!INDUSTRIES[code]) fail(40103, "invalid industry index");
  return code;
};

/** Changing the industry deletes the templates of the industries that are no longer set. */
const setIndustry: Handler = ({ account, body }) => {
  const primary = industryCode(body.industry_id1);
  const secondary = industryCode(body.industry_id2);
  if (account.industry) {
    account.templates = account.templates.filter((template) => template.industry === primary || template.industry === secondary);
  }
  account.industry = { primary, secondary };
  return { errcode: 0, errmsg: "ok" };
};

const getIndustry: Handler = ({ account }): JsonObject => {
  if (!account.industry) return {};
  return { primary_industry: account.industryName(account.industry.primary), secondary_industry: account.industryName(account.industry.secondary) };
};

/** Adding the same library template twice makes a second template (the worse of the possible behaviours). */
const addTemplate: Handler = ({ account, body }) => {
  const library = account.library.get(String(body.template_id_short ?? ""));
  if (!library) fail(40037, "invalid template_id");
  const keywords = stringList(body.keyword_name_list);
  if (!keywords || keywords.length === 0 || keywords.some((keyword) => !library.keywords.includes(keyword))) {
    fail(40246, "invalid keyword_name_list: keywords must be chosen from the template's keywords");
  }
  if (account.templates.length >= TEMPLATE_LIMITS.maxTemplates) fail(45026, "template num exceeds limit");
  const template_id = account.newTemplateId();
  account.templates.push({ template_id, template_id_short: library.template_id_short, title: library.title, keywords, industry: library.industry });
  return { errcode: 0, errmsg: "ok", template_id };
};

const listTemplates: Handler = ({ account }) => ({
  template_list: account.templates.map((template) => {
    const industry = account.industryName(template.industry);
    return {
      template_id: template.template_id,
      title: template.title,
      primary_industry: industry.first_class,
      deputy_industry: industry.second_class,
      content: account.templateContent(template),
      example: template.keywords.map((keyword) => `${keyword}：示例`).join("\n"),
    };
  }),
});

const deleteTemplate: Handler = ({ account, body }) => {
  const index = account.templates.findIndex((template) => template.template_id === body.template_id);
  if (index < 0) fail(40037, "invalid template_id");
  account.templates.splice(index, 1);
  return { errcode: 0, errmsg: "ok" };
};

const quotaGet: Handler = ({ account, body }) => {
  const path = body.cgi_path;
  if (typeof path !== "string" || !path.startsWith("/")) fail(76003, "invalid cgi_path");
  if (!endpointByPath(path)) fail(76021, "cgi_path not found");
  const limit = account.dailyLimit(path);
  const used = account.used.get(path) ?? 0;
  return { errcode: 0, errmsg: "ok", quota: { daily_limit: limit, used, remain: Math.max(0, limit - used) } };
};

const clearQuota: Handler = ({ account, body }) => {
  if (body.appid !== account.appId) fail(40013, "invalid appid");
  account.used.clear();
  return { errcode: 0, errmsg: "ok" };
};

export const templateHandlers: Record<string, Handler> = {
  "/cgi-bin/template/api_set_industry": setIndustry,
  "/cgi-bin/template/get_industry": getIndustry,
  "/cgi-bin/template/api_add_template": addTemplate,
  "/cgi-bin/template/get_all_private_template": listTemplates,
  "/cgi-bin/template/del_private_template": deleteTemplate,
};

/** callback/check: the emulator's "network" is loopback, reached from every operator without loss. */
const callbackCheck: Handler = () => ({
  dns: [{ ip: "127.0.0.1", real_operator: "UNICOM" }],
  ping: ["UNICOM", "CHINANET", "CAP"].map((operator) => ({ ip: "127.0.0.1", from_operator: operator, package_loss: "0%", time: "1.000ms" })),
});

export const quotaHandlers: Record<string, Handler> = {
  "/cgi-bin/openapi/quota/get": quotaGet,
  "/cgi-bin/clear_quota": clearQuota,
  "/cgi-bin/callback/check": callbackCheck,
};
