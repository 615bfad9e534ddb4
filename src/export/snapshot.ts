// Everything `import` reads from an account: each kind reads its part, all at once (each API once).
import { KINDS } from "../resources/index.js";
import { type ImportReadOptions, ReadSession, type LiveState } from "../resources/kind.js";
import type { ReadClient } from "../wechat/client.js";
import { UNREADABLE_ERRCODES } from "../wechat/errcodes.js";
import { WeChatError } from "../wechat/errors.js";

export interface AccountSnapshot {
  app_id: string;
  live: LiveState;
  /** The kinds WeChat would not let us read, and why (an unverified account cannot read tags: 48001). */
  unreadable: Array<{ section: string; note: string }>;
}

export async function readAccount(read: ReadClient, appId: string, options: ImportReadOptions): Promise<AccountSnapshot> {
  const session = new ReadSession(read);
  const unreadable: AccountSnapshot["unreadable"] = [];
  const parts = await Promise.all(
    KINDS.map(async (kind): Promise<LiveState> => {
      if (!kind.importRead) return {};
      try {
        return await kind.importRead(session, options);
      } catch (error) {
        if (!(error instanceof WeChatError && UNREADABLE_ERRCODES.includes(error.errcode))) throw error;
        unreadable.push({ section: kind.section, note: `${kind.section}: WeChat answered ${error.errcode} (${error.meaning ?? error.errmsg})` });
        return {};
      }
    }),
  );
  // A kind that could not read keeps its section out, even where another kind read the same API.
  const live = Object.assign({}, ...parts) as LiveState;
  return { app_id: appId, live, unreadable };
}
