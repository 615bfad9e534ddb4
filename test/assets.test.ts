// Assets: images of the repository uploaded as permanent material under content-hashed names and used by
// menus (`media: NAME`), over real HTTP against the emulator (multipart uploads included).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EmulatorSeed } from "../src/emulator/account.js";
import type { Emulator } from "../src/emulator/server.js";
import { Accounts, cliEnv, yamlFile } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";
import { clientFor } from "./helpers/client.js";
import { requests } from "../src/wechat/requests.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bytes WeChat (and the emulator) take as a PNG; `seed` makes different images. */
const png = (seed: string) => Buffer.concat([Buffer.from(PNG_SIGNATURE), Buffer.from(`IHDR image ${seed}`)]);

const FILE = `assets:
  banner: { file: assets/banner.png }
  qr: { file: assets/qr.png }
menu:
  button:
    - { name: 海报, type: media_id, media: banner }
    - name: 更多
      sub_button:
        - { name: 二维码, type: view_limited, media: qr }
        - { name: 官网, type: view, url: "https://example.com/" }
`;

async function session(sections: string, state: EmulatorSeed = {}, faults = {}) {
  const emulator = await accounts.start(state, { faults });
  const dir = workdir({ "wxconf.yaml": yamlFile(sections) });
  mkdirSync(join(dir, "assets"));
  const image = (name: string, seed: string) => writeFileSync(join(dir, "assets", name), png(seed));
  image("banner.png", "banner v1");
  image("qr.png", "qr v1");
  return { emulator, dir, image, cli: (args: string[]) => runCli(args, { cwd: dir, env: cliEnv(emulator) }) };
}

/** The material an asset was uploaded as: uploads run in parallel, so the emulator's order is arrival's. */
const uploadOf = (emulator: Emulator, asset: string) => emulator.account.materials.find((material) => material.name.startsWith(`${asset}.`));

const mediaIds = (buttons: ReadonlyArray<{ media_id?: string; sub_button?: unknown[] }>): string[] =>
  buttons.flatMap((button) => [...(button.media_id ? [button.media_id] : []), ...mediaIds((button.sub_button ?? []) as Array<{ media_id?: string }>)]);

describe("assets", () => {
  it("two assets: exactly two uploads and one menu/create with their ids; a second apply writes nothing", async () => {
    const { emulator, cli } = await session(FILE);
    const plan = await cli(["plan"]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("+ asset.banner");
    expect(plan.stdout).toMatch(/filename: "banner\.[0-9a-f]{8}\.png"/);
    expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
    expect(emulator.calls().writesByPath).toEqual({ "/cgi-bin/material/add_material": 2, "/cgi-bin/menu/create": 1 });
    const [banner, qr] = [uploadOf(emulator, "banner"), uploadOf(emulator, "qr")];
    expect(banner?.name).toMatch(/^banner\.[0-9a-f]{8}\.png$/);
    expect(qr?.name).toMatch(/^qr\.[0-9a-f]{8}\.png$/);
    expect(mediaIds(emulator.account.menu?.button ?? [])).toEqual([banner?.media_id, qr?.media_id]);

    const writes = emulator.calls().writes;
    expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
    expect(emulator.calls().writes).toBe(writes);
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("a changed image is one upload and one menu/create; the old upload is left alone without prune", async () => {
    const { emulator, cli, image } = await session(FILE);
    await cli(["apply", "--auto-approve"]);
    const before = emulator.calls().writes;
    image("banner.png", "banner v2");
    const plan = await cli(["plan"]);
    expect(plan.stdout).toMatch(/the file changed: banner\.[0-9a-f]{8}\.png is a new upload/);
    expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
    const calls = emulator
      .calls()
      .calls.slice(-10)
      .filter((call) => call.write);
    expect(emulator.calls().writes - before).toBe(2);
    expect(calls.map((call) => call.path)).toEqual(["/cgi-bin/material/add_material", "/cgi-bin/menu/create"]);
    expect(emulator.account.materials).toHaveLength(3);
    expect(mediaIds(emulator.account.menu?.button ?? [])[0]).toBe(emulator.account.materials[2]?.media_id);
  });

  it("prune: the old upload goes after the menu moves on, only with --allow-destroy; hand-made material stays", async () => {
    const { emulator, cli, image } = await session(`${FILE}prune: { assets: true }\n`, {
      materials: [{ media_id: "BY_HAND", name: "hand-made.jpg" }],
    });
    await cli(["apply", "--auto-approve"]);
    const old = emulator.account.materials.find((material) => material.name.startsWith("banner."));
    image("banner.png", "banner v2");
    const refused = await cli(["apply", "--auto-approve"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("--allow-destroy");
    expect(emulator.account.materials).toHaveLength(3);

    const before = emulator.calls().calls.length;
    const applied = await cli(["apply", "--auto-approve", "--allow-destroy"]);
    expect(applied.code).toBe(0);
    const writes = emulator
      .calls()
      .calls.slice(before)
      .filter((call) => call.write)
      .map((call) => call.path);
    // The menu stops using the old image before it is deleted (WeChat would answer 48005).
    expect(writes).toEqual(["/cgi-bin/material/add_material", "/cgi-bin/menu/create", "/cgi-bin/material/del_material"]);
    expect(emulator.account.materials.some((material) => material.media_id === old?.media_id)).toBe(false);
    expect(emulator.account.materials.some((material) => material.media_id === "BY_HAND")).toBe(true);
    expect(emulator.account.materials).toHaveLength(3);
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("prune keeps an old upload that a menu the file does not manage uses", async () => {
    const { emulator, cli, image } = await session(`assets:\n  banner: { file: assets/banner.png }\nprune: { assets: true }\n`);
    await cli(["apply", "--auto-approve"]);
    const [uploaded] = emulator.account.materials;
    emulator.account.menu = { button: [{ name: "海报", type: "media_id", media_id: uploaded?.media_id as string }] };
    image("banner.png", "banner v2");
    const plan = await cli(["plan"]);
    expect(plan.stdout).toContain("that a menu this file does not manage still uses");
    expect(plan.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
  });

  it("an asset uploaded twice (two applies at once) is one image again after the next apply, keeping the copy the menu uses", async () => {
    for (const menuUsesTwin of [false, true]) {
      const { emulator, cli } = await session(FILE);
      expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
      // The other job's upload of the same bytes, under the same content-hashed name.
      const first = uploadOf(emulator, "banner");
      const twin = { ...(first as NonNullable<typeof first>), media_id: "TWIN_MEDIA_ID" };
      emulator.account.materials.push(twin);
      if (menuUsesTwin) emulator.account.menu = JSON.parse(JSON.stringify(emulator.account.menu).replace(first?.media_id ?? "", twin.media_id));
      const kept = menuUsesTwin ? twin.media_id : first?.media_id;
      const gone = menuUsesTwin ? first?.media_id : twin.media_id;

      const plan = await cli(["plan"]);
      expect(plan.stdout).toContain(`a second upload of ${first?.name} (two applies at once): asset.banner keeps one`);
      expect(plan.stdout).toContain("Plan: 0 to add, 0 to change, 1 to destroy.");
      const before = emulator.calls().writes;
      expect((await cli(["apply", "--auto-approve"])).code).toBe(0);
      expect(emulator.calls().writes - before).toBe(1);
      expect(emulator.account.materials.filter((material) => material.name === first?.name).map((material) => material.media_id)).toEqual([kept]);
      expect(mediaIds(emulator.account.menu?.button ?? [])).not.toContain(gone);
      expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
    }
  });

  it("a lost upload answer is confirmed by listing the material: never uploaded twice", async () => {
    const { emulator, cli } = await session(FILE, {}, { rules: [{ path: "/cgi-bin/material/add_material", kind: "lost_write" }] });
    const apply = await cli(["apply", "--auto-approve"]);
    expect(apply.code).toBe(0);
    expect(emulator.account.materials).toHaveLength(2);
    expect(mediaIds(emulator.account.menu?.button ?? [])).toEqual([uploadOf(emulator, "banner")?.media_id, uploadOf(emulator, "qr")?.media_id]);
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("validate: a missing file, bytes that are not the image the name says, an unknown asset; nothing sent", async () => {
    const { emulator, dir, cli } = await session(`assets:
  banner: { file: assets/banner.png }
  fake: { file: assets/fake.png }
  gone: { file: assets/gone.jpg }
  outside: { file: ../outside.png }
menu:
  button:
    - { name: 海报, type: media_id, media: poster }
    - { name: 点击, type: click, key: K, media: banner }
`);
    writeFileSync(join(dir, "assets", "fake.png"), "not an image");
    writeFileSync(join(dir, "..", "outside.png"), png("outside"));
    const result = await cli(["validate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/wxconf\.yaml:6:\d+: assets\/fake\.png is not a PNG image/);
    expect(result.stderr).toMatch(/wxconf\.yaml:7:\d+: assets\/gone\.jpg is not a file \(paths are relative to the configuration file's folder\)/);
    expect(result.stderr).toMatch(/wxconf\.yaml:8:\d+: \.\.\/outside\.png is outside the configuration file's folder/);
    expect(result.stderr).toMatch(/wxconf\.yaml:11:\d+: media 'poster' is not an asset of this file/);
    expect(result.stderr).toMatch(/wxconf\.yaml:12:\d+: media is for buttons of type media_id or view_limited, not click/);
    expect((await cli(["plan"])).code).toBe(1);
    expect(emulator.calls().total).toBe(0);
  });

  it("an image changed after the plan was saved: apply refuses, uploading nothing", async () => {
    const { emulator, cli, image } = await session(FILE);
    expect((await cli(["plan", "--out", "plan.json"])).code).toBe(0);
    image("qr.png", "qr v2");
    const apply = await cli(["apply", "plan.json"]);
    expect(apply.code).toBe(3);
    expect(apply.stderr).toContain("the file changed: wxconf.yaml is not what the plan was made from");
    expect(emulator.calls().writes).toBe(0);
  });

  it("preview draws a media button with its asset's name", async () => {
    const { dir, cli } = await session(FILE);
    expect((await cli(["preview", "-o", "pictures"])).code).toBe(0);
    const svg = readFileSync(join(dir, "pictures", readdirSync(join(dir, "pictures"))[0] as string), "utf8");
    expect(svg).toContain(">image: banner</text>");
    expect(svg).toContain(">image: qr</text>");
  });

  it("output gives each asset's media_id", async () => {
    const { emulator, cli } = await session(FILE);
    await cli(["apply", "--auto-approve"]);
    const output = JSON.parse((await cli(["output"])).stdout) as { assets: Record<string, string> };
    expect(output.assets).toEqual({ banner: uploadOf(emulator, "banner")?.media_id, qr: uploadOf(emulator, "qr")?.media_id });
  });
});

describe("assets: import", () => {
  it("images wxconf uploaded that the menus use come back as assets with their files; plan on the import is clean", async () => {
    const { emulator, dir, cli } = await session(FILE, { materials: [{ media_id: "BY_HAND", name: "hand-made.jpg" }] });
    await cli(["apply", "--auto-approve"]);
    // A hand-made material in a conditional menu stays a literal id.
    emulator.account.conditional.push({
      menuid: 1,
      matchrule: { client_platform_type: "1" },
      button: [{ name: "手工", type: "media_id", media_id: "BY_HAND" }],
    });
    const out = join(dir, "imported");
    mkdirSync(out);
    const imported = await runCli(["import", "--app-id", emulator.appId, "-o", "imported/wxconf.yaml"], { cwd: dir, env: cliEnv(emulator) });
    expect(imported.code).toBe(0);
    const text = readFileSync(join(out, "wxconf.yaml"), "utf8");
    expect(text).toMatch(/assets:\n {2}banner:\n {4}file: assets\/banner\.png\n {2}qr:\n {4}file: assets\/qr\.png\n/);
    expect(text).toContain("{ name: 海报, type: media_id, media: banner }");
    expect(text).toContain("media_id: BY_HAND");
    expect(readFileSync(join(out, "assets", "banner.png"))).toEqual(png("banner v1"));
    const writes = emulator.calls().writes;
    expect((await runCli(["plan", "-c", "imported/wxconf.yaml", "--detailed-exitcode"], { cwd: dir, env: cliEnv(emulator) })).code).toBe(0);
    expect(emulator.calls().writes).toBe(writes);
  });
});

describe("assets: the upload itself", () => {
  it("sends the file's bytes as multipart only while they have the plan's digest, and never a file outside the folder", async () => {
    const { emulator, dir, image } = await session(FILE);
    const client = clientFor(emulator, { filesDir: dir });
    try {
      const bytes = png("banner v1");
      const sha256 = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
      const upload = { file: "assets/banner.png", filename: "banner.abcdef12.png", sha256, content_type: "image/png" };
      const answer = await client.write.send(requests.uploadImage(upload));
      expect(emulator.account.materials[0]).toMatchObject({ media_id: answer.media_id, name: "banner.abcdef12.png" });
      expect(emulator.account.materials[0]?.bytes).toEqual(bytes);

      image("banner.png", "banner v2");
      await expect(client.write.send(requests.uploadImage(upload))).rejects.toThrow("assets/banner.png changed since the plan was made");
      await expect(client.write.send(requests.uploadImage({ ...upload, file: "../../etc/passwd" }))).rejects.toThrow("outside the configuration file's folder");
      expect(emulator.calls().writes).toBe(1);
    } finally {
      await client.close();
    }
  });
});
