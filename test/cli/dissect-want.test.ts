/**
 * `gretool dissect` materialises only what its output shows (want masks, columns off, -Y first
 * with the filter's fields, matching frames dissected again for the output). Whatever it skips,
 * the output must be the full run's output restricted to the frames the filter selects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { gretool, rel } from '../helpers/cli.js';
import { dissectCapture } from '../../src/output/dissect.js';
import { compileFilter } from '../../src/filter/index.js';
import '../../src/sessions/fields.js';

const CAPTURES = [rel('test', 'fixtures', 'output', 'varied.pcap'), rel('samples', 'mixed.pcap')].filter((p) => existsSync(p));
const ENV = { TZ: 'UTC' };

function ok(args: string[]): string {
  const r = gretool(args, { env: ENV });
  assert.equal(r.stderr, '', `stderr of gretool ${args.join(' ')}`);
  assert.equal(r.status, 0, `exit status of gretool ${args.join(' ')}`);
  return r.stdout;
}

const FILTERS = ['gre.key', 'mipv6 || pmip6.tlv', 'ip.src#2 == 10.0.0.7', 'udp.checksum.status == 1', '!gre && frame.len > 80', 'mip6.gre_key || gretool.mip6.csum.status == 1'];
const FIELDS = ['-e', 'frame.number', '-e', 'gre.key', '-e', 'mip6.gre_key', '-e', 'ip.src', '-e', 'udp.checksum.status', '-e', 'frame.protocols'];

/** Frame numbers a filter selects, evaluated in-process on whole trees (a filter object without `fields`). */
/**
 * frame.time_delta_displayed is the one field that depends on what else is displayed (the
 * previous displayed frame): left out when a filtered run is compared with the full run.
 */
const DISPLAYED = /\n {4}\[Time delta from previous displayed frame: [^\]]*\]/g;
function withoutDisplayedDelta(frames: unknown[]): unknown[] {
  return JSON.parse(JSON.stringify(frames).replace(/"frame\.time_delta_displayed":"[^"]*",?/g, '')) as unknown[];
}

async function selected(file: string, filter: string): Promise<Set<number>> {
  const f = compileFilter(filter);
  const out = new Set<number>();
  await dissectCapture(file, (fr) => void out.add(fr.number), { filter: { matches: (p) => f.matches(p) } });
  return out;
}

for (const file of CAPTURES) {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const summary = ok(['dissect', file]).split('\n').filter(Boolean);
  const fields = ok(['dissect', file, '-T', 'fields', ...FIELDS]).split('\n').filter(Boolean);
  const json = JSON.parse(ok(['dissect', file, '-T', 'json'])) as unknown[];

  test(`${name}: -T fields gives the full tree's values`, () => {
    // every -e field alone, and all together, from the same run
    const lines = ok(['dissect', file, '-T', 'fields', '-e', 'frame.number', ...FIELDS]).split('\n').filter(Boolean);
    assert.deepEqual(lines.map((l) => l.split('\t').slice(1).join('\t')), fields);
    const texts = JSON.stringify(json);
    for (const l of fields) for (const v of l.split('\t').slice(1, 4)) if (v) for (const x of v.split(',')) assert.ok(texts.includes(x), `${x} in the full tree`);
  });

  for (const filter of FILTERS) {
    test(`${name}: -Y '${filter}' prints the full run's output of the matching frames`, async () => {
      const sel = await selected(file, filter);
      assert.ok(sel.size > 0 || filter.startsWith('ip.src#2'), `${filter} selects something`);
      const num = (line: string) => Number(line.trim().split(/\s+/)[0]);
      assert.deepEqual(ok(['dissect', file, '-Y', filter]).split('\n').filter(Boolean), summary.filter((l) => sel.has(num(l))));
      assert.deepEqual(ok(['dissect', file, '-Y', filter, '-T', 'fields', ...FIELDS]).split('\n').filter(Boolean), fields.filter((l) => sel.has(num(l))));
      const j = JSON.parse(ok(['dissect', file, '-Y', filter, '-T', 'json'])) as unknown[];
      assert.deepEqual(withoutDisplayedDelta(j), withoutDisplayedDelta(json.filter((_, i) => sel.has(i + 1))));
    });
  }

  test(`${name}: -V -Y gives the full tree of the matching frames`, async () => {
    const split = (s: string) => s.replace(DISPLAYED, '').split(/\n(?=Frame \d+: )/).map((b) => b.trimEnd()).filter(Boolean);
    const full = split(ok(['dissect', file, '-V']));
    const sel = await selected(file, 'gre || mipv6');
    assert.deepEqual(split(ok(['dissect', file, '-V', '-Y', 'gre || mipv6'])), full.filter((_, i) => sel.has(i + 1)));
  });
}
