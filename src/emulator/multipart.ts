// multipart/form-data as add_material receives it: the emulator's own small parser (files and text fields).
export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

/** undefined when the body is not multipart or has no boundary; parts without a name are skipped. */
export function parseMultipart(contentType: string | undefined, raw: Buffer): MultipartBody | undefined {
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? "")?.[1];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const body: MultipartBody = { fields: {}, files: {} };
  let start = raw.indexOf(delimiter);
  while (start >= 0) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = raw.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    if (split >= 0) {
      const headers = part.subarray(0, split).toString("utf8");
      const content = part.subarray(split + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? "application/octet-stream";
      if (name !== undefined && filename !== undefined) body.files[name] = { filename, contentType: type, bytes: Buffer.from(content) };
      else if (name !== undefined) body.fields[name] = content.toString("utf8");
    }
    start = next;
  }
  return body;
}
