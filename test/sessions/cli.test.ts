/**
 * `gretool sessions` end to end (the built CLI: `npm run build` first): formats, stdin, colour
 * decision, exit codes, a capture cut mid-record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES, gretool, tempDir } from '../helpers/cli.js';
import { matchGolden } from '../helpers/golden.js';
import { greData, inner, pcapBytes, signal6, type TimedFrame } from './frames.js';

const M = '2001:db8:1::1';
const L = '2001:db8:f::1';
const T0 = 1700000000;

function capture(): TimedFrame[] {
  const hnp = '2001:db8:aaaa:1::/64';
  const mn = '2001:db8:aaaa:1::5';
  const cn = '2001:db8:cc::1';
  return [
    { time: T0, data: signal6(M, L, { type: 'pbu', seq: 1, lifetime: 100, mnId: 'mn,"quoted"@x', hnp: [hnp], gre: 0xa001 }) },
    { time: T0 + 0.01, data: signal6(L, M, { type: 'pba', seq: 1, lifetime: 100, mnId: 'mn,"quoted"@x', hnp: [hnp], gre: 0xfffffffe }) },
    { time: T0 + 1, data: greData(M, L, inner(mn, cn), { key: 0xfffffffe }) },
    { time: T0 + 2, data: greData(L, M, inner(cn, mn), { key: 0xa001 }) },
    { time: T0 + 3, data: greData(L, M, inner(cn, mn), { key: 0xbeef }) },
    { time: T0 + 4, data: signal6(M, L, { type: 'pbu', seq: 2, lifetime: 100, mnId: 'other', hnp: ['2001:db8:bbbb::/64'] }) },
  ];
}

const dir = tempDir('gretool-sessions-cli-');
const file = join(dir, 'c.pcap');
writeFileSync(file, pcapBytes(capture()));

test('--format json follows the documented schema; keys are numbers', () => {
  const r = gretool(['sessions', file, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.schema, 'gretool.sessions/1');
  assert.deepEqual(Object.keys(j), ['schema', 'summary', 'bindings', 'unattributed', 'unansweredPbus', 'unsolicitedPbas']);
  const b = j.bindings[0];
  for (const k of ['id', 'mnId', 'hnp', 'ipv4HomeAddress', 'mag', 'lma', 'transport', 'greMode', 'downlinkKey', 'uplinkKey', 'tlv', 'state', 'lifetime', 'history', 'uplink', 'downlink', 'firstFrame', 'lastFrame']) {
    assert.ok(k in b, `binding key ${k}`);
  }
  assert.equal(b.uplinkKey, 0xfffffffe);
  assert.equal(b.downlinkKey, 0xa001);
  assert.deepEqual([b.uplink.frames, b.downlink.frames], [1, 1]);
  assert.deepEqual(j.unattributed.map((u: { key: number }) => u.key), [0xbeef]);
  assert.deepEqual(j.unansweredPbus.map((u: { frame: number }) => u.frame), [6]);
  assert.equal(j.bindings[1].state, 'pending');
});

test('--format csv: RFC 4180 quoting, decimal keys; --csv-table picks the table', () => {
  const r = gretool(['sessions', file, '--format', 'csv']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^id,mnId,hnp,/);
  assert.match(lines[1]!, /^1,"mn,""quoted""@x",2001:db8:aaaa:1::\/64,/);
  assert.match(lines[1]!, /,40961,4294967294,false,active,400,/);
  const u = gretool(['sessions', file, '--format', 'csv', '--csv-table', 'unattributed']);
  assert.match(u.stdout.split('\n')[1]!, /^48879,2001:db8:f::1,2001:db8:1::1,downlink,gre,unknown-key:1,1,/);
});

test('table: the default fits a terminal; --wide adds home addresses, TLV, lifetime, bytes and history', () => {
  const narrow = gretool(['sessions', file]);
  assert.equal(narrow.status, 0, narrow.stderr);
  const head = (out: string) => out.split('\n').find((l) => l.includes('MN identifier'))!.split('│').map((c) => c.trim()).filter(Boolean);
  assert.deepEqual(head(narrow.stdout), ['ID', 'MN identifier', 'MAG (Proxy-CoA)', 'LMA', 'Transport', 'GRE', 'DL key', 'UL key', 'State', 'Frames up/down']);
  assert.ok(Math.max(...narrow.stdout.split('\n').map((l) => l.length)) <= 160, 'no line wider than 160 columns');
  const wide = gretool(['sessions', file, '--wide']);
  assert.equal(wide.status, 0, wide.stderr);
  assert.deepEqual(head(wide.stdout), ['ID', 'MN identifier', 'Home address', 'MAG (Proxy-CoA)', 'LMA', 'Transport', 'GRE', 'DL key', 'UL key', 'TLV', 'State', 'Lifetime', 'Uplink', 'Downlink', 'History']);
  // the same bindings either way
  const ids = (out: string) => out.split('\n').filter((l) => /^│ \d+ /.test(l)).map((l) => l.split('│')[1]!.trim());
  assert.deepEqual(ids(narrow.stdout), ids(wide.stdout));
  assert.ok(ids(narrow.stdout).length >= 2);
});

test('table: plain without a TTY or with NO_COLOR; --color forces colour; stdin as "-"', () => {
  const plain = gretool(['sessions', file]);
  assert.equal(plain.status, 0, plain.stderr);
  assert.ok(!plain.stdout.includes('\u001b['), 'no escape codes');
  assert.match(plain.stdout, /Bindings \(2\)/);
  assert.match(plain.stdout, /0xfffffffe/);
  assert.match(plain.stdout, /Unanswered PBUs \(1\)/);
  const colour = gretool(['sessions', file, '--color']);
  assert.ok(colour.stdout.includes('\u001b['), 'escape codes with --color');
  const noColour = gretool(['sessions', file, '--color', '--no-color']);
  assert.ok(!noColour.stdout.includes('\u001b['));
  const stdin = gretool(['sessions', '-', '--format', 'json'], { input: readFileSync(file) });
  assert.equal(stdin.status, 0, stdin.stderr);
  assert.equal(JSON.parse(stdin.stdout).bindings.length, 2);
  assert.equal(plain.stderr, '', 'no progress bar without a TTY');
});

test('exit codes: missing file 3, bad option 2, cut capture 3 after the report', () => {
  assert.equal(gretool(['sessions', join(dir, 'missing.pcap')]).status, 3);
  assert.equal(gretool(['sessions', file, '--format', 'xml']).status, 2);
  const bytes = readFileSync(file);
  const cut = join(dir, 'cut.pcap');
  writeFileSync(cut, bytes.subarray(0, bytes.length - 20));
  const r = gretool(['sessions', cut, '--format', 'json']);
  assert.equal(r.status, 3);
  assert.equal(JSON.parse(r.stdout).summary.frames, 5, 'what was read is reported');
  assert.match(r.stderr, /cut short/);
});

// ---------------------------------------------------------------- golden reports on committed samples

test('reports on committed samples (golden): table, --wide, json, csv tables', () => {
  const out = (args: string[]) => {
    const r = gretool(['sessions', ...args], { env: { NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    return r.stdout;
  };
  const sample = (name: string) => join(SAMPLES, `${name}.pcap`);
  matchGolden('sessions', 'handoff.txt', out([sample('handoff')]));
  matchGolden('sessions', 'mixed-wide.txt', out([sample('mixed'), '--wide']));
  matchGolden('sessions', 'overlapping-ipv4.json', out([sample('overlapping-ipv4'), '--format', 'json']));
  matchGolden('sessions', 'status-163.csv', out([sample('status-163'), '--format', 'csv']));
  matchGolden('sessions', 'unattributed.csv', out([file, '--format', 'csv', '--csv-table', 'unattributed']));
});
