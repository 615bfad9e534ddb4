import type { JsonObject } from "../../json.js";
import { checkTagName, isSystemTag, TAG_LIMITS } from "../../wechat/rules.js";
import type { Account } from "../account.js";
import { fail, objectField, stringList, type Handler } from "./common.js";

function checkName(account: Account, name: unknown): string {
  if (typeof name !== "string") fail(45158, "tag name too long");
  const problem = checkTagName(name);
  if (problem) fail(problem.errcode, problem.message);
  // The worse case: renaming a tag to the name it already has is refused too, so a blindly repeated
  // rename fails and a client has to re-read.
  if ([...account.tags.values()].some((tag) => tag.name === name)) fail(45157, "tag name already exists");
  return name;
}

function existingTag(account: Account, id: unknown) {
  const tag = account.tags.get(Number(id));
  if (!tag) fail(45159, "invalid tag id");
  return tag;
}

const userTagCount = (account: Account) => [...account.tags.keys()].filter((id) => !isSystemTag(id)).length;

const create: Handler = ({ account, body }) => {
  const name = checkName(account, objectField(body, "tag").name);
  if (userTagCount(account) >= TAG_LIMITS.maxTags) fail(45056, "too many tags");
  const id = account.nextTagId++;
  account.tags.set(id, { id, name, members: new Set() });
  return { tag: { id, name } };
};

const list: Handler = ({ account }) => ({
  tags: [...account.tags.values()].sort((a, b) => a.id - b.id).map((tag) => ({ id: tag.id, name: tag.name, count: tag.members.size })),
});

const update: Handler = ({ account, body }) => {
  const fields = objectField(body, "tag");
  if (isSystemTag(Number(fields.id))) fail(45058, "can't modify sys tag");
  const tag = existingTag(account, fields.id);
  tag.name = checkName(account, fields.name);
  return { errcode: 0, errmsg: "ok" };
};

const remove: Handler = ({ account, body }) => {
  const fields = objectField(body, "tag");
  if (isSystemTag(Number(fields.id))) fail(45058, "can't modify sys tag");
  const tag = existingTag(account, fields.id);
  if (tag.members.size > TAG_LIMITS.maxFollowersToDelete) fail(45057, "the tag has more than 100000 fans, untag them first");
  for (const openid of [...tag.members]) account.removeMember(tag.id, openid);
  account.tags.delete(tag.id);
  return { errcode: 0, errmsg: "ok" };
};

/** Checks a batch: 1 to 50 openids (40032), a known tag (45159), followers of this account (40003). */
function batch(account: Account, body: Parameters<Handler>[0]["body"]) {
  const openids = stringList(body.openid_list);
  if (!openids || openids.length === 0 || openids.length > TAG_LIMITS.batchSize) fail(40032, "invalid openid list size");
  const tag = existingTag(account, body.tagid);
  const stranger = openids.find((openid) => !account.followers.has(openid));
  if (stranger !== undefined) fail(40003, `invalid openid ${stranger}`);
  return { tag, openids };
}

const tagging: Handler = ({ account, body }) => {
  const { tag, openids } = batch(account, body);
  const full = openids.find((openid) => {
    const owned = account.followers.get(openid) ?? [];
    return !owned.includes(tag.id) && owned.length >= TAG_LIMITS.maxTagsPerFollower;
  });
  if (full !== undefined) fail(45059, "some fans have too many tags (at most 20)");
  for (const openid of openids) account.addMember(tag.id, openid);
  return { errcode: 0, errmsg: "ok" };
};

const untagging: Handler = ({ account, body }) => {
  const { tag, openids } = batch(account, body);
  for (const openid of openids) account.removeMember(tag.id, openid);
  return { errcode: 0, errmsg: "ok" };
};

/** Pages of 10 000; next_openid is the last openid of the page, and the call after the last page is empty. */
const members: Handler = ({ account, body }): JsonObject => {
  const tag = existingTag(account, body.tagid);
  const all = [...tag.members];
  const after = typeof body.next_openid === "string" && body.next_openid !== "" ? all.indexOf(body.next_openid) + 1 : 0;
  const page = all.slice(after, after + TAG_LIMITS.membersPageSize);
  if (page.length === 0) return { count: 0, next_openid: "" };
  return { count: page.length, data: { openid: page }, next_openid: page[page.length - 1] ?? "" };
};

const tagsOfFollower: Handler = ({ account, body }) => {
  const owned = typeof body.openid === "string" ? account.followers.get(body.openid) : undefined;
  if (!owned) fail(40003, "invalid openid");
  return { tagid_list: [...owned] };
};

export const tagHandlers: Record<string, Handler> = {
  "/cgi-bin/tags/create": create,
  "/cgi-bin/tags/get": list,
  "/cgi-bin/tags/update": update,
  "/cgi-bin/tags/delete": remove,
  "/cgi-bin/tags/members/batchtagging": tagging,
  "/cgi-bin/tags/members/batchuntagging": untagging,
  "/cgi-bin/user/tag/get": members,
  "/cgi-bin/tags/getidlist": tagsOfFollower,
};
