#!/usr/bin/env node
// wxconf's command: runs the bundle beside it with V8's code cache, so that a start skips compiling the
// code it ran last time. Node 22 does this itself (module.enableCompileCache); Node 20 needs vm.Script.
// scripts/bundle.mjs copies this file into dist/bin with the bundle's sha256 in the cache's name, so a
// cache can only ever be used with the bundle it was made from (V8 itself checks only the length). A cache V8 rejects (another Node, other
// V8 flags) costs a normal compile, after which this run's cache replaces it if the folder is writable.
"use strict";
const { readFileSync, renameSync, writeFileSync } = require("node:fs");
const { createRequire, wrap } = require("node:module");
const { join } = require("node:path");
const { Script } = require("node:vm");

const bundle = join(__dirname, "wxconf.bundle.cjs");
const cacheFile = join(__dirname, "wxconf.bundle.{{bundle-hash}}.cache");

let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // No cache yet: this run makes it.
}
// The bundle is ASCII (scripts/bundle.mjs checks): latin1 reads it without decoding UTF-8.
const script = new Script(wrap(readFileSync(bundle, "latin1")), { filename: bundle, cachedData });
const fresh = cachedData === undefined || script.cachedDataRejected;
if (fresh) process.once("exit", () => saveCache(script));
if (process.env.WXCONF_DEBUG) {
  const state = cachedData === undefined ? "none yet, compiled" : script.cachedDataRejected ? "rejected by V8, compiled" : "used";
  process.stderr.write(`[wxconf] code cache: ${state}\n`);
}

const module_ = { exports: {} };
script.runInThisContext()(module_.exports, createRequire(bundle), module_, bundle, __dirname);

/** At exit, so that the cache holds every function this run compiled; a temporary name, then rename. */
function saveCache(compiled) {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, compiled.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only install runs without a cache; nothing is lost but time.
  }
}
