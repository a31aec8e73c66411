/**
 * Build step after tsc (`npm run build`): bundles the CLI into one CommonJS file,
 * dist/gretool.cjs, and records its V8 code cache, dist/gretool.cjs.cache, by running the CLI
 * once over a sample capture. bin/gretool.js runs the bundle with that cache: Node then neither
 * resolves and reads the CLI's hundred-odd modules one by one nor compiles the functions the
 * cache holds, which is most of gretool's start-up time (README, "Start-up").
 *
 * The bundle is made from the tsc output (dist/src), so it is the code the tests check. Each
 * module's `import.meta.url` is rewritten to the URL the module has in dist/src, resolved at run
 * time from the bundle's own directory: worker threads (dissect -j, lint of several files) load
 * their modules from there, and the built-in scenarios are found from there.
 *
 *   node dist/scripts/bundle.js
 */
import { build, type Plugin } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = join(ROOT, 'dist');
export const BUNDLE = join(DIST, 'gretool.cjs');
export const CODE_CACHE = BUNDLE + '.cache';

/** Replaces `import.meta.url` in the modules of dist/ by their URL, computed from the bundle's __dirname. */
const moduleUrls: Plugin = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(DIST + sep)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(DIST, args.path).split(sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `__gretoolModuleUrl(${JSON.stringify(rel)})`), loader: 'js' };
    });
  },
};

/** What the CLI runs over for the code cache: the commands and their common options, on a sample capture. */
function trainingRuns(): string[][] {
  const sample = join(ROOT, 'samples', 'mixed.pcap');
  return [
    ['dissect', sample],
    ['dissect', '-V', '-x', sample],
    ['dissect', '-T', 'fields', '-e', 'frame.number', '-e', 'gre.key', '-e', 'mip6.gre_key', '-Y', 'gre || mipv6', sample],
    ['dissect', '-T', 'json', '-c', '20', sample],
    ['sessions', sample],
    ['lint', sample],
    ['info', sample],
  ];
}

export async function bundle(): Promise<void> {
  rmSync(CODE_CACHE, { force: true });
  await build({
    entryPoints: [join(DIST, 'src', 'cli', 'main.js')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
    plugins: [moduleUrls],
    banner: {
      js:
        '"use strict";\n' +
        'function __gretoolModuleUrl(rel) { return require("node:url").pathToFileURL(require("node:path").join(__dirname, rel)).href; }',
    },
  });
  // the code cache: the launcher writes it after running the CLI over the training runs
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'gretool.js')], {
    env: { ...process.env, GRETOOL_CODE_CACHE_TRAIN: JSON.stringify(trainingRuns()) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0 || !existsSync(CODE_CACHE)) throw new Error(`bundle: the code cache was not written (training exited ${r.status})`);
  const kb = (f: string) => (statSync(f).size / 1024).toFixed(0);
  console.log(`bundle: ${relative(ROOT, BUNDLE)} (${kb(BUNDLE)} KB), code cache ${kb(CODE_CACHE)} KB`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  bundle().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
