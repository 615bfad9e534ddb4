import type { JsonObject } from "../../json.js";
import type { Account } from "../account.js";
import { fail, type Handler, type RequestContext } from "./common.js";

const FIVE_MINUTES = 5 * 60_000;

function checkCaller(account: Account, appid: unknown, clientIp: string): void {
  if (appid !== account.appId) fail(40013, "invalid appid");
  if (account.ipWhitelist && !account.ipWhitelist.includes(clientIp)) {
    fail(40164, `invalid ip ${clientIp} ipv6 ::ffff:${clientIp}, not in whitelist`);
  }
}

const answer = (token: string, expiresAt: number): JsonObject => ({
  access_token: token,
  expires_in: Math.max(0, Math.round((expiresAt - Date.now()) / 1000)),
});

/**
 * GET /cgi-bin/token: a new token on every call; the previous ones stay valid for 5 more minutes.
 * Stable tokens are not touched.
 */
const classicToken: Handler = ({ account, query, clientIp }: RequestContext) => {
  if (query.get("grant_type") !== "client_credential") fail(40002, "invalid grant_type");
  checkCaller(account, query.get("appid"), clientIp);
  if (query.get("secret") !== account.appSecret) fail(40001, "invalid credential, access_token is invalid or not latest");
  const now = Date.now();
  for (const [token, expiresAt] of account.classicTokens) account.classicTokens.set(token, Math.min(expiresAt, now + FIVE_MINUTES));
  const token = account.issueToken();
  account.classicTokens.set(token, now + account.tokenTtlMs);
  return answer(token, now + account.tokenTtlMs);
};

/**
 * POST /cgi-bin/stable_token. Normal mode returns the same token until 5 minutes before it expires, then
 * rotates (the old one stays valid until its own expiry). force_refresh invalidates the old one at once.
 */
const stableToken: Handler = ({ account, body, clientIp }: RequestContext) => {
  if (body.grant_type !== "client_credential") fail(40002, "invalid grant_type");
  checkCaller(account, body.appid, clientIp);
  if (body.secret !== account.appSecret) fail(40125, "invalid appsecret");
  const now = Date.now();
  const current = account.stable;
  if (body.force_refresh === true) {
    account.previousStable = undefined;
  } else if (current && current.expiresAt - now > FIVE_MINUTES) {
    return answer(current.value, current.expiresAt);
  } else {
    account.previousStable = current;
  }
  account.stable = { value: account.issueToken(), expiresAt: now + account.tokenTtlMs };
  return answer(account.stable.value, account.stable.expiresAt);
};

export const tokenHandlers: Record<string, Handler> = {
  "/cgi-bin/token": classicToken,
  "/cgi-bin/stable_token": stableToken,
};
