/**
 * `gretool dissect` with the generated fields of the session correlator (gretool.session,
 * gretool.direction, gretool.pair.*) and of the linter (gretool.lint.rule / .severity): in -V,
 * -T fields / json / ek and -Y, one pass and two (-2), on the generator's samples.
 *
 * Expectations come from the scenario files, not from gretool's correlator:
 *  - samples/handoff.pcap (scenarios/handoff.yaml): mn1 attaches at mag1 (2001:db8:1::1) to
 *    lma1 (2001:db8:100::1) with downlink key 0x1001 and uplink key 0x2001, then hands off to
 *    mag2 (2001:db8:2::1) with downlink key 0x1002, the uplink key kept. One binding (id 1).
 *    Frames 1/2 are the PBU/PBA of the attach, 33/34 those of the handoff (2 x 30 data frames).
 *  - samples/status-163.pcap (scenarios/status-163.yaml): PBU without the GRE Key option (1),
 *    PBA status 163 (2), the retry with the key (3) and its PBA (4), then keyed data.
 * A data frame is uplink when its outer source is a MAG and its GRE key is the uplink key,
 * downlink when its outer source is the LMA and the key a downlink key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gretool, rel, tempDir } from '../helpers/cli.js';
import { fieldByName } from '../../src/engine/fields.js';
import { generatedFieldsNeeded } from '../../src/cli/commands/dissect.js';

const HANDOFF = rel('samples', 'handoff.pcap');
const STATUS163 = rel('samples', 'status-163.pcap');
const ENV = { TZ: 'UTC' };

const MAGS = new Set(['2001:db8:1::1', '2001:db8:2::1']);
const LMA = '2001:db8:100::1';
const UL_KEY = 0x2001;
const DL_KEYS = new Set([0x1001, 0x1002]);

function ok(args: string[]): string {
  const r = gretool(args, { env: ENV });
  assert.equal(r.stderr, '', `stderr of gretool ${args.join(' ')}`);
  assert.equal(r.status, 0, `exit status of gretool ${args.join(' ')}`);
  return r.stdout;
}

function rows(args: string[]): string[][] {
  return ok(args)
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

const SESSION_COLUMNS = ['-e', 'frame.number', '-e', 'gretool.session', '-e', 'gretool.direction', '-e', 'gretool.pair.frame'];

interface Expected {
  frame: number;
  session: string;
  direction: string;
  pair: string;
}

/**
 * The expected generated fields of every frame, from the scenario: signalling frames and their
 * pairs are given; data frames get their direction from the outer source and the GRE key.
 */
function expected(file: string, pbuToPba: Record<number, number>, twoPass: boolean): Expected[] {
  const pbaToPbu = new Map(Object.entries(pbuToPba).map(([u, a]) => [a, Number(u)]));
  // independent fields of the frame (the dissector, not the correlator): outer source, key, MH type
  const facts = rows(['dissect', file, '-T', 'fields', '-E', 'occurrence=f', '-e', 'frame.number', '-e', 'ipv6.src', '-e', 'gre.key', '-e', 'mip6.mhtype']);
  return facts.map(([n, src, key, mh]) => {
    const frame = Number(n);
    if (mh) {
      const isPbu = pbuToPba[frame] !== undefined;
      assert.ok(isPbu || pbaToPbu.has(frame), `frame ${frame} is signalling the scenario names`);
      const pair = isPbu ? (twoPass ? String(pbuToPba[frame]) : '') : String(pbaToPbu.get(frame));
      return { frame, session: '1', direction: '', pair };
    }
    const k = Number(key);
    let direction: string;
    if (MAGS.has(src!) && k === UL_KEY) direction = '1';
    else if (src === LMA && DL_KEYS.has(k)) direction = '2';
    else throw new Error(`frame ${frame}: data frame from ${src} with key ${key} fits no direction of the scenario`);
    return { frame, session: '1', direction, pair: '' };
  });
}

function actual(file: string, extra: string[] = []): Expected[] {
  return rows(['dissect', file, ...extra, '-T', 'fields', ...SESSION_COLUMNS]).map(([n, session, direction, pair]) => ({
    frame: Number(n),
    session: session!,
    direction: direction!,
    pair: pair!,
  }));
}

const CASES: [string, string, Record<number, number>, number][] = [
  ['handoff', HANDOFF, { 1: 2, 33: 34 }, 64],
  ['status-163', STATUS163, { 1: 2, 3: 4 }, 34],
];

for (const [name, file, pairs, frames] of CASES) {
  test(`${name}: -T fields gretool.session / direction / pair.frame in one pass (backward references only)`, () => {
    const want = expected(file, pairs, false);
    assert.equal(want.length, frames);
    assert.deepEqual(actual(file), want);
  });

  test(`${name}: -2 fills gretool.pair.frame on the PBU too (forward reference); the rest is the same`, () => {
    const one = actual(file);
    const two = actual(file, ['-2']);
    assert.deepEqual(two, expected(file, pairs, true));
    for (const pbu of Object.keys(pairs).map(Number)) {
      assert.equal(one[pbu - 1]!.pair, '', `one pass: PBU ${pbu} has no pair yet`);
      assert.equal(two[pbu - 1]!.pair, String(pairs[pbu]), `-2: PBU ${pbu} → its PBA`);
    }
    // only the PBUs differ
    const differ = one.filter((r, i) => JSON.stringify(r) !== JSON.stringify(two[i])).map((r) => r.frame);
    assert.deepEqual(differ, Object.keys(pairs).map(Number));
  });

  test(`${name}: -Y 'gretool.direction == 1' selects exactly the uplink frames (and == 2 the downlink ones)`, () => {
    const want = expected(file, pairs, false);
    const num = (l: string) => Number(l.trim().split(/\s+/)[0]);
    for (const dir of ['1', '2']) {
      const sel = ok(['dissect', file, '-Y', `gretool.direction == ${dir}`]).split('\n').filter(Boolean).map(num);
      assert.deepEqual(sel, want.filter((r) => r.direction === dir).map((r) => r.frame), `direction ${dir}`);
    }
  });
}

test('handoff: uplink/downlink counts agree with gretool sessions (32 up, 28 down)', () => {
  const r = actual(HANDOFF);
  assert.equal(r.filter((x) => x.direction === '1').length, 32);
  assert.equal(r.filter((x) => x.direction === '2').length, 28);
});

test('the correlator sees the frames -Y rejects: a PBA printed alone still names its PBU, data its binding', () => {
  assert.deepEqual(rows(['dissect', HANDOFF, '-Y', 'frame.number == 34', '-T', 'fields', ...SESSION_COLUMNS]), [['34', '1', '', '33']]);
  const data = rows(['dissect', HANDOFF, '-Y', 'frame.number > 34', '-T', 'fields', ...SESSION_COLUMNS]);
  assert.equal(data.length, 30);
  assert.ok(data.every((r) => r[1] === '1' && (r[2] === '1' || r[2] === '2')));
  // a forward reference in a filter: only -2 knows that frame 1 is answered by frame 2
  assert.deepEqual(rows(['dissect', HANDOFF, '-2', '-Y', 'gretool.pair.frame == 2', '-T', 'fields', '-e', 'frame.number']), [['1']]);
  assert.deepEqual(rows(['dissect', HANDOFF, '-Y', 'gretool.pair.frame == 2', '-T', 'fields', '-e', 'frame.number']), []);
});

test('-V shows the generated fields in a "gretool" subtree; -2 adds the PBU → PBA reference', () => {
  const block = (out: string, n: number) => out.split(/\n(?=Frame \d+: )/)[n - 1]!;
  const one = ok(['dissect', HANDOFF, '-V', '-c', '3']);
  assert.match(block(one, 1), /\[gretool session correlation\]\n {4}\[Binding \(mobility session\): 1\]\n {4}\[Message kind: initial\]\n/);
  assert.doesNotMatch(block(one, 1), /Paired message/);
  assert.match(block(one, 2), /\[Paired message in frame: 1\]\n {4}\[Response time: 0\.002000000 seconds\]/);
  assert.match(block(one, 3), /\[gretool session correlation\]\n {4}\[Binding \(mobility session\): 1\]\n {4}\[Direction: uplink \(1\)\]/);
  const two = ok(['dissect', HANDOFF, '-V', '-2', '-c', '3']);
  assert.match(block(two, 1), /\[Paired message in frame: 2\]\n {4}\[Response time: 0\.002000000 seconds\]/);
  // -c limits both passes, as tshark -2 -c does: frame 1's PBA is beyond -c 1
  assert.match(ok(['dissect', HANDOFF, '-V', '-2', '-c', '1']), /\[No PBA for this PBU: Set\]/);
});

test('-T json and -T ek carry the generated fields; -e selects them', () => {
  const json = JSON.parse(ok(['dissect', HANDOFF, '-T', 'json', '-c', '3'])) as { _source: { layers: Record<string, unknown> } }[];
  assert.deepEqual(json[1]!._source.layers['gretool'], { 'gretool.session': '1', 'gretool.session.kind': 'initial', 'gretool.pair.frame': '1', 'gretool.pair.time': '0.002000000' });
  assert.deepEqual(json[2]!._source.layers['gretool'], { 'gretool.session': '1', 'gretool.direction': '1' });
  const sel = JSON.parse(ok(['dissect', HANDOFF, '-T', 'json', '-2', '-c', '2', '-e', 'gretool.pair.frame'])) as { _source: { layers: Record<string, unknown> } }[];
  assert.deepEqual(sel.map((f) => f._source.layers), [{ 'gretool.pair.frame': ['2'] }, { 'gretool.pair.frame': ['1'] }]);
  const ek = ok(['dissect', HANDOFF, '-T', 'ek', '-c', '3']).split('\n').filter((l) => l.startsWith('{"timestamp"'));
  assert.match(ek[2]!, /"gretool":\{"gretool_gretool_session":"1","gretool_gretool_direction":"1"\}/);
});

test('gretool.lint.rule: -Y selects exactly the faulty PBU of initial-attach --fault grekey-len4', () => {
  const dir = tempDir();
  const faulty = join(dir, 'grekey-len4.pcap');
  const g = gretool(['generate', 'initial-attach', '--fault', 'grekey-len4', '-o', faulty]);
  assert.equal(g.status, 0, g.stderr);
  // the PBUs of the capture, by the dissector's fields (Binding Update with the P flag)
  const pbus = rows(['dissect', faulty, '-Y', 'mip6.mhtype == 5 && mip6.bu.p_flag == 1', '-T', 'fields', '-e', 'frame.number']).map((r) => r[0]);
  assert.deepEqual(pbus, ['1']);
  const sel = rows(['dissect', faulty, '-Y', 'gretool.lint.rule == "P-GREKEY-BAD-LEN"', '-T', 'fields', '-e', 'frame.number', '-e', 'gretool.lint.rule', '-e', 'gretool.lint.severity']);
  assert.deepEqual(sel, [['1', 'P-GREKEY-BAD-LEN', 'error']]);
  // every lint field of the capture: only that frame has one
  const all = rows(['dissect', faulty, '-T', 'fields', '-e', 'frame.number', '-e', 'gretool.lint.rule']).filter((r) => r[1]);
  assert.deepEqual(all, [['1', 'P-GREKEY-BAD-LEN']]);
  // -V shows the finding (the expert item with its rule, and the gretool.lint subtree)
  const v = ok(['dissect', faulty, '-V', '-c', '1']);
  assert.match(v, /\[Rule: P-GREKEY-BAD-LEN\]/);
  assert.match(v, /\[gretool lint findings\]\n {4}\[Rule: P-GREKEY-BAD-LEN\]\n {8}\[Severity: error\]/);
  // the compliant sample has no lint field anywhere
  assert.deepEqual(rows(['dissect', rel('samples', 'initial-attach.pcap'), '-Y', 'gretool.lint', '-T', 'fields', '-e', 'frame.number']), []);
  rmSync(dir, { recursive: true, force: true });
});

test('-2 refuses standard input clearly (exit 2), as tshark does', () => {
  const r = gretool(['dissect', '-', '-2'], { input: readFileSync(HANDOFF), env: ENV });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /-2 reads the capture twice.*standard input cannot be read twice/);
  // without -2 stdin is fine
  const s = gretool(['dissect', '-', '-T', 'fields', '-e', 'gretool.session', '-c', '1'], { input: readFileSync(HANDOFF), env: ENV });
  assert.equal(s.status, 0, s.stderr);
  assert.equal(s.stdout, '1\n');
});

test('runs that do not show generated fields are unchanged by -2 and produce none', () => {
  const plain = ok(['dissect', HANDOFF, '-T', 'fields', '-e', 'frame.number', '-e', 'gre.key']);
  assert.equal(ok(['dissect', HANDOFF, '-2', '-T', 'fields', '-e', 'frame.number', '-e', 'gre.key']), plain);
  assert.equal(ok(['dissect', HANDOFF, '-2', '-c', '5']), ok(['dissect', HANDOFF, '-c', '5']));
});

test('--help documents the generated fields and -2', () => {
  const h = ok(['dissect', '--help']);
  assert.match(h, /-2 +two passes/);
  assert.match(h, /gretool\.session /);
  assert.match(h, /gretool\.lint\.rule/);
  assert.match(h, /standard input \("-"\) cannot be read twice/);
});

test('the producers are chosen by field id: whole tree, or a -e / -Y field of theirs', () => {
  const id = (n: string) => fieldByName(n)!.id;
  assert.deepEqual(generatedFieldsNeeded(true, []), { sessions: true, lint: true });
  assert.deepEqual(generatedFieldsNeeded(false, [id('frame.number'), id('gre.key')]), { sessions: false, lint: false });
  // gretool's own fields of other modules are not the correlator's (gretool.link_type, gretool.mip6.*)
  assert.deepEqual(generatedFieldsNeeded(false, [id('gretool.link_type'), id('gretool.mip6.csum.status')]), { sessions: false, lint: false });
  for (const n of ['gretool', 'gretool.session', 'gretool.direction', 'gretool.pair.frame', 'gretool.pair.time', 'gretool.session.kind']) {
    assert.deepEqual(generatedFieldsNeeded(false, [id(n)]), { sessions: true, lint: false }, n);
  }
  for (const n of ['gretool.lint', 'gretool.lint.rule', 'gretool.lint.severity']) {
    assert.deepEqual(generatedFieldsNeeded(false, [id(n)]), { sessions: false, lint: true }, n);
  }
});
