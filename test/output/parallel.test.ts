/**
 * Session fields in `gretool dissect -j` (src/output/parallel.ts): one correlator, worker 0's
 * (SessionAttributor, src/sessions/run.ts), notes each frame's attribution for every worker, and
 * the workers write the fields from the notes (writeAttribution). Checked two ways, on a capture
 * built to reach every kind of generated session field (each unattributed reason, candidates,
 * retransmission, paired and unsolicited PBAs, both directions) and on generated ones:
 *  - in-process: the nodes writeAttribution adds to each frame are those the single-pass session
 *    hook (attach.ts) adds, field for field, value for value, in the same order;
 *  - end to end: `dissect -j N` prints what one thread prints, byte for byte, with batches small
 *    enough that worker 0 notes many batches of the others (-V, -T fields of the session fields,
 *    a display filter on them), to a pipe and to a file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import '../../src/dissectors/index.js';
import { openCapture } from '../../src/capture/index.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import type { Packet } from '../../src/engine/packet.js';
import { createSessionHook } from '../../src/sessions/attach.js';
import { SESSION_FIELDS } from '../../src/sessions/fields.js';
import { ATTR_WIDTH, SessionAttributor, writeAttribution } from '../../src/sessions/run.js';
import { REASONS } from '../../src/sessions/types.js';
import { BIN, gretool, SAMPLES, tempDir } from '../helpers/cli.js';
import { greData, inner, ipipData, pcapBytes, signal6, type MhOpts, type TimedFrame } from '../sessions/frames.js';

const dir = tempDir('gretool-parallel-');

const MAG1 = '2001:db8:1::1';
const MAG2 = '2001:db8:2::1';
const MAG3 = '2001:db8:3::1';
const LMA = '2001:db8:f::1';
const CN = '2001:db8:cc::1';
const HNP1 = '2001:db8:aaaa:1::/64';
const MN1 = '2001:db8:aaaa:1::5';
const HNP2 = '2001:db8:bbbb:1::/64';
const MN2 = '2001:db8:bbbb:1::5';

/** A capture with every kind of generated session field, laid out by hand. */
function everyField(): Uint8Array {
  const frames: TimedFrame[] = [];
  let t = 1700000000;
  const push = (data: Uint8Array, dt = 0.01) => frames.push({ data, time: (t += dt) });
  const pbu = (mag: string, o: Omit<MhOpts, 'type'>) => push(signal6(mag, LMA, { type: 'pbu', ...o }));
  const pba = (mag: string, o: Omit<MhOpts, 'type'>) => push(signal6(LMA, mag, { type: 'pba', ...o }), 0.003);
  const up = (mag: string, src: string, key?: number) => push(greData(mag, LMA, inner(src, CN), key === undefined ? {} : { key }));
  const down = (mag: string, dst: string, key?: number) => push(greData(LMA, mag, inner(CN, dst), key === undefined ? {} : { key }));
  // mn1: initial registration, the PBU sent twice (a retransmission), then its PBA
  pbu(MAG1, { seq: 1, lifetime: 900, mnId: 'mn1', hnp: [HNP1], hi: 1, gre: 0x11 });
  pbu(MAG1, { seq: 1, lifetime: 900, mnId: 'mn1', hnp: [HNP1], hi: 1, gre: 0x11 });
  pba(MAG1, { seq: 1, lifetime: 900, mnId: 'mn1', hnp: [HNP1], gre: 0x21 });
  up(MAG1, MN1, 0x21); // attributed, uplink
  down(MAG1, MN1, 0x11); // attributed, downlink
  up(MAG1, MN1, 0x11); // the downlink key sent uplink: wrong-direction, candidate mn1
  up(MAG1, MN1, 0x99); // a key nobody negotiated: unknown-key, candidate by inner address
  up(MAG3, MN1, 0x21); // a tunnel nobody negotiated: no-binding, no direction
  // a PBA nobody asked for: for a live binding's MN (candidate), and for an unknown one
  pba(MAG1, { seq: 77, lifetime: 900, mnId: 'mn1', hnp: [HNP1], gre: 0x21 });
  pba(MAG1, { seq: 78, lifetime: 900, mnId: 'nobody', hnp: [HNP2] });
  // mn1: lifetime extension, then a handoff to MAG2; the old tunnel's traffic is stale
  pbu(MAG1, { seq: 2, lifetime: 900, mnId: 'mn1', hnp: [HNP1], hi: 5, gre: 0x11 });
  pba(MAG1, { seq: 2, lifetime: 900, mnId: 'mn1', hnp: [HNP1], gre: 0x21 });
  pbu(MAG2, { seq: 3, lifetime: 900, mnId: 'mn1', hnp: [HNP1], hi: 3, gre: 0x12 });
  pba(MAG2, { seq: 3, lifetime: 900, mnId: 'mn1', hnp: [HNP1], gre: 0x21 });
  down(MAG2, MN1, 0x12);
  down(MAG1, MN1, 0x11); // stale-binding
  // two MNs with the same home prefix, keyless: IP-in-IP data cannot tell them apart (ambiguous)
  pbu(MAG3, { seq: 1, lifetime: 900, mnId: 'mn2', hnp: [HNP2], hi: 1 });
  pba(MAG3, { seq: 1, lifetime: 900, mnId: 'mn2', hnp: [HNP2] });
  pbu(MAG3, { seq: 2, lifetime: 900, mnId: 'mn3', hnp: [HNP2], hi: 1 });
  pba(MAG3, { seq: 2, lifetime: 900, mnId: 'mn3', hnp: [HNP2] });
  push(ipipData(MAG3, LMA, inner(MN2, CN)));
  // mn1 de-registers
  pbu(MAG2, { seq: 4, lifetime: 0, mnId: 'mn1', hnp: [HNP1], hi: 3 });
  pba(MAG2, { seq: 4, lifetime: 0, mnId: 'mn1', hnp: [HNP1] });
  up(MAG2, MN1, 0x21);
  return pcapBytes(frames);
}

const crafted = join(dir, 'every-field.pcap');
writeFileSync(crafted, everyField());
const mixed = join(dir, 'mixed.pcap');
const faulty = join(dir, 'faulty.pcap');
for (const [args, out] of [
  [['mixed', '--sessions', '30', '--packets', '2500', '--seed', '3'], mixed],
  [['initial-attach', '--fault', 'pba-unmatched', '--fault', 'wrong-ul-key', '--fault', 'wrong-dl-key', '--sessions', '8'], faulty],
] as const) {
  const r = gretool(['generate', ...args, '-q', '-o', out]);
  assert.equal(r.status, 0, r.stderr);
}

const SESSION_IDS = new Set<number>(Object.values(SESSION_FIELDS));

/** The generated session nodes of the frame in `p`: field, parent (relative), flags, value. */
function sessionNodes(p: Packet): string[] {
  const t = p.tree;
  const out: string[] = [];
  let first = -1;
  for (let i = 0; i < t.count; i++) {
    if (!SESSION_IDS.has(t.fid[i]!)) continue;
    if (first < 0) first = i;
    const parent = t.parent[i]! < 0 ? t.parent[i]! : t.parent[i]! - first;
    out.push(`${t.fid[i]} ${parent} ${t.flags[i]} ${t.layer[i]} ${t.off[i]} ${t.len[i]} ${t.num[i]} ${t.strs[i] ?? ''}`);
  }
  return out;
}

/**
 * Dissects `path` twice over: with the single-pass session hook, and with the attribution
 * written from a SessionAttributor's notes; compares the session nodes of every frame. Returns
 * the session field ids and unattributed reasons seen.
 */
async function compareAttribution(path: string): Promise<{ fields: Set<number>; reasons: Set<string>; frames: number }> {
  const hook = createSessionHook({ twoPass: false });
  const one = new Pipeline({ debug: true });
  one.addPostDissector(hook.postDissector);
  const attributor = new SessionAttributor();
  const notes = new Float64Array(ATTR_WIDTH);
  const other = new Pipeline({ debug: true });
  other.addPostDissector((p) => writeAttribution(p, notes, 0));
  const fields = new Set<number>();
  const reasons = new Set<string>();
  let frames = 0;
  const reader = await openCapture(path);
  try {
    do {
      for (let rec = reader.next(); rec !== null; rec = reader.next()) {
        frames++;
        const want = sessionNodes(one.dissect(rec));
        attributor.annotate(rec, notes, 0);
        const got = sessionNodes(other.dissect(rec));
        assert.deepEqual(got, want, `${path}: frame ${rec.frameNumber}`);
        const t = one.packet.tree;
        for (let i = 0; i < t.count; i++) {
          if (!SESSION_IDS.has(t.fid[i]!)) continue;
          fields.add(t.fid[i]!);
          if (t.fid[i] === SESSION_FIELDS.unattributed) reasons.add(t.strs[i]!);
        }
      }
    } while (await reader.fill());
  } finally {
    await reader.close();
  }
  return { fields, reasons, frames };
}

test('writeAttribution adds the nodes the single-pass session hook adds, on every kind of frame', async () => {
  const r = await compareAttribution(crafted);
  const F = SESSION_FIELDS;
  // every field one pass writes (the PBU's pair and "unanswered" need -2: not in workers)
  for (const id of [F.proto, F.session, F.kind, F.unattributed, F.candidate, F.direction, F.pair_frame, F.pair_time, F.retransmission, F.unsolicited]) {
    assert.ok(r.fields.has(id), `the crafted capture reaches field ${id}`);
  }
  assert.deepEqual([...r.reasons].sort(), [...REASONS].sort(), 'every unattributed reason');
  for (const f of [mixed, faulty, join(SAMPLES, 'handoff.pcap'), join(SAMPLES, 'overlapping-ipv4.pcap'), join(SAMPLES, 'status-163.pcap')]) {
    assert.ok((await compareAttribution(f)).frames > 0, f);
  }
});

/** `dissect` with one thread and with `jobs` workers (batches of `batch` records): same bytes, status, stderr. */
function same(file: string, args: string[], jobs: number, batch: string): Buffer {
  const one = gretool(['dissect', file, ...args]);
  const many = gretool(['dissect', '-j', String(jobs), file, ...args], { env: { GRETOOL_DISSECT_BATCH: batch } });
  assert.equal(many.status, one.status, `${args.join(' ')}: exit code\n${many.stderr}`);
  assert.equal(many.stderr, one.stderr, `${args.join(' ')}: stderr`);
  assert.ok(many.stdoutBytes.equals(one.stdoutBytes), `${args.join(' ')} -j ${jobs} (batches of ${batch}): output differs (${many.stdoutBytes.length} vs ${one.stdoutBytes.length} bytes)`);
  return one.stdoutBytes;
}

const SESSION_COLUMNS = ['gretool.session', 'gretool.session.kind', 'gretool.session.unattributed', 'gretool.session.candidate', 'gretool.direction', 'gretool.pair.frame', 'gretool.pair.time', 'gretool.pair.retransmission_of', 'gretool.pair.unsolicited'];
const fieldArgs = ['-T', 'fields', '-E', 'header=y', '-e', 'frame.number', ...SESSION_COLUMNS.flatMap((f) => ['-e', f])];

test('dissect -j prints the session fields one thread prints (every kind, many batches noted by worker 0)', () => {
  for (const [jobs, batch] of [[2, '1'], [3, '2'], [2, '5'], [4, '3']] as const) {
    const tree = same(crafted, ['-V'], jobs, batch).toString();
    assert.match(tree, /gretool session correlation/);
    assert.match(tree, /Retransmission of frame: 1/);
    same(crafted, fieldArgs, jobs, batch);
  }
  same(crafted, ['-Y', 'gretool.session.unattributed', '-T', 'fields', '-e', 'frame.number', '-e', 'gretool.session.candidate'], 3, '2');
  // batches longer than worker 0's look-out interval (it notes the others' batches mid-batch)
  same(mixed, ['-V'], 2, '40');
  same(mixed, fieldArgs, 3, '33');
  same(faulty, ['-V'], 2, '7');
});

test('dissect -j to a file (the sink writes from the workers\' buffers, which go back to them)', () => {
  const one = join(dir, 'one.txt');
  const many = join(dir, 'many.txt');
  for (const [out, jobs] of [[one, '1'], [many, '2']] as const) {
    const fd = openSync(out, 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'dissect', '-V', '-j', jobs, mixed], { stdio: ['ignore', fd, 'pipe'], env: { ...process.env, NO_COLOR: '1', GRETOOL_DISSECT_BATCH: '16' } });
      assert.equal(r.status, 0, String(r.stderr));
    } finally {
      closeSync(fd);
    }
  }
  assert.ok(readFileSync(many).equals(readFileSync(one)));
});
