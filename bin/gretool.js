#!/usr/bin/env node
// Launcher. Runs the CLI bundle dist/gretool.cjs with its V8 code cache (both made by
// `npm run build`, scripts/bundle.ts), which saves most of the start-up's module loading and
// compiling; without the bundle, or when dist/src was rebuilt after it (a tsc-only build), runs
// the CLI modules in dist/src. The CLI lives in src/cli.
//
// GRETOOL_LAUNCH_TRACE=1 says on stderr which of the two ran and whether the cache was used.
// GRETOOL_CODE_CACHE_TRAIN='[[args…], …]' (the build's training run) runs the CLI over each
// argument list in turn, then writes the code cache.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/gretool.cjs', import.meta.url));
const modulesMain = new URL('../dist/src/cli/main.js', import.meta.url);
const cacheFile = bundle + '.cache';
const trace = process.env.GRETOOL_LAUNCH_TRACE === '1';
const training = process.env.GRETOOL_CODE_CACHE_TRAIN;

/** Modification time in ms, or -1 when the file is missing. */
function mtime(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
}

async function loadMain() {
  const made = mtime(bundle);
  if (made < 0 || made < mtime(fileURLToPath(modulesMain))) {
    if (trace) process.stderr.write(`gretool: launch: modules (${made < 0 ? 'no bundle' : 'the bundle is older than dist/src'})\n`);
    return { main: (await import(modulesMain.href)).main, script: null };
  }
  let cachedData;
  if (training === undefined) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined; // no cache: compile as usual
    }
  }
  const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  if (trace) {
    const cache = cachedData === undefined ? 'no code cache' : script.cachedDataRejected ? 'code cache rejected' : 'code cache used';
    process.stderr.write(`gretool: launch: bundle, ${cache}\n`);
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return { main: module.exports.main, script };
}

const { main, script } = await loadMain();
if (training !== undefined) {
  if (script === null) throw new Error('GRETOOL_CODE_CACHE_TRAIN: no up-to-date bundle to train (run the build)');
  for (const args of JSON.parse(training)) await main(['node', 'gretool', ...args]);
  writeFileSync(cacheFile, script.createCachedData());
  process.exitCode = 0;
} else {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
