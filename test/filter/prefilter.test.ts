/**
 * The literal prefilter (src/filter/prefilter.ts): which filters yield literals, that the fields
 * declared `wire` really carry their frame bytes as values (what makes the prefilter sound), and
 * that a run with the prefilter selects exactly the frames a run without it selects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileFilter, type DisplayFilter } from '../../src/filter/index.js';
import { dissectCapture } from '../../src/output/dissect.js';
import { allFields, typeWidth } from '../../src/engine/fields.js';
import { GENERATED, HAS_NUM, HAS_STR } from '../../src/engine/packet.js';
import { SAMPLES, gretool, tempDir } from '../helpers/cli.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const needles = (f: string): string[] | null => {
  const n = compileFilter(f).needles;
  return n === null || n === undefined ? null : n.map(hex);
};

test('literals of a filter: == and === on wire fields, sets, frame contains, and/or', () => {
  assert.deepEqual(needles('gre.key == 0x1001'), ['00001001']);
  assert.deepEqual(needles('gre.key === 4097'), ['00001001']);
  assert.deepEqual(needles('mip6.gre_key == 77'), ['0000004d']);
  assert.deepEqual(needles('gre.sequence_number eq 258'), ['00000102']);
  assert.deepEqual(needles('ip.src == 10.1.2.3'), ['0a010203']);
  assert.deepEqual(needles('ip.addr == 192.0.2.1/32'), ['c0000201']);
  assert.deepEqual(needles('ipv6.dst == 2001:db8::1'), ['20010db8000000000000000000000001']);
  assert.deepEqual(needles('eth.src == 00:11:22:33:44:55'), ['001122334455']);
  assert.deepEqual(needles('gre.key in {1, 2}'), ['00000001', '00000002']);
  assert.deepEqual(needles('frame contains "gretool"'), [hex(Buffer.from('gretool'))]);
  // and: either side's literals will do (the longer ones are kept)
  assert.deepEqual(needles('udp && gre.key == 5'), ['00000005']);
  assert.deepEqual(needles('gre.key == 5 && ipv6.src == ::1'), ['00000000000000000000000000000001']);
  // or: both sides must have literals
  assert.deepEqual(needles('gre.key == 5 || ip.dst == 10.0.0.1'), ['00000005', '0a000001']);
  assert.equal(needles('gre.key == 5 || udp'), null);
});

test('no literals where a match need not hold the constant bytes', () => {
  for (const f of [
    'gre.key != 5', // Wireshark 4.0: != is "all differ", true without the constant
    '!(gre.key == 5)',
    'gre.key > 5',
    'gre.key in {1, 2..3}',
    'ip.src == 10.0.0.0/8', // a prefix, not an address
    'ipv6.src == 2001:db8::/32',
    'udp.srcport == 5436', // two octets: not worth a search, and not declared wire
    'gre.flags.key == 1', // a flag bit under a mask
    'frame contains "ab"', // shorter than the minimum
    'eth.src[0:4] == 00:11:22:33', // a slice
    'len(gre.key) == 4',
    'gre',
    'mip6.bu.lifetime == 1000', // not declared wire (and two octets)
  ]) {
    assert.equal(needles(f), null, f);
  }
});

/** Captures to check against: the samples, and generated ones over every link type and transport. */
function captures(): string[] {
  const dir = tempDir('gretool-prefilter-');
  const out = readdirSync(SAMPLES).filter((f) => f.endsWith('.pcap')).map((f) => join(SAMPLES, f));
  const runs: [string, string[]][] = [
    ['mixed-eth.pcap', ['mixed', '--sessions', '40', '--packets', '3000', '--seed', '7']],
    ['mixed-raw.pcapng', ['mixed', '--sessions', '20', '--packets', '1500', '--seed', '8', '--link', 'raw', '--format', 'pcapng']],
    ['tlv-sll.pcap', ['ipv4-udp-tlv', '--link', 'sll', '--seed', '9']],
    ['faulty.pcap', ['initial-attach', '--fault', 'grekey-misaligned', '--fault', 'grekey-duplicate', '--seed', '10']],
  ];
  for (const [name, args] of runs) {
    const r = gretool(['generate', ...args, '-q', '-o', join(dir, name)]);
    assert.equal(r.status, 0, r.stderr);
    out.push(join(dir, name));
  }
  return out;
}
const CAPTURES = captures();

/** Every value every wire field takes in a capture, by field abbrev (hex of the bytes). */
async function wireValues(file: string): Promise<Map<string, Set<string>>> {
  const wire = allFields().filter((d) => d.wire);
  assert.ok(wire.length >= 10, 'wire fields are declared');
  const isWire = new Set(wire.map((d) => d.id));
  const seen = new Map<string, Set<string>>();
  await dissectCapture(file, (frame) => {
    const p = frame.packet;
    const t = p.tree;
    for (let i = 0; i < t.count; i++) {
      const fid = t.fid[i]!;
      if (!isWire.has(fid)) continue;
      const def = allFields()[fid]!;
      const where = `${def.abbrev} in frame ${frame.number} of ${file}`;
      // a value taken from the bytes: no stored number or string, not generated, full width
      assert.equal(t.flags[i]! & (HAS_NUM | HAS_STR | GENERATED), 0, where);
      const width = def.type === 'ipv4' ? 4 : def.type === 'ipv6' ? 16 : def.type === 'ether' ? 6 : typeWidth(def.type);
      assert.equal(t.len[i], width, where);
      assert.equal(def.mask, 0, where);
      const off = t.off[i]!;
      assert.ok(off >= 0 && off + width <= p.caplen, where);
      const bytes = p.data.subarray(p.base + off, p.base + off + width);
      let set = seen.get(def.abbrev);
      if (!set) seen.set(def.abbrev, (set = new Set()));
      set.add(hex(bytes));
    }
  });
  return seen;
}

/** Frame numbers selected, with the prefilter (as compiled) or without it (needles removed). */
async function select(file: string, f: DisplayFilter, prefilter: boolean): Promise<number[]> {
  const filter = prefilter ? f : { matches: f.matches, fields: f.fields, needles: null };
  const got: number[] = [];
  await dissectCapture(file, (frame) => void got.push(frame.number), { filter });
  return got;
}

function literal(abbrev: string, hexBytes: string): string {
  const b = Buffer.from(hexBytes, 'hex');
  if (abbrev.startsWith('eth.')) return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
  if (abbrev.startsWith('ip.')) return [...b].join('.');
  if (abbrev.startsWith('ipv6.')) return (hexBytes.match(/.{4}/g) ?? []).join(':');
  return '0x' + hexBytes;
}

test('wire fields carry their frame bytes, and prefiltered runs select what full runs select', async () => {
  let compared = 0;
  let prefiltered = 0;
  for (const file of CAPTURES) {
    const seen = await wireValues(file);
    const filters: string[] = ['frame contains "gretool"', 'frame contains 45:00:00'];
    for (const [abbrev, values] of seen) {
      const vs = [...values].slice(0, 3);
      for (const v of vs) filters.push(`${abbrev} == ${literal(abbrev, v)}`);
      if (vs.length >= 2) {
        filters.push(`${abbrev} in {${vs.map((v) => literal(abbrev, v)).join(', ')}}`);
        filters.push(`${abbrev} == ${literal(abbrev, vs[0]!)} || ${abbrev} == ${literal(abbrev, vs[1]!)}`);
        filters.push(`${abbrev} == ${literal(abbrev, vs[0]!)} && ${abbrev} == ${literal(abbrev, vs[1]!)}`);
      }
      if (vs.length >= 1) filters.push(`udp && ${abbrev} === ${literal(abbrev, vs[0]!)}`);
    }
    for (const text of filters) {
      const f = compileFilter(text);
      if (f.needles) prefiltered++;
      const a = await select(file, f, true);
      const b = await select(file, f, false);
      assert.deepEqual(a, b, `${text} on ${file}`);
      compared++;
    }
  }
  assert.ok(compared > 100, `${compared} filters compared`);
  assert.ok(prefiltered > 100, `${prefiltered} of them prefiltered`);
});

test('time deltas of frames shown after skipped frames are measured from the frame before', async () => {
  const file = join(SAMPLES, 'handoff.pcap');
  const seen = await wireValues(file);
  const key = [...(seen.get('gre.key') ?? [])][1]!;
  const f = compileFilter(`gre.key == 0x${key}`);
  assert.ok(f.needles);
  const deltas = (filter: unknown) => {
    const out: string[] = [];
    return dissectCapture(file, (fr) => void out.push(`${fr.number}:${fr.text('frame.time_delta')}:${fr.text('frame.time_relative')}`), {
      filter: filter as DisplayFilter,
      fields: ['frame.time_delta', 'frame.time_relative'],
    }).then(() => out);
  };
  const a = await deltas(f);
  const b = await deltas({ matches: f.matches, fields: f.fields, needles: null });
  assert.ok(a.length > 0);
  assert.deepEqual(a, b);
});
