/** `gretool fields`: the glossary in tshark -G fields layout, --json, prefix filter, exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gretool, haveTool, run } from '../helpers/cli.js';

test('text glossary: tshark -G fields layout', () => {
  const r = gretool(['fields']);
  assert.equal(r.status, 0, r.stderr);
  // (only the final newline: a last field without description ends in a tab)
  const lines = r.stdout.replace(/\n$/, '').split('\n');
  assert.ok(lines.length > 10);
  for (const l of lines) {
    const cols = l.split('\t');
    if (cols[0] === 'P') assert.equal(cols.length, 3, l);
    else {
      assert.equal(cols[0], 'F', l);
      assert.equal(cols.length, 8, l);
      assert.match(cols[3]!, /^FT_[A-Z0-9v_]+$/, l);
      assert.match(cols[6]!, /^0x[0-9a-f]+$/, l);
    }
  }
  assert.ok(lines.includes('P\tFrame\tframe'));
  assert.ok(lines.some((l) => l.startsWith('F\tFrame Number\tframe.number\tFT_UINT32\tframe\tBASE_DEC\t0x0\t')));
});

/** Known type differences (reported as diagnostics), with the reason. */
const KNOWN_TYPES: Record<string, string> = {
  'frame.time_epoch': 'tshark 4.0 declares it FT_RELATIVE_TIME (seconds since the epoch); gretool\'s frame dissector declares abs_time',
};

test('field types agree with tshark -G fields for the fields both have', { skip: !haveTool('tshark') && 'tshark not installed' }, (ctx) => {
  const theirs = new Map<string, string[]>();
  for (const l of run('tshark', ['-G', 'fields']).stdout.split('\n')) {
    const c = l.split('\t');
    if (c[0] === 'F') theirs.set(c[2]!, c);
  }
  const mismatches: string[] = [];
  for (const l of gretool(['fields']).stdout.trimEnd().split('\n')) {
    const c = l.split('\t');
    if (c[0] !== 'F') continue;
    const t = theirs.get(c[2]!);
    if (!t) continue;
    // types must agree for values to print (and filter) alike; names are informative
    if (c[3] === t[3]) continue;
    if (KNOWN_TYPES[c[2]!]) ctx.diagnostic(`known: ${c[2]}: ${c[3]} vs tshark ${t[3]}: ${KNOWN_TYPES[c[2]!]}`);
    else mismatches.push(`${c[2]}: type ${c[3]} vs tshark ${t[3]}`);
  }
  assert.deepEqual(mismatches, []);
});

test('prefix filter and --json', () => {
  const r = gretool(['fields', 'frame', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { kind: string; abbrev: string; type: string; wireshark: boolean }[];
  assert.ok(list.length > 3);
  for (const e of list) assert.ok(e.abbrev === 'frame' || e.abbrev.startsWith('frame.'), e.abbrev);
  assert.equal(list[0]!.kind, 'protocol');
  const num = list.find((e) => e.abbrev === 'frame.number')!;
  assert.equal(num.type, 'FT_UINT32');
  assert.equal(num.wireshark, true);
  const text = gretool(['fields', 'frame.time']).stdout;
  assert.ok(text.split('\n').filter(Boolean).every((l) => l.split('\t')[2]!.startsWith('frame.time')));
});

test('unknown prefix exits 2 with close names', () => {
  const r = gretool(['fields', 'frame.numbr']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no field starts with "frame\.numbr".*frame\.number/);
  assert.equal(r.stdout, '');
});
