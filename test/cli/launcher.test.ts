/**
 * bin/gretool.js runs the CLI bundle (dist/gretool.cjs, scripts/bundle.ts) with its V8 code
 * cache, and the CLI modules of dist/src when there is no bundle. Every CLI test goes through
 * the bundle; these check that it is the bundle that runs, that its cache is accepted (else
 * start-up silently loses what the bundle is for), and that both ways print the same bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, symlinkSync, utimesSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, ROOT, SAMPLES, gretool, tempDir } from '../helpers/cli.js';

const trace = { GRETOOL_LAUNCH_TRACE: '1' };

test('the launcher runs the bundle with its code cache', () => {
  const r = gretool(['--version'], { env: trace });
  assert.equal(r.status, 0);
  assert.match(r.stderr, /^gretool: launch: bundle, code cache used$/m);
});

/**
 * A copy of the package without the bundle: bin/ and package.json copied, dist/src,
 * node_modules and scenarios linked. Returns the path of its bin/gretool.js.
 */
function withoutBundle(): string {
  const dir = tempDir('gretool-nobundle-');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(BIN, join(dir, 'bin', 'gretool.js'));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'dist', 'src'), join(dir, 'dist', 'src'), 'dir');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  symlinkSync(join(ROOT, 'scenarios'), join(dir, 'scenarios'), 'dir');
  return join(dir, 'bin', 'gretool.js');
}

test('without the bundle the launcher runs the modules, with the same output', () => {
  const bin = withoutBundle();
  const modules = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...trace, NO_COLOR: '1' }, maxBuffer: 1 << 28 });
  const sample = join(SAMPLES, 'mixed.pcap');
  const runs = [
    ['dissect', '-V', '-x', sample],
    ['dissect', '-T', 'fields', '-e', 'frame.number', '-e', 'gre.key', '-e', 'gretool.session', sample],
    ['dissect', '-j', '2', '-T', 'json', sample],
    ['sessions', '--format', 'json', sample],
    ['lint', sample, join(SAMPLES, 'status-3.pcap')],
    ['generate', '--list'],
  ];
  for (const args of runs) {
    const a = gretool(args, { env: trace });
    const b = modules(args);
    assert.match(a.stderr, /^gretool: launch: bundle, code cache used$/m, args.join(' '));
    assert.match(b.stderr.toString(), /^gretool: launch: modules \(no bundle\)$/m, args.join(' '));
    assert.equal(a.status, b.status, args.join(' '));
    assert.ok(a.stdoutBytes.length > 100, args.join(' '));
    assert.ok(a.stdoutBytes.equals(b.stdout), `${args.join(' ')}: the bundle and the modules print different output`);
  }
});

test('a bundle older than dist/src (a tsc-only build since) is not run', () => {
  const bin = withoutBundle();
  const dist = join(bin, '..', '..', 'dist');
  copyFileSync(join(ROOT, 'dist', 'gretool.cjs'), join(dist, 'gretool.cjs'));
  copyFileSync(join(ROOT, 'dist', 'gretool.cjs.cache'), join(dist, 'gretool.cjs.cache'));
  const launch = () => spawnSync(process.execPath, [bin, '--version'], { env: { ...process.env, ...trace } });
  const fresh = launch();
  assert.equal(fresh.status, 0);
  assert.match(fresh.stderr.toString(), /^gretool: launch: bundle, code cache used$/m);
  utimesSync(join(dist, 'gretool.cjs'), new Date(2000, 0, 1), new Date(2000, 0, 1));
  const stale = launch();
  assert.equal(stale.status, 0);
  assert.match(stale.stderr.toString(), /^gretool: launch: modules \(the bundle is older than dist\/src\)$/m);
  assert.equal(stale.stdout.toString(), fresh.stdout.toString());
});
