/**
 * Packet-scope findings through dissection: hand-built frames (laid out byte by byte from the
 * RFCs by test/sessions/frames.ts, independently of the generator), the binding a packet finding
 * belongs to, the `gretool.lint.rule` field and display filter, and malformed PBUs (their
 * packet findings are reported; the pair rules do not judge what could not be read).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { TMP, capture, describe, lint } from './helpers.js';
import { pcapBytes, signal4, signal6, tlvData, greData, inner, type TimedFrame } from '../sessions/frames.js';
import { dissectCapture } from '../../src/output/dissect.js';
import { lintFieldsPostDissector } from '../../src/lint/fields.js';
import { resolvePolicy } from '../../src/lint/config.js';

const MAG4 = '192.0.2.10';
const LMA4 = '198.51.100.1';
const MAG = '2001:db8:1::1';
const LMA = '2001:db8:f::1';
const T0 = 1700000000;

function write(name: string, frames: Uint8Array[]): string {
  const path = join(TMP, name);
  writeFileSync(path, pcapBytes(frames.map((data, i): TimedFrame => ({ data, time: T0 + i * 0.01 }))));
  return path;
}

test('TLV data on 5436 in both ports: W-TLV-ON-5436 (info) on the data frames, with their session', async () => {
  const path = write('tlv5436.pcap', [
    signal4(MAG4, LMA4, 5436, 5436, { type: 'pbu', seq: 1, lifetime: 900, mnId: 'mn@x', gre: 0xa001, tFlag: true, fFlag: true, hoa: '0.0.0.0' }),
    signal4(LMA4, MAG4, 5436, 5436, { type: 'pba', seq: 1, lifetime: 900, mnId: 'mn@x', gre: 0xb001, tFlag: true, hoa: '10.0.0.5' }),
    tlvData(MAG4, LMA4, inner('10.0.0.5', '8.8.8.8'), { key: 0xb001, port: 5436 }),
    tlvData(LMA4, MAG4, inner('8.8.8.8', '10.0.0.5'), { key: 0xa001, port: 5436 }),
  ]);
  const r = await lint(path);
  assert.deepEqual(r.findings.map((f) => [f.rule, f.severity, f.frames, f.session]), [['W-TLV-ON-5436', 'info', [3, 4], 1]], describe(r));
});

test('a packet finding on a PBU names the PBU\'s binding; the same problem in two sessions is two findings', async () => {
  const path = await capture('overlapping-ipv4', ['grekey-reserved']);
  const r = await lint(path);
  const fs = r.findings.filter((f) => f.rule === 'P-GREKEY-RESERVED-NONZERO');
  assert.deepEqual(fs.map((f) => f.session), [1, 2, 3, 4], describe(r));
  assert.ok(fs.every((f) => f.frames.length === 1));
});

test('gretool.lint.rule: one node per packet-scope finding, filterable', async () => {
  const path = await capture('initial-attach', ['grekey-len4', 'gre-reserved0']);
  const seen: [number, string[], string[]][] = [];
  await dissectCapture(
    path,
    (f) => {
      seen.push([f.number, f.texts('gretool.lint.rule'), f.texts('gretool.lint.severity')]);
    },
    { filter: 'gretool.lint.rule == "P-GREKEY-BAD-LEN"', postDissectors: [lintFieldsPostDissector()] },
  );
  assert.deepEqual(seen, [[1, ['P-GREKEY-BAD-LEN'], ['error']]]);
  let n = 0;
  await dissectCapture(path, () => void n++, { filter: 'gretool.lint.rule == "G-RESERVED0-6-12" && gretool.lint.severity == "warning"', postDissectors: [lintFieldsPostDissector()] });
  const r = await lint(path);
  assert.equal(n, r.findings.find((f) => f.rule === 'G-RESERVED0-6-12')!.frames.length);
  // the policy: disabled rules give no node, overridden severities show
  const policy = resolvePolicy({ noConfig: true, cli: { disable: ['P-GREKEY-BAD-LEN'], severity: { 'G-RESERVED0-6-12': 'error' } } });
  const rules = new Set<string>();
  await dissectCapture(path, (f) => void f.texts('gretool.lint.rule').forEach((x, i) => rules.add(`${x}:${f.texts('gretool.lint.severity')[i]}`)), { postDissectors: [lintFieldsPostDissector({ policy })] });
  assert.deepEqual([...rules], ['G-RESERVED0-6-12:error']);
});

test('a malformed PBU: its packet finding, and no pair/session verdict built on what could not be read', async () => {
  for (const fault of ['grekey-len4', 'mh-hdrlen-overrun', 'mh-opt-overrun']) {
    const r = await lint(await capture('initial-attach', [fault]));
    const rules = [...new Set(r.findings.map((f) => f.rule))];
    assert.equal(rules.length, 1, `${fault}:\n${describe(r)}`);
    assert.match(rules[0]!, /^P-/);
  }
});

test('IPv6 GRE data with an unknown key between endpoints that never registered: S-GRE-DATA-NO-NEGOTIATION, once per tunnel', async () => {
  const path = write('nonego.pcap', [
    greData(MAG, LMA, inner('2001:db8:a::5', '2001:db8:cc::1'), { key: 0x1234 }),
    greData(LMA, MAG, inner('2001:db8:cc::1', '2001:db8:a::5'), { key: 0x5678 }),
    greData(MAG, LMA, inner('2001:db8:a::5', '2001:db8:cc::1'), { key: 0x1234 }),
    signal6(MAG, LMA, { type: 'pbu', seq: 1, lifetime: 900, mnId: 'mn@x', gre: 0xa001, hnp: ['2001:db8:a::/64'] }),
  ]);
  const r = await lint(path, { disable: ['S-PBA-UNMATCHED'] });
  assert.deepEqual(r.findings.map((f) => [f.rule, f.severity, f.frames, f.session]), [['S-GRE-DATA-NO-NEGOTIATION', 'info', [1, 2, 3], null]], describe(r));
});
