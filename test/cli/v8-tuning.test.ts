/**
 * The V8 tuning of `sessions` and `lint` (src/cli/v8-tuning.ts): the pass's result and errors
 * pass through, and V8's flags are the defaults again after it, which a code cache checks (the
 * build's training run writes the CLI's cache after running both commands in one process).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tuningApplies, withCorrelationTuning } from '../../src/cli/v8-tuning.js';
import { ROOT } from '../helpers/cli.js';

const DIST_SRC = join(ROOT, 'dist', 'src');

test('withCorrelationTuning returns what the pass returns and rethrows what it throws', async () => {
  assert.equal(await withCorrelationTuning(async () => 42), 42);
  await assert.rejects(
    withCorrelationTuning(async () => {
      throw new Error('pass failed');
    }),
    /pass failed/,
  );
});

test('the tuning applies on the V8 of Node 20, where it was measured', () => {
  assert.equal(tuningApplies(), process.versions.v8.startsWith('11.3.'));
  if (process.versions.node.startsWith('20.')) assert.equal(tuningApplies(), true);
});

/**
 * In a child process: V8 keeps compiled scripts in a per-process table that would answer a
 * second compile of the same source without looking at the cache at all.
 */
function cacheCheck(phase: 'during' | 'after'): boolean {
  const probe = `
    import { Script } from 'node:vm';
    import { withCorrelationTuning } from ${JSON.stringify(pathToFileURL(join(DIST_SRC, 'cli', 'v8-tuning.js')).href)};
    const source = 'function f(x) { return x + 1; } f(1);';
    if (process.argv[1] === 'make') {
      const s = new Script(source, { filename: 'probe.js' });
      s.runInThisContext();
      process.stdout.write(Buffer.from(s.createCachedData()).toString('base64'));
    } else {
      const cachedData = Buffer.from(process.argv[2], 'base64');
      const compile = () => new Script(source, { filename: 'probe.js', cachedData }).cachedDataRejected;
      let rejected;
      if (process.argv[1] === 'during') await withCorrelationTuning(async () => { rejected = compile(); });
      else {
        await withCorrelationTuning(async () => undefined);
        await withCorrelationTuning(async () => { throw new Error('x'); }).catch(() => undefined);
        rejected = compile();
      }
      process.stdout.write(String(rejected));
    }`;
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  return run([phase, run(['make'])]) === 'true';
}

test('V8 is back to its defaults after a tuned pass, also after a failed one: a code cache made before is accepted', () => {
  assert.equal(cacheCheck('after'), false);
  // while tuned the flags differ, and the cache is checked against them: what makes the restore matter
  if (tuningApplies()) assert.equal(cacheCheck('during'), true);
});
