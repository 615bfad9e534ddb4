// Menu previews: SVG pictures of each menu as followers see it, names WeChat cuts marked, and a compact
// text preview in the markdown plan.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computePlan } from "../src/plan/build.js";
import { renderPlanMarkdown } from "../src/render/markdown.js";
import { displayWidth, shownName, svgPreview, textPreview } from "../src/render/menu-preview.js";
import { configOf, yamlFile } from "./helpers/account.js";
import { runCli, workdir } from "./helpers/cli.js";

const FILE = `menu:
  button:
    - { name: 会员中心服, type: click, key: A }
    - name: R&D<团>
      sub_button:
        - { name: 官网, type: view, url: "https://example.com/" }
        - { name: 这是一个非常长的子菜单名称啊, type: click, key: B }
conditional_menus:
  - { name: ios, matchrule: { client_platform_type: 1 }, button: [{ name: 苹果, type: click, key: I }] }
`;

describe("display widths", () => {
  it("counts a Chinese character as two columns and cuts with an ellipsis", () => {
    expect(displayWidth("今日歌曲")).toBe(8);
    expect(displayWidth("Menu")).toBe(4);
    expect(shownName("今日歌曲", 8)).toEqual({ text: "今日歌曲", cut: false });
    expect(shownName("会员中心服", 8)).toEqual({ text: "会员中…", cut: true });
  });
});

describe("wxconf preview", () => {
  it("draws one SVG per menu, escapes names, marks cut ones in red and names them", async () => {
    const dir = workdir({ "wxconf.yaml": yamlFile(FILE) });
    const result = await runCli(["preview", "-o", "pictures"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").filter(Boolean)).toEqual(["pictures/menu.default.svg", "pictures/conditional_menu.ios.svg"]);
    expect(readdirSync(join(dir, "pictures")).sort()).toEqual(["conditional_menu.ios.svg", "menu.default.svg"]);
    expect(result.stderr).toContain("menu.default: '会员中心服' is longer than WeChat shows; followers see '会员中…'");
    expect(result.stderr).toContain("'R&D<团> > 这是一个非常长的子菜单名称啊' is longer than WeChat shows; followers see '这是一个非常长…'");

    const svg = readFileSync(join(dir, "pictures", "menu.default.svg"), "utf8");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("≡ R&amp;D&lt;团&gt;");
    expect(svg).not.toMatch(/<团>/);
    expect(svg).toContain('fill="#d93025">会员中…</text>');
    // Every element opened is closed: a picture viewers can open.
    const opened = (svg.match(/<(?!\/)[a-z]+[^>]*[^/]>/g) ?? []).length;
    const closed = (svg.match(/<\/[a-z]+>/g) ?? []).length;
    expect(opened).toBe(closed);
  });

  it("draws every sub-menu open above its button", () => {
    const svg = svgPreview(
      [
        {
          name: "服务",
          sub_button: [
            { name: "一", type: "click", key: "1" },
            { name: "二", type: "click", key: "2" },
          ],
        },
      ],
      "menu.default",
    );
    expect(svg.match(/<rect x="6" /g)).toHaveLength(1);
    expect(svg).toContain(">一</text>");
    expect(svg).toContain(">二</text>");
  });
});

describe("the markdown plan", () => {
  it("shows each changed menu as followers will see it", () => {
    const plan = computePlan("wxconf.yaml", configOf(FILE).desired, { menu: { default: null, conditional: [] } });
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).toContain("menu.default, as followers will see it:\n```text\n[ 会员中… | ≡ R&D<团> ]\n  ≡ R&D<团>: 官网 · 这是一个非常长…\n");
    expect(markdown).toContain("  ! '会员中心服' is longer than WeChat shows: followers see '会员中…'");
    expect(markdown).toContain("conditional_menu.ios, as followers will see it:\n```text\n[ 苹果 ]\n```");
    expect(textPreview([{ name: "a", type: "click", key: "A" }])).toBe("[ a ]");
  });
});
