import { randomBytes } from "node:crypto";
import { isJsonObject, type JsonObject } from "../../json.js";
import type { Account } from "../account.js";
import type { UploadedFile } from "../multipart.js";

/** An errcode answer. WeChat appends a request id to its messages; so does the emulator. */
export class ApiFailure extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(errmsg);
  }
}

export function fail(errcode: number, errmsg: string): never {
  throw new ApiFailure(errcode, errmsg);
}

export function withRid(errmsg: string): string {
  return `${errmsg} rid: ${randomBytes(6).toString("hex")}-${randomBytes(4).toString("hex")}`;
}

export interface RequestContext {
  /** The files of a multipart request, by field name. */
  files: Record<string, UploadedFile>;
  account: Account;
  body: JsonObject;
  query: URLSearchParams;
  clientIp: string;
}

export type Handler = (context: RequestContext) => JsonObject;

export function objectField(body: JsonObject, name: string): JsonObject {
  const value = body[name];
  return isJsonObject(value) ? value : {};
}

export function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === "string") ? (value as string[]) : undefined;
}
