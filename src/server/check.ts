// `wxconf server check`: calls the team's message server the way WeChat does and says, check by check,
// what WeChat would make of each answer. It calls no WeChat API.
import type { ServerMode, ServerSettings } from "../config/server.js";
import type { MenuButton } from "../wechat/types.js";
import { buttonEvents, handshakeUrl, type Keys, type Push, pushRequest, randomEchostr, randomMsgId, subscribeEvents, textMessage } from "./pushes.js";
import { checkReply, isReplyXml } from "./replies.js";
import { AnswerTooLarge, openWire, type Wire } from "../wechat/wire.js";

export const SERVER_CHECK_FORMAT_VERSION = "1.0";
/** WeChat drops a connection that has not answered in 5 seconds, and retries. */
export const ANSWER_BUDGET_MS = 5_000;

export interface CheckResult {
  /** handshake, handshake_forged, message, retries, event, push_forged. */
  check: string;
  name: string;
  /** The button's key (or url, pagepath) when the check is a button's. */
  key?: string;
  ok: boolean;
  /** The slowest answer of the check, in milliseconds. */
  ms: number;
  problem?: string;
  /** What WeChat does with such an answer. */
  wechat?: string;
  fix?: string;
}

export interface ServerCheckReport {
  format_version: string;
  url: string;
  mode: ServerMode;
  checks: CheckResult[];
  slowest_ms: number;
  ok: boolean;
}

interface Answer {
  status: number;
  body: string;
  ms: number;
  timedOut: boolean;
}

/** A reply is a short XML; more than this is not one (and an endless answer is not buffered). */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** One request with WeChat's patience: 5 s, then the connection is dropped. No redirect is followed. */
async function call(wire: Wire, url: string, init: { method: "GET" | "POST"; body?: string }): Promise<Answer> {
  const started = performance.now();
  const deadline = AbortSignal.timeout(ANSWER_BUDGET_MS);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const answer = await wire.send({
      method: init.method,
      url: new URL(url),
      headers: init.body === undefined ? {} : { "content-type": "text/xml" },
      body: init.body === undefined ? undefined : Buffer.from(init.body, "utf8"),
      signal: deadline,
    });
    const body = (await answer.read(MAX_ANSWER_BYTES)).toString("utf8");
    return { status: answer.status, body, ms: elapsed(), timedOut: false };
  } catch (error) {
    if (deadline.aborted) return { status: 0, body: "", ms: elapsed(), timedOut: true };
    if (error instanceof AnswerTooLarge) return { status: 0, body: `(an answer of more than ${MAX_ANSWER_BYTES} bytes)`, ms: elapsed(), timedOut: false };
    const code = (error as { code?: string }).code;
    return { status: 0, body: `(${code ?? (error instanceof Error ? error.message : String(error))})`, ms: elapsed(), timedOut: false };
  }
}

const SLOW = {
  wechat: "WeChat drops the connection after 5 s and retries (three times in all); followers see '该公众号暂时无法提供服务，请稍后再试'",
  fix: "answer within 5 s: reply 'success' at once and do slow work afterwards (send it with the customer-service message API)",
};

function unreachable(answer: Answer): { problem: string; wechat: string; fix: string } {
  return answer.timedOut
    ? { problem: `no answer within ${ANSWER_BUDGET_MS / 1000} s`, ...SLOW }
    : {
        problem: `could not connect ${answer.body}`,
        wechat: "WeChat cannot deliver: it retries, then gives up",
        fix: "is the server running, and is server.url the URL set in the MP console?",
      };
}

/** A push and its answer, judged. */
async function deliver(wire: Wire, url: string, mode: ServerMode, keys: Keys, push: Push): Promise<{ answer: Answer; verdict: ReturnType<typeof checkReply> }> {
  const request = pushRequest(url, mode, keys, push);
  const answer = await call(wire, request.url, { method: "POST", body: request.body });
  if (answer.status === 0) return { answer, verdict: { ok: false, ...unreachable(answer) } };
  return { answer, verdict: checkReply(answer.status, answer.body, mode, keys) };
}

function pushResult(check: string, push: Push, answer: Answer, verdict: ReturnType<typeof checkReply>): CheckResult {
  const base = { check, name: push.name, ...(push.key !== undefined && { key: push.key }), ms: answer.ms };
  if (!verdict.ok) {
    const fix =
      "fix" in verdict
        ? String(verdict.fix)
        : push.key
          ? `the handler of '${push.key}' must answer 'success', an empty body or a valid reply XML`
          : "answer 'success', an empty body or a valid reply XML";
    return { ...base, ok: false, problem: verdict.problem, wechat: verdict.wechat, fix };
  }
  if (answer.ms > ANSWER_BUDGET_MS) return { ...base, ok: false, problem: `answered in ${answer.ms} ms`, ...SLOW };
  return { ...base, ok: true };
}

export interface ServerCheckInput {
  server: ServerSettings;
  appId: string;
  /** The default menu and every conditional menu: one event per button. */
  menus: ReadonlyArray<readonly MenuButton[]>;
  onCheck?: (result: CheckResult) => void;
}

export async function checkServer(input: ServerCheckInput): Promise<ServerCheckReport> {
  const { server, appId } = input;
  if (!server.token) throw new Error("no Token to sign with: set $WXCONF_SERVER_TOKEN, or server.token: ${VAR} in the file");
  if (server.mode !== "plain" && !server.encodingAesKey) {
    throw new Error(`${server.mode} mode needs the EncodingAESKey: set $WXCONF_SERVER_AES_KEY, or server.encoding_aes_key: \${VAR} in the file`);
  }
  const keys: Keys = { token: server.token, appId, ...(server.encodingAesKey && { encodingAesKey: server.encodingAesKey }) };
  // Straight to the team's server (no proxy: WeChat calls it from the internet), one connection kept alive.
  const wire = openWire({ connectMs: ANSWER_BUDGET_MS, answerMs: ANSWER_BUDGET_MS }, undefined);
  try {
    return await runChecks(wire, input, keys);
  } finally {
    await wire.close();
  }
}

async function runChecks(wire: Wire, input: ServerCheckInput, keys: Keys): Promise<ServerCheckReport> {
  const { server } = input;
  const checks: CheckResult[] = [];
  const add = (result: CheckResult) => {
    checks.push(result);
    input.onCheck?.(result);
  };

  // 1. URL verification: the echostr exactly, in every mode; never for a forged signature.
  const echostr = randomEchostr();
  const handshake = await call(wire, handshakeUrl(server.url, keys.token, echostr), { method: "GET" });
  const handshakeBase = { check: "handshake", name: "URL verification (GET with signature, timestamp, nonce, echostr)", ms: handshake.ms };
  if (handshake.status === 0) add({ ...handshakeBase, ok: false, ...unreachable(handshake) });
  else if (handshake.status !== 200 || handshake.body !== echostr) {
    add({
      ...handshakeBase,
      ok: false,
      problem: `answered HTTP ${handshake.status} ${JSON.stringify(handshake.body.slice(0, 60))}, not the echostr ${echostr}`,
      wechat: "the MP console refuses the URL ('Token验证失败', 200302)",
      fix: "check signature = sha1(sort(Token, timestamp, nonce)) with the Token of the MP console, and answer the echostr as it is (no quotes, no newline), in every mode",
    });
  } else add({ ...handshakeBase, ok: true });
  const forgedEcho = randomEchostr();
  const forged = await call(wire, handshakeUrl(server.url, keys.token, forgedEcho, true), { method: "GET" });
  const forgedOk = forged.body !== forgedEcho;
  add({
    check: "handshake_forged",
    name: "a URL verification with a wrong signature is refused",
    ms: forged.ms,
    ok: forgedOk,
    ...(!forgedOk && {
      problem: "the server answered the echostr to a wrong signature: it does not check signatures",
      wechat: "anyone can pass as WeChat and push forged messages",
      fix: "compare the signature before answering; refuse with 403 when it differs",
    }),
  });

  // 2. A text message, then the same one delivered three times (WeChat's retries).
  const msgId = randomMsgId();
  const message = textMessage(msgId);
  const first = await deliver(wire, server.url, server.mode, keys, message);
  add(pushResult("message", message, first.answer, first.verdict));
  const retries = [];
  for (let attempt = 0; attempt < 3; attempt++) retries.push(await deliver(wire, server.url, server.mode, keys, message));
  const failedRetry = retries.find((retry) => !retry.verdict.ok || retry.answer.ms > ANSWER_BUDGET_MS);
  const slowest = Math.max(...retries.map((retry) => retry.answer.ms));
  add(
    failedRetry
      ? {
          ...pushResult("retries", { ...message, name: `the same message (MsgId ${msgId}) three times` }, failedRetry.answer, failedRetry.verdict),
          ms: slowest,
        }
      : { check: "retries", name: `the same message (MsgId ${msgId}) three times, as WeChat retries`, ms: slowest, ok: true },
  );

  // 3. One event per button, then subscribe and unsubscribe.
  for (const push of [...buttonEvents(input.menus), ...subscribeEvents()]) {
    const { answer, verdict } = await deliver(wire, server.url, server.mode, keys, push);
    add(pushResult("event", push, answer, verdict));
  }

  // 4. A push with wrong signatures must not be processed: no reply XML.
  const forgedPush = pushRequest(server.url, server.mode, keys, textMessage(randomMsgId()), true);
  const forgedAnswer = await call(wire, forgedPush.url, { method: "POST", body: forgedPush.body });
  const processed = isReplyXml(forgedAnswer.status, forgedAnswer.body);
  add({
    check: "push_forged",
    name: "a message with a wrong signature is not processed",
    ms: forgedAnswer.ms,
    ok: !processed,
    ...(processed && {
      problem: "the server answered a reply XML to a message whose signature is wrong",
      wechat: "anyone can push forged messages to it",
      fix: `check signature${server.mode === "plain" ? "" : " and msg_signature"} before processing a push; refuse with 403`,
    }),
  });

  const slowestMs = Math.max(0, ...checks.map((check) => check.ms));
  return {
    format_version: SERVER_CHECK_FORMAT_VERSION,
    url: server.url,
    mode: server.mode,
    checks,
    slowest_ms: slowestMs,
    ok: checks.every((check) => check.ok),
  };
}
