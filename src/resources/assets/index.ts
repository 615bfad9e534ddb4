// Assets: images of the repository, uploaded as permanent material (add_material) under a content-hashed
// name, found again by listing (batchget_material) without downloading. Menus name them (`media: banner`)
// and get their media_id, known after apply when this plan uploads them.
import { extname } from "node:path";
import { append } from "../../append.js";
import { type Json, sha256 } from "../../json.js";
import { mediaIdsOf } from "../../wechat/normalize.js";
import { type Placeholder, requests } from "../../wechat/requests.js";
import type { ApiMaterial } from "../../wechat/types.js";
import { addressOf, APPLIED, defineKind, type DesiredState, emptyKindPlan, type KindPlan, type LiveState, NOT_APPLIED, type StepDraft } from "../kind.js";
import { DELETES as CONDITIONAL_DELETES } from "../conditional-menus/index.js";
import { DEFAULT_MENU_STEP, MENU_DELETE_STEP } from "../menu/index.js";
import { assetsFromFile, checkAssets, UPLOADED_NAME } from "./section.js";

/**
 * Whether a material can go in this apply: no menu of the file names its id, and each live menu that uses
 * it is one the file manages (so this apply replaces or deletes it first). Undefined: it must stay.
 */
function deletableAfter(mediaId: string, desired: DesiredState, live: LiveState): string[] | undefined {
  const named = [...(desired.menu ? [desired.menu] : []), ...(desired.conditional_menus ?? [])].flatMap((menu) => mediaIdsOf(menu.button));
  if (named.includes(mediaId)) return undefined;
  const usedByDefault = live.menu?.default ? mediaIdsOf(live.menu.default.button).includes(mediaId) : false;
  const usedByConditional = (live.menu?.conditional ?? []).some((menu) => mediaIdsOf(menu.button).includes(mediaId));
  if ((usedByDefault && desired.menu === undefined) || (usedByConditional && desired.conditional_menus === undefined)) return undefined;
  return usedByDefault || usedByConditional ? [DEFAULT_MENU_STEP, MENU_DELETE_STEP, CONDITIONAL_DELETES] : [];
}

export const assetsKind = defineKind({
  kind: "asset",
  section: "assets",
  check: checkAssets,
  fromFile: assetsFromFile,
  prunable: true,

  // The live menus say when an upload may be deleted: read for prune, or when an asset was uploaded twice.
  async read(desired, session) {
    const menuRead = desired.prune.assets ? session.menu() : undefined;
    const materials = await session.materials();
    const menu = await (menuRead ?? (twinsOf(desired, materials).length > 0 ? session.menu() : undefined));
    return { materials, ...(menu && { menu }) };
  },

  diff(desired: DesiredState, live: LiveState): KindPlan {
    const plan = emptyKindPlan();
    const images = (live.materials ?? []).filter((material) => material.type === "image");
    const assetIds = new Map<string, string | Placeholder>();
    const wanted = new Set<string>();
    const usedByMenus = new Set(
      [...(live.menu?.default ? [live.menu.default] : []), ...(live.menu?.conditional ?? [])].flatMap((menu) => mediaIdsOf(menu.button)),
    );
    for (const asset of desired.assets ?? []) {
      const address = addressOf("asset", asset.name);
      wanted.add(asset.filename);
      // Of two uploads (two applies at once), the one a live menu uses stays: no menu write for it.
      const copies = images.filter((material) => material.name === asset.filename);
      const uploaded = copies.find((copy) => usedByMenus.has(copy.media_id)) ?? copies[0];
      for (const twin of copies) if (twin !== uploaded) append(plan.steps, twinSteps(twin, address, desired, live, plan));
      if (uploaded) {
        assetIds.set(asset.name, uploaded.media_id);
        continue;
      }
      const ref = `${address}.media_id`;
      assetIds.set(asset.name, { $ref: ref });
      const previous = images.filter((material) => UPLOADED_NAME.exec(material.name)?.[1] === asset.name).map((material) => material.name);
      plan.changes.push({
        address,
        kind: "asset",
        name: asset.name,
        actions: ["create"],
        reason_code: previous.length > 0 ? "asset_changed" : "asset_missing",
        reason_args: { filename: asset.filename, ...(previous.length > 0 && { previous: previous.join(", ") }) },
        before: null,
        after: { file: asset.file, filename: asset.filename, sha256: asset.sha256, bytes: asset.bytes },
        details: [],
      });
      plan.steps.push({
        id: `${address}:upload`,
        address,
        description: `upload ${asset.file} as image ${asset.filename} (${Math.ceil(asset.bytes / 1024)} KB)`,
        request: requests.uploadImage(asset),
        produces: { ref, from: "media_id" },
      });
    }
    plan.facts = { assetIds };
    append(plan.steps, pruneSteps(desired, live, images, wanted, plan));
    return plan;
  },

  fingerprint(live) {
    // By media_id: two uploads of one asset share its name.
    return Object.fromEntries(
      (live.materials ?? [])
        .filter((material) => UPLOADED_NAME.test(material.name))
        .map((material) => [addressOf("asset", material.media_id), { name: material.name }]),
    );
  },

  // An upload is sent again only when no image has its content-hashed name: one that has it is the upload.
  async confirm(step, body, change, read) {
    const materials = await read.getMaterials();
    if (step.endpoint === "materialDelete") return materials.some((material) => material.media_id === body.media_id) ? NOT_APPLIED : APPLIED;
    const filename = (change?.after as { filename?: string } | null)?.filename;
    const uploaded = materials.find((material) => material.type === "image" && material.name === filename);
    return uploaded ? { applied: true, answer: { media_id: uploaded.media_id } } : NOT_APPLIED;
  },

  // Images wxconf uploaded that live menus use become assets again, when their bytes still match their name.
  async importRead(session, options) {
    if (!options.withAssets) return {};
    const menu = await session.menu();
    const used = new Set([...(menu.default ? [menu.default] : []), ...menu.conditional].flatMap((live) => mediaIdsOf(live.button)));
    if (used.size === 0) return {};
    const materials = await session.materials();
    // In the order the menus first use them (the account lists material in upload order, which parallel
    // uploads make arbitrary), so that the same account always imports as the same file.
    const order = [...used];
    const candidates = materials
      .filter((material) => material.type === "image" && used.has(material.media_id) && UPLOADED_NAME.test(material.name))
      .sort((a, b) => order.indexOf(a.media_id) - order.indexOf(b.media_id));
    const images = await Promise.all(candidates.map((material) => session.materialImage(material.media_id)));
    const assetImages = candidates.flatMap((material, index) => {
      const bytes = images[index] as Buffer;
      const [, name, hash] = UPLOADED_NAME.exec(material.name) as RegExpExecArray;
      return sha256(bytes).startsWith(hash as string) ? [{ name: name as string, filename: material.name, media_id: material.media_id, bytes }] : [];
    });
    return { assetImages };
  },

  toFile(live) {
    const images = live.assetImages ?? [];
    if (images.length === 0) return { notices: [] };
    const files = images.map((image) => ({ path: `assets/${image.name}${extname(image.filename)}`, bytes: image.bytes }));
    return {
      value: Object.fromEntries(images.map((image, index) => [image.name, { file: files[index]?.path }])),
      files,
      notices: [`wrote ${files.map((file) => file.path).join(", ")}: images wxconf uploaded that the menus use, now assets`],
    };
  },

  async outputs(desired, session) {
    const assets = desired.assets ?? [];
    if (assets.length === 0) return [];
    const materials = await session.materials();
    const values: Record<string, Json> = {};
    const missing: string[] = [];
    for (const asset of assets) {
      const uploaded = materials.find((material) => material.name === asset.filename);
      if (uploaded) values[asset.name] = uploaded.media_id;
      else missing.push(asset.name);
    }
    if (missing.length > 0) throw new Error(`asset(s) ${missing.join(", ")} are not uploaded in their current version: run 'wxconf apply' first`);
    return [{ name: "assets", envPrefix: "WXCONF_ASSET_", values }];
  },
});

/**
 * Earlier uploads (names with wxconf's hash) the file no longer uses: listed as not managed, or deleted
 * with prune.assets and --allow-destroy, after the menus that used them are replaced, and never while a
 * menu the file does not manage uses them. Material wxconf did not upload is never touched.
 */
/** Images uploaded under an asset's name beyond the first: two applies at once each uploaded it. */
function twinsOf(desired: DesiredState, materials: readonly ApiMaterial[]): ApiMaterial[] {
  const names = new Set((desired.assets ?? []).map((asset) => asset.filename));
  const seen = new Set<string>();
  return materials.filter((material) => {
    if (material.type !== "image" || !names.has(material.name)) return false;
    const before = seen.size;
    return seen.add(material.name).size === before;
  });
}

/**
 * A second upload of an asset's bytes (two applies at once) is deleted whatever prune says, as a duplicate
 * template is, so that each asset is one image; after the menus stop using it, unless a menu the file does
 * not manage (or names by id) uses it.
 */
function twinSteps(twin: ApiMaterial, of: string, desired: DesiredState, live: LiveState, plan: KindPlan): StepDraft[] {
  const address = addressOf("asset", twin.media_id);
  const after = deletableAfter(twin.media_id, desired, live);
  if (!after) {
    plan.unmanaged.push({
      address,
      kind: "asset",
      note: `a second upload of ${twin.name} (${twin.media_id}) that a menu this file does not manage uses, or that the file names by id: kept`,
    });
    return [];
  }
  plan.changes.push({
    address,
    kind: "asset",
    name: twin.name,
    actions: ["delete"],
    reason_code: "asset_duplicate",
    reason_args: { of, filename: twin.name },
    before: { media_id: twin.media_id, name: twin.name },
    after: null,
    details: [],
  });
  return [
    {
      id: `${address}:delete`,
      ...(after.length > 0 && { after }),
      removes: true,
      address,
      description: `delete duplicate material ${twin.name} (${twin.media_id})`,
      request: requests.deleteMaterial(twin.media_id),
    },
  ];
}

function pruneSteps(desired: DesiredState, live: LiveState, images: readonly ApiMaterial[], wanted: ReadonlySet<string>, plan: KindPlan): StepDraft[] {
  const steps: StepDraft[] = [];
  for (const material of images) {
    if (wanted.has(material.name) || !UPLOADED_NAME.test(material.name)) continue;
    const address = addressOf("asset", material.name);
    const after = desired.prune.assets ? deletableAfter(material.media_id, desired, live) : undefined;
    if (!after) {
      plan.unmanaged.push({
        address,
        kind: "asset",
        note: desired.prune.assets
          ? `an earlier upload (${material.media_id}) that a menu this file does not manage still uses, or that the file names by id: kept`
          : `an earlier upload (${material.media_id}) no asset of the file uses (set prune.assets to delete it)`,
      });
      continue;
    }
    plan.changes.push({
      address,
      kind: "asset",
      name: material.name,
      actions: ["delete"],
      reason_code: "asset_pruned",
      before: { media_id: material.media_id, name: material.name },
      after: null,
      details: [],
    });
    plan.safety.push({
      rule: "asset_delete",
      address,
      message: `deleting material ${material.name} (${material.media_id}) breaks any message or reply that still uses it`,
    });
    steps.push({
      id: `${address}:delete`,
      ...(after.length > 0 && { after }),
      removes: true,
      address,
      description: `delete material ${material.name} (${material.media_id})`,
      request: requests.deleteMaterial(material.media_id),
    });
  }
  return steps;
}
