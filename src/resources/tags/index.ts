import { isJsonObject, type Json, sha256 } from "../../json.js";
import { memberIndex } from "./member-index.js";
import { requests, type Placeholder } from "../../wechat/requests.js";
import { isSystemTag, TAG_LIMITS } from "../../wechat/rules.js";
import type { ApiTag } from "../../wechat/types.js";
import {
  addressOf,
  APPLIED,
  defineKind,
  emptyKindPlan,
  MASS_MINIMUM,
  MASS_SHARE,
  massDelete,
  NOT_APPLIED,
  type Change,
  type Detail,
  type KindPlan,
  type LiveState,
  type PlanFacts,
  type StepDraft,
  type DesiredState,
} from "../kind.js";
import { append } from "../../append.js";
import type { YAMLMap } from "yaml";
import { seqAt } from "../yaml-doc.js";
import { checkTags, tagsFromFile, type DesiredTag } from "./section.js";

export interface TagMatch {
  desired: DesiredTag;
  live?: ApiTag;
  /** How the live tag was found: its name, or one of the tag's previous names (a rename). */
  via?: "name" | "previously";
}

/** Matches the file's tags with live ones: by name first, then by a previous name not taken by another. */
export function matchTags(desired: readonly DesiredTag[], live: readonly ApiTag[]): { matches: TagMatch[]; unmatched: ApiTag[] } {
  const byName = new Map(live.filter((tag) => !isSystemTag(tag.id)).map((tag) => [tag.name, tag]));
  const claimed = new Set<number>();
  const matches: TagMatch[] = desired.map((tag) => {
    const found = byName.get(tag.name);
    if (!found) return { desired: tag };
    claimed.add(found.id);
    return { desired: tag, live: found, via: "name" };
  });
  for (const match of matches) {
    if (match.live) continue;
    const previous = match.desired.previously.map((name) => byName.get(name)).find((tag) => tag && !claimed.has(tag.id));
    if (previous) {
      claimed.add(previous.id);
      match.live = previous;
      match.via = "previously";
    }
  }
  const unmatched = live.filter((tag) => !isSystemTag(tag.id) && !claimed.has(tag.id));
  return { matches, unmatched };
}

export const tagRef = (name: string): Placeholder => ({ $ref: `${addressOf("tag", name)}.id` });

/** The step that creates a tag: steps that use the new tag's id come after it. */
export const tagCreateStep = (name: string) => `${addressOf("tag", name)}:create`;
/** The group of steps that stop using tag `id` (a conditional menu's delete): the tag's delete waits for them. */
export const tagUsers = (id: number | string) => `tag#${id}:users`;
const RENAMES = "tag:rename";
const UNTAGGING = "tag:untag";

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * Untagging runs before any tagging (a follower carries at most 20 tags), and tagging a new tag after its
 * create (it needs the id).
 */
function membershipSteps(address: string, name: string, tagId: number | Placeholder, add: readonly string[], remove: readonly string[]): StepDraft[] {
  const steps: StepDraft[] = [];
  batches(remove, TAG_LIMITS.batchSize).forEach((batch, index) => {
    steps.push({
      id: `${address}:untag:${index + 1}`,
      groups: [UNTAGGING],
      address,
      description: `untag ${batch.length} follower(s) from ${name}`,
      request: requests.untagFollowers(tagId, batch),
    });
  });
  batches(add, TAG_LIMITS.batchSize).forEach((batch, index) => {
    steps.push({
      id: `${address}:tag:${index + 1}`,
      after: [UNTAGGING, tagCreateStep(name)],
      address,
      description: `tag ${batch.length} follower(s) with ${name}`,
      request: requests.tagFollowers(tagId, batch),
    });
  });
  return steps;
}

/** A short view of a list of openids for a plan line: the count and the first few. */
function followerList(openids: readonly string[]): Json {
  return openids.length <= 5 ? [...openids] : [...openids.slice(0, 5), `… ${openids.length - 5} more`];
}

function memberDetails(add: readonly string[], remove: readonly string[]): Detail[] {
  const details: Detail[] = [];
  if (add.length > 0) details.push({ path: "members", action: "create", after: followerList(add), note: `${add.length} follower(s) to tag` });
  if (remove.length > 0) details.push({ path: "members", action: "delete", before: followerList(remove), note: `${remove.length} follower(s) to untag` });
  return details;
}

/**
 * Who to tag and untag: the live members are looked up in the file's list's index (made by validate), one
 * map operation each. `wanted` has no duplicates (validate refuses them).
 */
function diffMembers(wanted: readonly string[] | undefined, current: readonly string[]): { add: string[]; remove: string[] } {
  if (!wanted) return { add: [], remove: [] };
  const { positions } = memberIndex(wanted);
  const kept = new Uint8Array(wanted.length);
  const remove: string[] = [];
  for (const openid of current) {
    const position = positions.get(openid);
    if (position === undefined) remove.push(openid);
    else kept[position] = 1;
  }
  return { add: wanted.filter((_, position) => kept[position] === 0), remove };
}

/**
 * The live members as the fingerprint needs them, whatever order WeChat's pages list them in: how many, and
 * a digest of their 32-bit hashes, sorted. Sorting a million openids takes half a second, their hashes a
 * tenth. A collision could only blur which address a refusal names: the steps, in the checksum too, already
 * differ for any other set of members.
 */
function membersSummary(members: readonly string[]): { count: number; sha256: string } {
  const hashes = new Uint32Array(members.length);
  members.forEach((openid, index) => {
    let hash = 0x811c9dc5;
    for (let at = 0; at < openid.length; at++) hash = Math.imul(hash ^ openid.charCodeAt(at), 0x01000193);
    hashes[index] = hash;
  });
  return { count: members.length, sha256: sha256(new Uint8Array(hashes.sort().buffer)) };
}

export const tagsKind = defineKind({
  kind: "tag",
  section: "tags",
  check: checkTags,
  fromFile: tagsFromFile,

  async read(desired, session) {
    const tags = await session.tags();
    const { matches } = matchTags(desired.tags ?? [], tags);
    const withMembers = matches.filter((match) => match.desired.members !== undefined && match.live);
    const lists = await Promise.all(withMembers.map((match) => session.members(match.live as ApiTag)));
    const members: Record<string, string[]> = {};
    withMembers.forEach((match, index) => {
      members[String(match.live?.id)] = lists[index] ?? [];
    });
    return { tags, members };
  },

  diff(desired: DesiredState, live: LiveState, _facts: PlanFacts): KindPlan {
    const plan = emptyKindPlan();
    const liveTags = live.tags ?? [];
    const tagIds = new Map<string, number | Placeholder>(liveTags.map((tag) => [tag.name, tag.id]));
    // Listed renames first, then creates, memberships and deletes: the order a reviewer reads best.
    const renames: StepDraft[] = [];
    const creates: StepDraft[] = [];
    const memberships: StepDraft[] = [];
    const deletes: StepDraft[] = [];
    const { matches, unmatched } = matchTags(desired.tags ?? [], liveTags);

    for (const match of matches) {
      const { desired: tag } = match;
      const address = addressOf("tag", tag.name);
      if (!match.live) {
        const members = tag.members ?? [];
        tagIds.set(tag.name, tagRef(tag.name));
        plan.changes.push({
          address,
          kind: "tag",
          name: tag.name,
          actions: ["create"],
          reason_code: "tag_missing",
          reason_args: { previously: tag.previously },
          before: null,
          after: { name: tag.name, id: tagRef(tag.name), ...(tag.members && { followers: members.length }) },
          details: memberDetails(members, []),
        });
        // After the renames: one of them may free this name.
        creates.push({
          id: tagCreateStep(tag.name),
          after: [RENAMES],
          address,
          description: `create tag ${tag.name}`,
          request: requests.createTag(tag.name),
          produces: { ref: tagRef(tag.name).$ref, from: "tag.id" },
        });
        append(memberships, membershipSteps(address, tag.name, tagRef(tag.name), members, []));
        continue;
      }

      const current = match.live;
      tagIds.delete(current.name);
      tagIds.set(tag.name, current.id);
      const { add, remove } = diffMembers(tag.members, live.members?.[String(current.id)] ?? []);
      const renamed = match.via === "previously";
      if (!renamed && add.length === 0 && remove.length === 0) continue;
      const details: Detail[] = renamed ? [{ path: "name", action: "update", before: current.name, after: tag.name }] : [];
      append(details, memberDetails(add, remove));
      const membersDiffer = add.length > 0 || remove.length > 0;
      const reason = renamed
        ? { reason_code: "renamed", reason_args: { from: current.name, id: current.id, followers: current.count, members_differ: membersDiffer } }
        : { reason_code: "members_differ" };
      const change: Change = {
        address,
        kind: "tag",
        name: tag.name,
        actions: ["update"],
        ...reason,
        before: { name: current.name, id: current.id, followers: current.count },
        after: { name: tag.name, id: current.id, followers: tag.members ? tag.members.length : current.count },
        details,
      };
      plan.changes.push(change);
      if (renamed) {
        renames.push({
          id: `${address}:rename`,
          groups: [RENAMES],
          address,
          description: `rename tag ${current.name} to ${tag.name} (id ${current.id})`,
          request: requests.renameTag(current.id, tag.name),
        });
      }
      append(memberships, membershipSteps(address, tag.name, current.id, add, remove));
      const members = live.members?.[String(current.id)]?.length ?? current.count;
      if (members >= MASS_MINIMUM && remove.length / members > MASS_SHARE) {
        plan.safety.push({
          rule: "mass_untag",
          address,
          message: `untagging ${remove.length} of the ${members} followers of ${tag.name} (${Math.round((100 * remove.length) / members)}%, more than ${MASS_SHARE * 100}% of a tag with ${MASS_MINIMUM} or more)`,
        });
      }
    }

    for (const tag of unmatched) {
      const address = addressOf("tag", tag.name);
      if (!desired.prune.tags) {
        plan.unmanaged.push({ address, kind: "tag", note: `id ${tag.id}, ${tag.count} follower(s): not in the file (set prune.tags to delete it)` });
        continue;
      }
      tagIds.delete(tag.name);
      plan.changes.push({
        address,
        kind: "tag",
        name: tag.name,
        actions: ["delete"],
        reason_code: "tag_pruned",
        reason_args: { followers: tag.count },
        before: { name: tag.name, id: tag.id, followers: tag.count },
        after: null,
        details: [],
      });
      deletes.push({
        id: `${address}:delete`,
        after: [tagUsers(tag.id)],
        removes: true,
        address,
        description: `delete tag ${tag.name} (id ${tag.id}, ${tag.count} follower(s))`,
        request: requests.deleteTag(tag.id),
      });
      if (tag.count > 0) plan.safety.push({ rule: "tag_with_followers", address, message: `deleting ${address} takes the tag from ${tag.count} follower(s)` });
      if (tag.count > TAG_LIMITS.maxFollowersToDelete) {
        plan.warnings.push(
          `${address} has ${tag.count} followers: WeChat refuses to delete a tag with more than ${TAG_LIMITS.maxFollowersToDelete} (45057); untag followers first`,
        );
      }
    }

    append(plan.steps, [...renames, ...creates, ...memberships, ...deletes]);
    const userTags = liveTags.filter((tag) => !isSystemTag(tag.id)).length;
    append(plan.safety, massDelete("tag", "tags", desired.prune.tags ? unmatched.length : 0, userTags));
    plan.facts = { tagIds };

    const userTagsAfter = matches.length + (desired.prune.tags ? 0 : unmatched.length);
    if (userTagsAfter > TAG_LIMITS.maxTags) {
      plan.problems.push(
        `the account would have ${userTagsAfter} tags (the file's ${matches.length} and ${unmatched.length} not managed); WeChat allows ${TAG_LIMITS.maxTags}: set prune.tags or delete some`,
      );
    }
    return plan;
  },

  prunable: true,

  async importRead(session, { withMembers }) {
    const tags = await session.tags();
    if (!withMembers) return { tags };
    const userTags = tags.filter((tag) => !isSystemTag(tag.id));
    const lists = await Promise.all(userTags.map((tag) => session.members(tag)));
    return { tags, members: Object.fromEntries(userTags.map((tag, index) => [String(tag.id), lists[index] ?? []])) };
  },

  toFile(live, { withMembers }) {
    if (!live.tags) return { notices: [] };
    const tags = live.tags.filter((tag) => !isSystemTag(tag.id));
    return {
      value: tags.map((tag) => ({ name: tag.name, ...(withMembers && { members: live.members?.[String(tag.id)] ?? [] }) })),
      notices: [],
      decorate(doc) {
        const list = seqAt(doc, ["tags"]);
        tags.forEach((tag, index) => {
          const item = list.items[index] as YAMLMap;
          if (!withMembers) item.flow = true;
          item.comment = ` id ${tag.id}, ${tag.count} follower(s)`;
        });
      },
    };
  },

  async outputs(desired, session) {
    const liveTags = (await session.tags()).filter((tag) => !isSystemTag(tag.id));
    const wanted = desired.tags?.map((tag) => tag.name);
    const absent = (wanted ?? []).filter((name) => !liveTags.some((tag) => tag.name === name));
    if (absent.length > 0) throw new Error(`tag(s) ${absent.join(", ")} are not on the account: run 'wxconf apply' first`);
    return [
      {
        name: "tags",
        envPrefix: "WXCONF_TAG_",
        values: Object.fromEntries(liveTags.filter((tag) => !wanted || wanted.includes(tag.name)).map((tag) => [tag.name, tag.id])),
      },
    ];
  },

  fingerprint(live, deleted) {
    return Object.fromEntries(
      (live.tags ?? []).map((tag) => {
        const address = addressOf("tag", tag.name);
        const members = live.members?.[String(tag.id)];
        return [
          address,
          { id: tag.id, name: tag.name, ...(members && { members: membersSummary(members) }), ...(deleted.has(address) && { followers: tag.count }) },
        ];
      }),
    );
  },

  async confirm(step, body, _change, read) {
    const tag = isJsonObject(body.tag) ? body.tag : {};
    switch (step.endpoint) {
      case "tagsCreate": {
        const created = (await read.getTags()).find((candidate) => candidate.name === tag.name);
        return created ? { applied: true, answer: { tag: { id: created.id, name: created.name } } } : NOT_APPLIED;
      }
      case "tagsUpdate":
        return (await read.getTags()).some((candidate) => candidate.id === tag.id && candidate.name === tag.name) ? APPLIED : NOT_APPLIED;
      case "tagsDelete":
        return (await read.getTags()).some((candidate) => candidate.id === tag.id) ? NOT_APPLIED : APPLIED;
      default:
        // Tagging and untagging are idempotent: sending the batch again is the safe way to make sure.
        return NOT_APPLIED;
    }
  },
});
