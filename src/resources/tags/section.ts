// The `tags` section: user tags by name, their previous names (renames) and, optionally, their members.
import { problemAt, type RuleProblem } from "../../config/issues.js";
import { asArray, asObject, asString, type Loose } from "../../config/loose.js";
import { checkTagName, TAG_LIMITS, type RulePath } from "../../wechat/rules.js";
import { memberIndex } from "./member-index.js";

export interface DesiredTag {
  name: string;
  previously: string[];
  /** Exact membership; undefined when the file does not manage it. */
  members?: string[];
}

declare module "../kind.js" {
  interface DesiredSections {
    tags?: DesiredTag[];
  }
}

export function checkTags(file: Readonly<Loose>): RuleProblem[] {
  const list = asArray(file.tags);
  const problems: RuleProblem[] = [];
  if (list.length > TAG_LIMITS.maxTags) {
    problems.push(problemAt(["tags"], `${list.length} tags are listed, WeChat allows ${TAG_LIMITS.maxTags} per account`));
  }
  const seen = new Map<string, string>();
  const claim = (name: string, path: RulePath, what: string) => {
    const earlier = seen.get(name);
    if (earlier) problems.push(problemAt(path, `tag name '${name}' is used twice: ${what}, and ${earlier}`));
    else seen.set(name, what);
  };
  list.forEach((tag, index) => {
    const fields = asObject(tag);
    const name = asString(fields?.name);
    if (name === undefined) return;
    const invalid = checkTagName(name);
    if (invalid) problems.push(problemAt(["tags", index, "name"], invalid.message));
    claim(name, ["tags", index, "name"], `the name of tag ${index + 1}`);
    asArray(fields?.previously).forEach((previous, previousIndex) => {
      if (typeof previous === "string") claim(previous, ["tags", index, "previously", previousIndex], `a previous name of '${name}'`);
    });
    const members = asArray(fields?.members);
    for (const position of memberIndex(members).duplicates) {
      problems.push(problemAt(["tags", index, "members", position], `follower ${String(members[position])} is listed twice in '${name}'`));
    }
  });
  return problems;
}

export function tagsFromFile(file: Readonly<Loose>): { tags?: DesiredTag[] } {
  const tags = file.tags as Array<{ name: string; previously?: string[]; members?: string[] }> | undefined;
  if (!tags) return {};
  return { tags: tags.map((tag) => ({ name: tag.name, previously: tag.previously ?? [], ...(tag.members !== undefined && { members: tag.members }) })) };
}
