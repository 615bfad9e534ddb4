// Bundles the compiled CLI (dist/cli/main.js) into dist/bin/ for a fast start:
// - wxconf.bundle.cjs: our code and the libraries every command may need, as one CommonJS script that
//   dist/bin/wxconf.cjs (from scripts/wxconf-bin.cjs) runs with V8's code cache. Modules a command does
//   not use are only initialised when imported, as before.
// - vendor/*.cjs: libraries only one rare path loads (undici for a proxy, the XML parser for `server
//   check`), in files of their own, so a start does not even read them.
// - a code cache made by running `plan` once against the emulator (which validates the file too), so the package
//   starts warm on the Node that built it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const VENDORED = ["undici", "fast-xml-parser"];
const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  minifyWhitespace: true,
  minifySyntax: true,
  // vm.Script has no loader for import(): every import() becomes a require.
  supported: { "dynamic-import": false },
};

// Files of an earlier build would otherwise stay beside the new ones (and in the package).
rmSync("dist/bin", { recursive: true, force: true });

await build({
  ...common,
  entryPoints: ["dist/cli/main.js"],
  outfile: "dist/bin/wxconf.bundle.cjs",
  // Our modules are ES modules; in a CommonJS bundle their import.meta.url is the bundle's.
  define: { "import.meta.url": "__wxconfBundleUrl" },
  banner: { js: "const __wxconfBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [
    {
      // commander requires child_process (and with it net, streams, dgram) at load, for subcommands that are
      // separate executables, which wxconf has none of: it gets the module on first use instead.
      name: "commander-lazy-child-process",
      setup(builder) {
        builder.onResolve({ filter: /^node:child_process$/ }, (args) =>
          /node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "lazy" } : undefined,
        );
        builder.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({
          contents: 'let loaded; module.exports = new Proxy({}, { get: (_, name) => (loaded ??= require("node:child_process"))[name] });',
          loader: "js",
        }));
      },
    },
    {
      name: "vendored",
      setup(builder) {
        const names = new RegExp(`^(${VENDORED.join("|")})$`);
        builder.onResolve({ filter: names }, (args) => ({ path: `./vendor/${args.path}.cjs`, external: true }));
      },
    },
  ],
});
for (const name of VENDORED) {
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: "." },
    outfile: `dist/bin/vendor/${name}.cjs`,
  });
}

// The entry's #! line is not JavaScript inside the function vm.Script wraps around the bundle.
const bundleText = readFileSync("dist/bin/wxconf.bundle.cjs", "utf8").replace(/^#!.*\n/, "");
writeFileSync("dist/bin/wxconf.bundle.cjs", bundleText);
// esbuild escapes non-ASCII characters, except in regular expression literals: the stub reads the bundle as
// latin1, three times faster than decoding UTF-8, which is right only while every byte is ASCII.
const nonAscii = bundleText.search(/[^\x00-\x7f]/);
if (nonAscii >= 0)
  throw new Error(`the bundle has a non-ASCII character near '${bundleText.slice(nonAscii - 40, nonAscii + 10)}': write it as \\uXXXX in the source`);
const hash = createHash("sha256").update(bundleText).digest("hex").slice(0, 16);
writeFileSync("dist/bin/wxconf.cjs", readFileSync("scripts/wxconf-bin.cjs", "utf8").replace("{{bundle-hash}}", hash));
// The entry is the package's bin: npx and npm link run it directly.
chmodSync("dist/bin/wxconf.cjs", 0o755);

// Warm the cache: the first run writes it at exit. Only speed depends on it (the first real run would
// write it), so a machine where the emulator cannot listen still builds.
const warm = spawnSync(process.execPath, ["scripts/warm-code-cache.mjs"], { stdio: "inherit" });
if (warm.status !== 0) process.stderr.write("warning: the code cache was not warmed; the first run of wxconf will make it\n");
