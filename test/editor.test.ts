// Help in the editor: yaml-language-server, driven over stdio as an editor drives it, on a file whose
// first line points at the schema. It reports the schema's share of what `wxconf validate` reports, and
// hover on a button's `type` shows what the types do.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { YamlLanguageServer } from "./helpers/lsp.js";
import { ROOT, runCli, workdir } from "./helpers/cli.js";

const servers: YamlLanguageServer[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.stop();
});

// Schema problems on lines 7, 8, 10 and 12 (counting the first line as 1); a rule problem (a tag name over
// 30 bytes) on line 11.
const FILE = (schema: string) => `# yaml-language-server: $schema=${schema}
version: 1
account:
  app_id: wx0123456789abcdef
menu:
  button:
    - { name: a, type: view, ulr: "https://example.com/" }
    - { name: b, type: clik, key: B }
tags:
  - previously: [old]
  - name: 会员中心服务特别长的名字加长加长
prune: { tags: "yes" }
`;

interface Diagnostic {
  range: { start: { line: number; character: number } };
  message: string;
}

describe("yaml-language-server with wxconf's schema", () => {
  it("reports the schema's share of validate's problems, and hovers with descriptions", async () => {
    const dir = workdir({});
    const file = join(dir, "wxconf.yaml");
    const text = FILE(pathToFileURL(join(ROOT, "schemas", "wxconf.schema.json")).href);
    writeFileSync(file, text);
    const uri = pathToFileURL(file).href;

    const server = new YamlLanguageServer({ yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false } } });
    servers.push(server);
    await server.start(pathToFileURL(dir).href);
    const published = server.waitFor<{ uri: string; diagnostics: Diagnostic[] }>(
      "textDocument/publishDiagnostics",
      (params) => params.uri === uri && params.diagnostics.length > 0,
    );
    server.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
    const { diagnostics } = await published;

    const validated = await runCli(["validate", "--format", "json"], { cwd: dir });
    const problems = (JSON.parse(validated.stdout) as { problems: Array<{ line: number; message: string }> }).problems;
    const editorLines = [...new Set(diagnostics.map((diagnostic) => diagnostic.range.start.line + 1))].sort((a, b) => a - b);
    const validateLines = [...new Set(problems.map((problem) => problem.line))].sort((a, b) => a - b);
    // The editor shows every schema problem validate shows; validate adds WeChat's rules (line 11's bytes).
    expect(editorLines).toEqual([7, 8, 10, 12]);
    expect(validateLines).toEqual([7, 8, 10, 11, 12]);

    const typeLine = text.split("\n").findIndex((line) => line.includes("type: clik"));
    const character = (text.split("\n")[typeLine] ?? "").indexOf("type") + 1;
    const hover = (await server.request("textDocument/hover", { textDocument: { uri }, position: { line: typeLine, character } })) as {
      contents: unknown;
    } | null;
    expect(JSON.stringify(hover?.contents)).toContain("What a tap does");
  }, 30_000);
});
