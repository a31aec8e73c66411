/**
 * Golden files: expected outputs kept in test/golden/<area>/, compared byte for byte. With
 * UPDATE_GOLDEN=1 the test writes them instead; read the diff before committing it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/** Compares `actual` with test/golden/<area>/<name> (or rewrites it under UPDATE_GOLDEN=1). */
export function matchGolden(area: string, name: string, actual: string): void {
  const dir = join(ROOT, 'test', 'golden', area);
  const path = join(dir, name);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `missing golden file ${path} (run with UPDATE_GOLDEN=1)`);
  assert.equal(actual, readFileSync(path, 'utf8'), `${area}/${name} differs from the golden file (UPDATE_GOLDEN=1 regenerates it)`);
}
