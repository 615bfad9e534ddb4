// The ids a menu's buttons name (a permanent material's media_id, a published article's article_id),
// checked against the account in the plan: a typo or a deleted material would otherwise fail at apply
// (40007) or, once live, break the button silently.
import { WeChatError } from "../../wechat/errors.js";
import { UNREADABLE_ERRCODES } from "../../wechat/errcodes.js";
import type { MenuButton } from "../../wechat/types.js";
import type { ReadSession, ReferenceFacts } from "../kind.js";

export interface ButtonReference {
  /** "更多 > 素材" */
  path: string;
  field: "media_id" | "article_id";
  id: string;
}

export function literalReferences(buttons: readonly MenuButton[], parent: readonly string[] = []): ButtonReference[] {
  return buttons.flatMap((button) => {
    const path = [...parent, button.name];
    const own: ButtonReference[] = [];
    if (button.media_id !== undefined) own.push({ path: path.join(" > "), field: "media_id", id: button.media_id });
    if (button.article_id !== undefined) own.push({ path: path.join(" > "), field: "article_id", id: button.article_id });
    return [...own, ...literalReferences(button.sub_button ?? [], path)];
  });
}

/** An account that may not list material or articles (48001...) gets a warning; other faults fail the plan. */
async function readable<T>(read: Promise<T>, what: string, unreadable: string[]): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (!(error instanceof WeChatError && UNREADABLE_ERRCODES.includes(error.errcode))) throw error;
    unreadable.push(`${what}: WeChat answered ${error.errcode} (${error.meaning ?? error.errmsg})`);
    return undefined;
  }
}

/** Reads only what the references need: nothing at all for a menu without media_id or article_id buttons. */
export async function readReferences(references: readonly ButtonReference[], session: ReadSession): Promise<ReferenceFacts | undefined> {
  if (references.length === 0) return undefined;
  const unreadable: string[] = [];
  const articleIds = [...new Set(references.filter((ref) => ref.field === "article_id").map((ref) => ref.id))];
  const [materialIds, states] = await Promise.all([
    references.some((ref) => ref.field === "media_id")
      ? readable(
          session.materials().then((list) => list.map((material) => material.media_id)),
          "the material list",
          unreadable,
        )
      : undefined,
    Promise.all(articleIds.map((id) => readable(session.article(id), `article ${id}`, unreadable))),
  ]);
  const articles: ReferenceFacts["articles"] = {};
  articleIds.forEach((id, index) => {
    const state = states[index];
    if (state !== undefined) articles[id] = state;
  });
  return { ...(materialIds !== undefined && { materialIds }), articles, unreadable };
}

/** Plan problems for ids the account does not have, and warnings for what could not be checked. */
export function referenceFindings(address: string, references: readonly ButtonReference[], facts: ReferenceFacts | undefined) {
  const problems: string[] = [];
  if (!facts) return { problems, warnings: [] };
  const media = facts.materialIds ? new Set(facts.materialIds) : undefined;
  for (const ref of references) {
    if (ref.field === "media_id" && media && !media.has(ref.id))
      problems.push(`${address}: button '${ref.path}' names media_id ${ref.id}, which is not a permanent material of this account (WeChat would answer 40007)`);
    const article = ref.field === "article_id" ? facts.articles[ref.id] : undefined;
    if (article === "missing")
      problems.push(`${address}: button '${ref.path}' names article_id ${ref.id}, which is not a published article of this account (getarticle: 53600)`);
    if (article === "deleted") problems.push(`${address}: button '${ref.path}' names article_id ${ref.id}, a published article that was deleted`);
  }
  const warnings = facts.unreadable.map((what) => `${address}: button ids not checked, ${what}`);
  return { problems, warnings };
}
