// `media: NAME` in a button: a media_id button whose material is one of the file's assets. Validate checks
// the name; the plan gives the button the asset's media_id, or, for an asset this plan uploads, the value
// known after apply (and the upload as a step to come after).
import { problemAt, type RuleProblem } from "../../config/issues.js";
import { asArray, asObject, asString, type Loose } from "../../config/loose.js";
import { deferred } from "../../wechat/requests.js";
import type { RulePath } from "../../wechat/rules.js";
import type { MenuButton } from "../../wechat/types.js";
import { cleanButtons } from "../../wechat/normalize.js";
import { ASSET_PREVIEW_PREFIX } from "../../wechat/display.js";
import { addressOf, type DesiredState, type LiveState, type PlanFacts } from "../kind.js";

/** A button as the file may write it. */
type FileButton = MenuButton & { media?: string; sub_button?: FileButton[] };

const MEDIA_TYPES = ["media_id", "view_limited"];

/**
 * The buttons as WeChat's rules see them (an asset stands in for media_id), and the file's own problems
 * with `media`: a name no asset has, a type that takes no material, media beside media_id.
 */
export function checkMedia(file: Readonly<Loose>, buttons: unknown, path: RulePath): { buttons: unknown[]; problems: RuleProblem[] } {
  const assets = asObject(file.assets) ?? {};
  const problems: RuleProblem[] = [];
  const visit = (list: unknown, at: RulePath): unknown[] =>
    asArray(list).map((raw, index) => {
      const button = asObject(raw);
      if (!button) return raw;
      const here: RulePath = [...at, index];
      const children = button.sub_button === undefined ? {} : { sub_button: visit(button.sub_button, [...here, "sub_button"]) };
      const media = asString(button.media);
      if (button.media === undefined) return { ...button, ...children };
      if (media === undefined || !(media in assets))
        problems.push(problemAt([...here, "media"], `media '${String(button.media)}' is not an asset of this file (declare it under assets:)`));
      if (!MEDIA_TYPES.includes(String(button.type)))
        problems.push(problemAt([...here, "media"], `media is for buttons of type ${MEDIA_TYPES.join(" or ")}, not ${String(button.type)}`));
      if (button.media_id !== undefined) problems.push(problemAt([...here, "media"], "a button takes media (an asset) or media_id, not both"));
      const { media: _media, ...rest } = button;
      return { ...rest, media_id: `asset ${String(button.media)}`, ...children };
    });
  const checked = visit(buttons, path);
  return { buttons: checked, problems };
}

/** The buttons with each `media` replaced by the asset's media_id, and the uploads they wait for. */
export function bindMedia(buttons: readonly MenuButton[], facts: PlanFacts): { buttons: MenuButton[]; after: string[] } {
  const after: string[] = [];
  const bind = (list: readonly FileButton[]): MenuButton[] =>
    list.map(({ media, ...button }) => {
      const bound: MenuButton = { ...button, ...(button.sub_button && { sub_button: bind(button.sub_button) }) };
      if (media === undefined) return bound;
      const id = facts.assetIds?.get(media);
      if (id === undefined) return bound;
      if (typeof id === "string") return { ...bound, media_id: id };
      after.push(`${addressOf("asset", media)}:upload`);
      return { ...bound, media_id: deferred(id.$ref) };
    });
  return { buttons: bind(buttons), after };
}

/** For import: buttons whose media_id is an image import wrote as an asset name it (`media: banner`). */
export function withAssetNames(buttons: readonly MenuButton[], live: LiveState, exported: Readonly<Record<string, unknown>>): FileButton[] {
  const written = asObject(exported.assets) ?? {};
  const names = new Map((live.assetImages ?? []).filter((image) => image.name in written).map((image) => [image.media_id, image.name]));
  const rename = (list: readonly MenuButton[]): FileButton[] =>
    list.map(({ media_id, sub_button, ...button }) => {
      const media = media_id === undefined ? undefined : names.get(media_id);
      return {
        ...button,
        ...(media_id !== undefined && (media === undefined ? { media_id } : { media })),
        ...(sub_button && { sub_button: rename(sub_button) }),
      };
    });
  return rename(buttons);
}

/** For `wxconf preview`: buttons with `media` carry the asset's name as their media_id (`asset:banner`). */
export function previewButtons(buttons: readonly MenuButton[], desired: DesiredState): MenuButton[] {
  const assetIds = new Map((desired.assets ?? []).map((asset) => [asset.name, `${ASSET_PREVIEW_PREFIX}${asset.name}`]));
  return cleanButtons(bindMedia(buttons, { assetIds }).buttons);
}
