// Everything `import` and `output` read from an account, in one parallel round (plus member pages).
import type { JsonObject } from "../json.js";
import { ReadSession } from "../resources/kind.js";
import type { ReadClient } from "../wechat/client.js";
import { WeChatError } from "../wechat/errors.js";
import type { ApiIndustry, ApiTag, ApiTemplate, MenuState } from "../wechat/types.js";

export interface AccountSnapshot {
  app_id: string;
  menu: MenuState;
  /** get_current_selfmenu_info: the only place a menu made in the MP console shows. */
  selfMenu?: JsonObject;
  /** Absent when the account may not read them (unverified accounts get 48001). */
  tags?: ApiTag[];
  members: Record<string, string[]>;
  templates?: ApiTemplate[];
  industry?: ApiIndustry;
  /** Sections WeChat would not let us read, and why. */
  unreadable: string[];
}

/** Reads a section, or notes why WeChat refused it (an unverified account cannot read tags or templates). */
async function optional<T>(what: string, read: () => Promise<T>, unreadable: string[]): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof WeChatError && [48001, 48004, 65306].includes(error.errcode)) {
      unreadable.push(`${what}: WeChat answered ${error.errcode} (${error.meaning ?? error.errmsg})`);
      return undefined;
    }
    throw error;
  }
}

/** Reads the account in one parallel round; the console menu and the industry only when asked (import). */
export async function readAccount(
  read: ReadClient,
  appId: string,
  options: { withMembers: boolean; withSelfMenu: boolean; withIndustry: boolean },
): Promise<AccountSnapshot> {
  const session = new ReadSession(read);
  const unreadable: string[] = [];
  const [menu, selfMenu, tags, templates, industry] = await Promise.all([
    session.menu(),
    options.withSelfMenu ? optional("the console menu", () => read.getSelfMenuInfo(), unreadable) : Promise.resolve(undefined),
    optional("tags", () => session.tags(), unreadable),
    optional("templates", () => session.templates(), unreadable),
    options.withIndustry ? optional("industry", () => session.industry(), unreadable) : Promise.resolve(undefined),
  ]);
  const members: Record<string, string[]> = {};
  if (options.withMembers && tags) {
    const userTags = tags.filter((tag) => tag.id !== 2);
    const lists = await Promise.all(userTags.map((tag) => session.members(tag)));
    userTags.forEach((tag, index) => (members[String(tag.id)] = lists[index] ?? []));
  }
  return {
    app_id: appId,
    menu,
    ...(selfMenu && { selfMenu }),
    ...(tags && { tags }),
    members,
    ...(templates && { templates }),
    ...(industry && { industry }),
    unreadable,
  };
}
