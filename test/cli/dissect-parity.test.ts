/**
 * tshark parity of `-T fields`, end to end: for each committed capture (the output fixture and
 * the generator's samples/ when present), every field that gretool declares as Wireshark's
 * (wireshark: true) and that appears in the capture is printed by the built CLI
 * (`gretool dissect -T fields -E occurrence=a -e …`) and by tshark 4.0 with the same options
 * and its checksum preferences; the outputs are compared field by field, frame by frame.
 *
 * Protocol nodes are left out: their `-T fields` text is the tree header label, presentation
 * rather than a value. Fields tshark 4.0 does not know are reported as registry mistakes
 * (declared wireshark: true but absent from tshark -G fields).
 *
 * Deliberate differences, reported as diagnostics rather than failures:
 *  - frames whose protocol stack holds a gretool-only protocol (e.g. the RFC 5845 TLV header
 *    that tshark cannot decode): only the frame.* fields are compared;
 *  - KNOWN below, each with its reason.
 * tshark runs with absolute TCP sequence numbers (gretool keeps no TCP stream state).
 */
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gretool, haveTool, rel, run } from '../helpers/cli.js';
import { TSHARK_PREFS } from '../helpers/parity.js';
import { dissectCapture } from '../../src/output/dissect.js';
import { fieldDef } from '../../src/engine/fields.js';
import { TEXT_FIELD } from '../../src/engine/packet.js';

const hasTshark = haveTool('tshark');

function captures(): string[] {
  const list = [rel('test', 'fixtures', 'output', 'varied.pcap'), rel('test', 'fixtures', 'output', 'varied.pcapng')];
  const samples = rel('samples');
  if (existsSync(samples)) {
    for (const f of readdirSync(samples).sort()) if (/\.(pcap|pcapng)(\.gz)?$/.test(f)) list.push(join(samples, f));
  }
  return list;
}

/** Known differences: field → reason, optionally limited to some inputs. */
const KNOWN: { field: string; reason: string; applies: (path: string) => boolean }[] = [
  {
    field: '_ws.malformed',
    reason: 'tshark 4.0 adds a second, unlabelled _ws.malformed item inside the expert info of a malformed frame (-T fields prints it as "_ws.malformed"); gretool has the one labelled item',
    applies: () => true,
  },
];

/**
 * gretool resolves no names and shows raw TCP sequence numbers: tshark -n (protocol labels then
 * show addresses and ports as numbers) and absolute sequence numbers.
 */
const TSHARK_EXTRA = ['-n', '-o', 'tcp.relative_sequence_numbers:FALSE'];

let tsharkFields: Set<string> | undefined;
function tsharkKnows(name: string): boolean {
  if (!tsharkFields) {
    tsharkFields = new Set();
    for (const line of run('tshark', ['-G', 'fields']).stdout.split('\n')) {
      const cols = line.split('\t');
      if (cols[0] === 'F' || cols[0] === 'P') tsharkFields.add(cols[2]!);
    }
  }
  return tsharkFields.has(name);
}

/**
 * Wireshark fields and protocols (whose -T fields text is the protocol item's label) present in
 * the capture, in registry order, and the frames
 * (0-based) whose stack holds a protocol tshark does not have.
 */
async function fieldsIn(path: string): Promise<{ fields: string[]; beyondTshark: Set<number> }> {
  const seen = new Set<number>();
  const beyondTshark = new Set<number>();
  let i = 0;
  await dissectCapture(path, (f) => {
    const p = f.packet;
    const t = p.tree;
    for (let k = 0; k < t.count; k++) if (t.fid[k] !== TEXT_FIELD) seen.add(t.fid[k]!);
    for (let k = 0; k < p.nprotos; k++) if (!fieldDef(p.protos[k]!).wireshark) beyondTshark.add(i);
    i++;
  });
  const fields = [...seen]
    .sort((a, b) => a - b)
    .map((id) => fieldDef(id))
    .filter((d) => d.wireshark)
    .map((d) => d.abbrev);
  return { fields, beyondTshark };
}

for (const path of captures()) {
  const name = path.slice(rel().length + 1);
  test(`-T fields parity with tshark: ${name}`, { skip: !hasTshark && 'tshark not installed' }, async (t) => {
    const { fields: all, beyondTshark } = await fieldsIn(path);
    const known = new Map(KNOWN.filter((k) => k.applies(path)).map((k) => [k.field, k.reason]));
    const unknown = all.filter((f) => !tsharkKnows(f));
    const fields = all.filter((f) => tsharkKnows(f));
    assert.ok(fields.length > 0);
    const opts = ['-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-E', 'separator=/t'];
    const eArgs = fields.flatMap((f) => ['-e', f]);
    const ours = gretool(['dissect', path, ...opts, ...eArgs], { env: { TZ: 'UTC' } });
    assert.equal(ours.status, 0, ours.stderr);
    const theirs = run('tshark', ['-r', path, ...TSHARK_PREFS, ...TSHARK_EXTRA, ...opts, ...eArgs], { env: { ...process.env, TZ: 'UTC' } });
    assert.equal(theirs.status, 0, theirs.stderr);
    const a = ours.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
    const b = theirs.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
    const diffs: string[] = [];
    if (a.length !== b.length) diffs.push(`frames: gretool ${a.length}, tshark ${b.length}`);
    const byField = new Map<string, number>();
    const knownHits = new Map<string, number>();
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      fields.forEach((f, j) => {
        const x = a[i]?.[j] ?? '<no frame>';
        const y = b[i]?.[j] ?? '<no frame>';
        if (x === y) return;
        if (beyondTshark.has(i) && (f === 'frame.protocols' || !f.startsWith('frame.'))) return;
        if (known.has(f)) {
          knownHits.set(f, (knownHits.get(f) ?? 0) + 1);
          return;
        }
        byField.set(f, (byField.get(f) ?? 0) + 1);
        if (byField.get(f)! <= 3) diffs.push(`frame ${i + 1} ${f}: gretool=${JSON.stringify(x)} tshark=${JSON.stringify(y)}`);
      });
    }
    for (const [f, n] of byField) if (n > 3) diffs.push(`${f}: ${n - 3} more frame(s) differ`);
    for (const f of unknown) diffs.push(`${f}: declared wireshark: true but tshark 4.0 has no such field`);
    t.diagnostic(`${fields.length} fields compared over ${a.length} frames; ${beyondTshark.size} frame(s) decoded beyond tshark (frame.* compared only)`);
    for (const [f, n] of knownHits) t.diagnostic(`known difference, ${n} frame(s): ${f}: ${known.get(f)}`);
    if (diffs.length) assert.fail(`${diffs.length} difference(s) over ${fields.length} fields:\n${diffs.join('\n')}`);
  });
}

test('frame.time_delta_displayed counts from the previous displayed frame, as tshark -Y', { skip: !hasTshark && 'tshark not installed' }, () => {
  const path = rel('samples', 'handoff.pcap');
  for (const filter of ['mipv6 || icmp', 'gre.key == 0x00002001', 'frame.number > 40']) {
    const args = ['-Y', filter, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_delta_displayed', '-e', 'frame.time_delta'];
    const ours = gretool(['dissect', path, ...args]);
    assert.equal(ours.status, 0, ours.stderr);
    const theirs = run('tshark', ['-r', path, ...args]);
    assert.equal(theirs.status, 0, theirs.stderr);
    assert.ok(ours.stdout.split('\n').length > 3, filter);
    assert.equal(ours.stdout, theirs.stdout, filter);
  }
});
