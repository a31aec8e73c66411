/**
 * Packet-scope lint rules of the Mobility Header (lint-rules.md §1 and the MH rules of §4):
 * each fires exactly on its trigger and nowhere else in the varied capture, with the rule's
 * default severity.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/dissectors/index.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { allExperts, expertDef, formatExpert } from '../../src/engine/expert.js';
import { MIP6_EXPERTS } from '../../src/dissectors/mip6/index.js';
import { variedFrames } from '../fixtures/mip6/frames.js';
import { installStubLayersIfMissing } from '../fixtures/mip6/stub.js';
import { BA, BU, baData, buData, greKey, ipv6, mh, mnId, padN, LMA, MAG } from '../fixtures/mip6/build.js';

installStubLayersIfMissing();

/** Default severities from lint-rules.md (info → note). */
const SEVERITY: Record<string, string> = {
  'P-GREKEY-BAD-LEN': 'error', 'P-GREKEY-RESERVED-NONZERO': 'warning', 'P-GREKEY-MISALIGNED': 'warning', 'P-GREKEY-DUPLICATE': 'warning',
  'P-GREKEY-WRONG-MSG': 'warning', 'P-PBA-S2-HAS-GREKEY': 'error', 'P-PBA-S3-T-SET': 'error', 'P-PBA-S3-NO-GREKEY': 'warning',
  'P-PBA-REJECT-HAS-GREKEY': 'note', 'P-PBU-T-NO-GREKEY': 'warning', 'P-PBA-T-NO-GREKEY': 'note', 'P-T-OVER-IPV6': 'note',
  'P-PBU-DEREG-HAS-GREKEY': 'warning', 'P-MH-PAYLOAD-PROTO': 'error', 'P-MH-HDRLEN': 'error', 'P-MH-OPT-OVERRUN': 'error',
  'P-MH-CKSUM-BAD': 'error', 'P-MH-CKSUM-NONZERO-UDP': 'warning', 'P-MH-RESERVED-NONZERO': 'warning', 'P-BU-RESERVED-FLAGS': 'note',
  'P-BA-RESERVED-FLAGS': 'note', 'P-B-WITHOUT-P': 'error', 'P-PADN-NONZERO': 'note',
};

/** frame name → the rule ids (sorted, with repeats) that must fire; every other frame fires none. */
const EXPECTED: Record<string, string[]> = {
  'pbu-T-key6-over-ipv6': ['P-T-OVER-IPV6'],
  'pba-s2-with-key': ['P-PBA-S2-HAS-GREKEY'],
  'pba-s3-T-set': ['P-PBA-S3-T-SET', 'P-T-OVER-IPV6'],
  'pba-s3-no-key': ['P-PBA-S3-NO-GREKEY'],
  'pba-s129-with-key': ['P-PBA-REJECT-HAS-GREKEY'],
  'pba-T-no-key': ['P-PBA-T-NO-GREKEY', 'P-T-OVER-IPV6'],
  'pbu-T-no-key': ['P-PBU-T-NO-GREKEY', 'P-T-OVER-IPV6'],
  'pbu-dereg-with-key': ['P-PBU-DEREG-HAS-GREKEY'],
  'pbu-misaligned-key': ['P-GREKEY-MISALIGNED'],
  'pbu-key-len4': ['P-GREKEY-BAD-LEN'],
  'pbu-key-len8': ['P-GREKEY-BAD-LEN'],
  'pbu-key-reserved': ['P-GREKEY-RESERVED-NONZERO'],
  'pbu-key-duplicate': ['P-GREKEY-DUPLICATE'],
  'bu-no-P-with-key': ['P-GREKEY-WRONG-MSG'],
  'pbu-all-flags-reserved': ['P-BU-RESERVED-FLAGS', 'P-PBU-T-NO-GREKEY', 'P-T-OVER-IPV6'],
  'bu-B-without-P': ['P-B-WITHOUT-P'],
  'pba-reserved-flags-B-no-P': ['P-B-WITHOUT-P', 'P-BA-RESERVED-FLAGS'],
  'pbu-misc-options': ['P-PADN-NONZERO'],
  'pbu-option-overrun': ['P-MH-OPT-OVERRUN'],
  'pbu-bad-checksum': ['P-MH-CKSUM-BAD'],
  'pbu-hlen-too-big': ['P-MH-HDRLEN'],
  'mh-payload-proto-reserved': ['P-MH-PAYLOAD-PROTO', 'P-MH-RESERVED-NONZERO'],
  // Header Len 0 (8 octets) is below the BU minimum, and the sender's checksum covered 12 octets
  'pbu-hlen-0': ['P-MH-CKSUM-BAD', 'P-MH-HDRLEN'],
  'pbu-key-len0': ['P-GREKEY-BAD-LEN'],
  'pbu-padn-nonzero': ['P-PADN-NONZERO'],
  'key-in-hb': ['P-GREKEY-MISALIGNED', 'P-GREKEY-WRONG-MSG'],
  'udp-pbu-nonzero-csum': ['P-MH-CKSUM-NONZERO-UDP'],
};

interface Item { abbrev: string; rule?: string; text: string; severity: string }

function dissect(data: Uint8Array, orig = data.length): Item[] {
  const pipe = new Pipeline();
  const p = pipe.dissectBytes(data, 0, data.length, orig, 101, 1, 0, 0);
  const out: Item[] = [];
  for (let k = 0; k < p.experts.count; k++) {
    const d = expertDef(p.experts.id[k]!);
    out.push({ abbrev: d.abbrev, rule: d.rule, severity: d.severity, text: formatExpert(d, p.experts.args[2 * k], p.experts.args[2 * k + 1]) });
  }
  return out;
}
const rules = (items: Item[]) => items.filter((i) => i.rule).map((i) => i.rule!).sort();

test('mip6 lint rules: every rule id is an expert item gretool.lint.<id> with its default severity', () => {
  const defs = allExperts().filter((d) => d.rule && d.abbrev.startsWith('gretool.lint.P-') && Object.values(MIP6_EXPERTS).includes(d.id));
  assert.deepEqual([...new Set(defs.map((d) => d.rule!))].sort(), Object.keys(SEVERITY).sort());
  for (const d of defs) {
    assert.equal(d.abbrev, 'gretool.lint.' + d.rule);
    assert.equal(d.severity, SEVERITY[d.rule!], d.rule);
  }
});

test('mip6 lint rules: each fires exactly on its trigger across the varied capture', () => {
  const frames = variedFrames();
  for (const name of Object.keys(EXPECTED)) assert.ok(frames.some((f) => f.name === name), `no frame ${name}`);
  const fired = new Set<string>();
  for (const f of frames) {
    const got = rules(dissect(f.data, f.orig));
    assert.deepEqual(got, EXPECTED[f.name] ?? [], f.name);
    got.forEach((r) => fired.add(r));
  }
  assert.deepEqual([...fired].sort(), Object.keys(SEVERITY).sort(), 'every rule is exercised');
});

test('mip6 lint rules: messages carry the evidence', () => {
  const bad = dissect(ipv6(mh(5, buData(1, BU.A | BU.P, 10), greKey(5), { csum: 0x1234 })));
  const ck = bad.find((i) => i.rule === 'P-MH-CKSUM-BAD')!;
  assert.match(ck.text, /Bad MH checksum 0x1234, should be 0x[0-9a-f]{4}/);
  const len4 = dissect(ipv6(mh(5, buData(1, BU.A | BU.P, 10), [33, 4, 0, 0, 0, 0])));
  assert.match(len4.find((i) => i.rule === 'P-GREKEY-BAD-LEN')!.text, /Length 4/);
  const mis = dissect(ipv6(mh(5, buData(1, BU.A | BU.P, 10), [...padN(2), ...greKey(5)])));
  assert.match(mis.find((i) => i.rule === 'P-GREKEY-MISALIGNED')!.text, /MH\+14/);
});

test('mip6 lint rules: boundary cases do not fire', () => {
  const none = (m: Uint8Array, o: { src?: string; dst?: string } = {}) => assert.deepEqual(rules(dissect(ipv6(m, o))), []);
  const toMag = { src: LMA, dst: MAG };
  // status 163 (reject) without a key; status 130 with a Length-2 option (no key handed out)
  none(mh(6, baData(163, BA.P, 1, 0), [], toMag), toMag);
  none(mh(6, baData(130, BA.P, 1, 0), greKey(), toMag), toMag);
  // key at MH+16 after PadN (4n aligned), reserved 0; T clear; lifetime > 0
  none(mh(5, buData(1, BU.A | BU.P, 10), [...mnId('a@b'), ...padN(2), ...greKey(7)]));
  // status 3, T clear, with a key; status 2 without a key
  none(mh(6, baData(3, BA.P, 1, 10), greKey(9), toMag), toMag);
  none(mh(6, baData(2, BA.P, 1, 10), [], toMag), toMag);
  // de-registration without a key; B with P
  none(mh(5, buData(1, BU.A | BU.P | BU.B, 0), []));
  // T set but not a proxy message: the PBU/PBA rules need P
  none(mh(5, buData(1, BU.A | BU.T, 10), []));
});

test('compliant PBU/PBA frames raise no expert item at all; option alignment is checked for every option', () => {
  const frames = variedFrames();
  const clean = ['pbu-key6', 'pba-s0-key6', 'pbu-key2', 'pba-s0-key2', 'pbu-ipv4-options', 'pba-ipv4-options', 'pbu-ts-frac', 'hb', 'udp-pbu-F-T-key', 'udp-pba-T-key', 'pbu-proto62'];
  for (const name of clean) {
    const f = frames.find((x) => x.name === name)!;
    assert.deepEqual(dissect(f.data).map((i) => i.abbrev), [], name);
  }
  const misc = frames.find((x) => x.name === 'pbu-misc-options')!;
  const notes = dissect(misc.data).filter((i) => i.abbrev === 'gretool.mip6.opt.misaligned').map((i) => i.text.replace(/ does not.*/, ''));
  assert.deepEqual(notes, [
    'Link-local Address option at MH+12', // 8n+6
    'Binding Identifier option at MH+75', // 2n without a care-of address
    'Binding Identifier option at MH+81', // 8n+2 with one
    'Restart Counter option at MH+99', // 4n+2
  ]);
});
