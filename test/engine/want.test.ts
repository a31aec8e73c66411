/**
 * Want masks (Packet.want) and column switching (Packet.colsOn) must never change what a run
 * sees: for every frame of the fixture corpora, a run that materialises only some fields gets
 * exactly the nodes of those fields that the full tree has (same order, offsets, lengths, flags,
 * values, nearest materialised parent, layer), a summary run (no field, columns on) gets the
 * same columns and expert items, and display filters select the same frames with and without
 * the mask of their fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import '../../src/dissectors/index.js';
import { openCapture, forEachRecord } from '../../src/capture/index.js';
import { expertDef } from '../../src/engine/expert.js';
import { allFields, fieldByName, fieldDef, wantForFields, wantMask, WANT_FIELDS, WANT_NODE } from '../../src/engine/fields.js';
import { HAS_NUM, HAS_STR, TEXT_FIELD, type Packet } from '../../src/engine/packet.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { compileFilter } from '../../src/filter/index.js';
import { layerOf } from '../../src/filter/read.js';
import { EXTRACT_DATA, EXTRACT_NONE, Extractor, extractorWant } from '../../src/sessions/extract.js';
import { fieldText } from '../../src/output/format.js';
import { greCorpus } from '../fixtures/gre/frames.js';
import { fixtureFiles } from '../fixtures/ip/frames.js';
import { variedFrames } from '../fixtures/mip6/frames.js';
import { ROOT } from '../helpers/cli.js';

interface Raw {
  name: string;
  data: Uint8Array;
  caplen: number;
  origlen: number;
  linkType: number;
}

async function corpus(): Promise<Raw[]> {
  const out: Raw[] = [];
  greCorpus().forEach((f, i) => out.push({ name: `gre#${i} ${f.desc}`, data: f.data, caplen: f.data.length, origlen: f.origlen ?? f.data.length, linkType: 1 }));
  for (const file of fixtureFiles()) {
    file.frames.forEach((f, i) => {
      const cap = f.caplen ?? f.data.length;
      out.push({ name: `${file.name}#${i + 1}`, data: f.data.subarray(0, cap), caplen: cap, origlen: f.origlen ?? f.data.length, linkType: file.linkType });
    });
  }
  variedFrames().forEach((f) => out.push({ name: `mip6 ${f.name}`, data: f.data, caplen: f.data.length, origlen: f.orig ?? f.data.length, linkType: 101 }));
  const files = [join(ROOT, 'test', 'fixtures', 'output', 'varied.pcap'), join(ROOT, 'test', 'fixtures', 'output', 'varied.pcapng')];
  const samples = join(ROOT, 'samples');
  if (existsSync(samples)) for (const f of readdirSync(samples).sort()) if (f.endsWith('.pcap')) files.push(join(samples, f));
  for (const path of files) {
    if (!existsSync(path)) continue;
    const r = await openCapture(path);
    try {
      await forEachRecord(r, (rec) => {
        out.push({
          name: `${path.slice(ROOT.length + 1)}#${rec.frameNumber}`,
          data: rec.data.slice(rec.offset, rec.offset + rec.caplen),
          caplen: rec.caplen,
          origlen: rec.origlen,
          linkType: rec.linkType,
        });
      });
    } finally {
      await r.close();
    }
  }
  return out;
}

interface NodeRec {
  fid: number;
  text: string;
}

/** Everything about node i that a reader can see, except its index. */
function describe(p: Packet, i: number, parentOf: (i: number) => number): string {
  const t = p.tree;
  const fid = t.fid[i]!;
  const fl = t.flags[i]!;
  const parts = [
    fid === TEXT_FIELD ? '(text)' : fieldDef(fid).abbrev,
    `off=${t.off[i]} len=${t.len[i]} flags=${fl}`,
    fl & HAS_NUM ? `num=${t.num[i]}` : '',
    fl & HAS_STR ? `str=${t.strs[i]}` : '',
    fid === TEXT_FIELD ? '' : `text=${fieldText(p, i)}`,
    `parent=${parentOf(i)}`,
    fid === TEXT_FIELD ? '' : `layer=${layerOf(p, i)}`,
  ];
  return parts.join(' ');
}

/**
 * The nodes of the full tree whose field is in `mask`, described as a masked run must see them:
 * parents are the nearest ancestor in the mask (by position in the subsequence).
 */
function expected(p: Packet, mask: Uint8Array): NodeRec[] {
  const t = p.tree;
  const pos = new Int32Array(t.count).fill(-1);
  const kept: number[] = [];
  for (let i = 0; i < t.count; i++) {
    const f = t.fid[i]!;
    if (f >= 0 && (mask[f]! & 1) !== 0) {
      pos[i] = kept.length;
      kept.push(i);
    }
  }
  const parentOf = (i: number): number => {
    for (let a = t.parent[i]!; a >= 0; a = t.parent[a]!) if (pos[a]! >= 0) return pos[a]!;
    return -1;
  };
  return kept.map((i) => ({ fid: t.fid[i]!, text: describe(p, i, parentOf) }));
}

function actual(p: Packet): NodeRec[] {
  const t = p.tree;
  const out: NodeRec[] = [];
  for (let i = 0; i < t.count; i++) out.push({ fid: t.fid[i]!, text: describe(p, i, (k) => t.parent[k]!) });
  return out;
}

function experts(p: Packet): string[] {
  const e = p.experts;
  const out: string[] = [];
  for (let i = 0; i < e.count; i++) out.push(`${e.id[i]}|${e.args[2 * i] ?? ''}|${e.args[2 * i + 1] ?? ''}`);
  return out;
}

function columns(p: Packet): string {
  const c = p.cols;
  return [c.proto, c.src.toString(), c.dst.toString(), c.info.toString(), String(c.malformed)].join(' | ');
}

const full = new Pipeline();
const masked = new Pipeline();

function dissect(pipe: Pipeline, f: Raw): Packet {
  return pipe.dissectBytes(f.data, 0, f.caplen, f.origlen, f.linkType, 1, 1_700_000_000, 0);
}

/** Small deterministic PRNG (mulberry32) for the random masks. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const frames = await corpus();

test('corpus is large and varied', () => {
  assert.ok(frames.length > 150, `only ${frames.length} frames`);
});

test('summary runs (no field, columns on) give the columns and expert items of a full run', () => {
  masked.setWant(wantMask([]));
  masked.setColumns(true);
  for (const f of frames) {
    const p = dissect(full, f);
    const cols = columns(p);
    const ex = experts(p);
    const protos = Array.from(p.protos.subarray(0, p.nprotos)).join(',');
    const q = dissect(masked, f);
    assert.equal(columns(q), cols, f.name);
    assert.deepEqual(experts(q), ex, f.name);
    assert.equal(Array.from(q.protos.subarray(0, q.nprotos)).join(','), protos, f.name);
    assert.equal(q.tree.count, 0, `${f.name}: nothing materialised`);
  }
});

test('one-field runs give exactly that field\'s nodes of the full tree', () => {
  masked.setColumns(false);
  let checks = 0;
  for (const f of frames) {
    const p = dissect(full, f);
    const present = new Set<number>();
    for (let i = 0; i < p.tree.count; i++) if (p.tree.fid[i]! >= 0) present.add(p.tree.fid[i]!);
    const wants: [number, Uint8Array, NodeRec[]][] = [];
    for (const fid of present) {
      const mask = wantMask([fid]);
      wants.push([fid, mask, expected(p, mask)]);
    }
    for (const [fid, mask, exp] of wants) {
      masked.setWant(mask);
      const got = actual(dissect(masked, f));
      assert.deepEqual(got, exp, `${f.name}: -e ${fieldDef(fid).abbrev}`);
      checks++;
    }
  }
  assert.ok(checks > 3000, `${checks} checks`);
});

test('random multi-field runs give the full tree restricted to their fields', () => {
  const rand = rng(5845);
  const all = allFields();
  masked.setColumns(false);
  for (const f of frames) {
    const p = dissect(full, f);
    const present: number[] = [];
    for (let i = 0; i < p.tree.count; i++) if (p.tree.fid[i]! >= 0) present.push(p.tree.fid[i]!);
    for (let k = 0; k < 4; k++) {
      const ids: number[] = [];
      for (let j = 0; j < 6 && present.length; j++) ids.push(present[Math.floor(rand() * present.length)]!);
      ids.push(all[Math.floor(rand() * all.length)]!.id);
      const mask = wantMask(ids);
      const exp = expected(dissect(full, f), mask);
      masked.setWant(mask);
      assert.deepEqual(actual(dissect(masked, f)), exp, `${f.name}: ${ids.map((i) => fieldDef(i).abbrev).join(' ')}`);
    }
  }
});

test('wantForFields takes names and ids, ignores unknown names, and adds the protocols', () => {
  const key = fieldByName('gre.key')!.id;
  const m = wantForFields(['gre.key', 'no.such.field', fieldByName('ip.src')!.id]);
  const id = (n: string) => fieldByName(n)!.id;
  assert.equal(m[key], WANT_NODE);
  assert.equal(m[id('gre')], WANT_NODE | WANT_FIELDS);
  assert.equal(m[id('ip')], WANT_NODE | WANT_FIELDS);
  assert.equal(m[id('udp')], 0);
  // a protocol asked for by itself: its node, not its fields
  assert.equal(wantForFields(['udp'])[id('udp')], WANT_NODE);
  const withProtos = wantForFields(['gre.key'], { protocols: true });
  assert.equal(withProtos[id('udp')], WANT_NODE);
  assert.equal(withProtos[id('udp.srcport')], 0);
  assert.equal(withProtos[id('gre')], WANT_NODE | WANT_FIELDS);
});

const FILTERS = [
  'gre',
  'gre.key',
  'gre.key == 0xa001 || gre.key == 0xb002',
  'gre.flags.key == 1 && !gre.flags.sequence_number',
  'gre.checksum.status == 0',
  'ip.src == 10.0.0.1',
  'ip.addr == 192.168.1.1',
  'ip.src#2 == 192.168.1.1',
  'ip.dst#1 == 10.0.0.2',
  'ip.checksum.status == 0',
  'ip.ttl < 5',
  'ipv6.src == 2001:db8::1',
  'udp.port == 5436',
  'udp.checksum.status == 1',
  'udp.length > 50',
  'tcp.flags.syn == 1',
  'tcp.checksum.status == 0',
  'icmp',
  'eth.src == 02:aa:bb:cc:dd:ee',
  'frame.len > 100',
  'frame.protocols contains "gre"',
  'mipv6',
  'mip6.gre_key',
  'mip6.gre_key == 0xa001',
  'mip6.bu.t_flag == 1',
  'mip6.ba.status >= 128',
  'gretool.mip6.csum.status == 1',
  'pmip6.tlv',
  'pmip6.tlv.length_ok == 0',
  'data.len > 10',
  '_ws.malformed',
];

test('display filters select the same frames with and without the mask of their fields', () => {
  const compiled = FILTERS.map((t) => compileFilter(t));
  const matchedFull = compiled.map(() => 0);
  for (const f of frames) {
    full.setWant(null);
    full.setColumns(true);
    const p = dissect(full, f);
    const want = compiled.map((c) => c.matches(p));
    compiled.forEach((c, k) => {
      masked.setWant(wantMask(c.fields));
      masked.setColumns(false);
      assert.equal(c.matches(dissect(masked, f)), want[k], `${f.name}: ${c.text}`);
      if (want[k]) matchedFull[k]!++;
    });
  }
  // the filters are not vacuous on this corpus
  assert.ok(matchedFull.filter((n) => n > 0).length >= FILTERS.length - 6, `matches per filter: ${matchedFull.join(' ')}`);
});

test('redissect gives the frame again with another configuration, same times', () => {
  const pipe = new Pipeline({ want: wantMask([fieldByName('frame.time_delta')!.id]), columns: false });
  const f = frames.find((x) => x.linkType === 1)!;
  pipe.dissectBytes(f.data, 0, f.caplen, f.origlen, 1, 1, 100, 0);
  const p = pipe.dissectBytes(f.data, 0, f.caplen, f.origlen, 1, 2, 100, 500);
  assert.equal(p.deltaNs, 500);
  assert.equal(p.tree.count, 2); // frame, frame.time_delta
  pipe.redissect(null, true);
  assert.equal(p.deltaNs, 500);
  assert.ok(p.tree.count > 10);
  assert.ok(p.cols.info.len > 0);
  const fresh = new Pipeline();
  fresh.dissectBytes(f.data, 0, f.caplen, f.origlen, 1, 1, 100, 0);
  const q = fresh.dissectBytes(f.data, 0, f.caplen, f.origlen, 1, 2, 100, 500);
  assert.deepEqual(actual(p), actual(q));
});

test('expert items never point at nodes that were not materialised', () => {
  masked.setColumns(false);
  for (const f of frames) {
    const p = dissect(full, f);
    const fids = new Set<number>();
    for (let i = 0; i < p.tree.count; i++) if (p.tree.fid[i]! >= 0) fids.add(p.tree.fid[i]!);
    masked.setWant(wantMask([...fids].filter((_, k) => k % 3 === 0)));
    const q = dissect(masked, f);
    for (let i = 0; i < q.experts.count; i++) {
      const n = q.experts.node[i]!;
      assert.ok(n === -1 || (n >= 0 && n < q.tree.count), `${f.name}: expert ${i} → node ${n}`);
    }
  }
});

test('the session Extractor reads the same events from frames dissected with extractorWant()', () => {
  const fullX = new Extractor();
  const maskX = new Extractor();
  const pipe = new Pipeline({ want: extractorWant(), columns: false });
  const event = (x: Extractor, kind: number): string => {
    if (kind === EXTRACT_DATA) {
      const { data: _bytes, ...rest } = x.data;
      return JSON.stringify(rest);
    }
    return kind === EXTRACT_NONE ? '' : JSON.stringify(x.signal);
  };
  let events = 0;
  for (const f of frames) {
    const a = fullX.extract(dissect(full, f));
    const ea = event(fullX, a);
    const b = maskX.extract(dissect(pipe, f));
    assert.equal(b, a, f.name);
    assert.equal(event(maskX, b), ea, f.name);
    if (a !== EXTRACT_NONE) events++;
  }
  assert.ok(events > 50, `${events} events`);
});

test('lint inputs: frames dissected with extractorWant() and no columns carry the same rule and malformed expert items', () => {
  const pipe = new Pipeline({ want: extractorWant(), columns: false });
  const lintRelevant = (p: Packet): string[] => {
    const out: string[] = [];
    for (let i = 0; i < p.experts.count; i++) {
      const def = expertDef(p.experts.id[i]!);
      if (def.rule !== undefined || def.group === 'malformed') out.push(`${def.abbrev}|${p.experts.args[2 * i] ?? ''}|${p.experts.args[2 * i + 1] ?? ''}`);
    }
    return out;
  };
  let n = 0;
  for (const f of frames) {
    const want = lintRelevant(dissect(full, f));
    n += want.length;
    assert.deepEqual(lintRelevant(dissect(pipe, f)), want, f.name);
  }
  assert.ok(n > 50, `${n} rule/malformed items`);
});
