/**
 * `gretool generate` end to end (the built CLI): listing scenarios and faults, the output
 * options (-o -, --format, --nanosecond, --link, --start), and usage errors (exit 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, gretool, haveTool, rel, run, tempDir } from '../helpers/cli.js';
import { pcapFrames, dissect } from './helpers.js';

const dir = tempDir('gretool-generate-');
const REQUIRED = ['initial-attach', 'gre-only', 'lifetime-extension', 'handoff', 'deregistration', 'status-163', 'status-2', 'lma-ignores-grekey', 'ipv4-udp-tlv', 'status-3', 'overlapping-ipv4', 'mixed'];

test('--list: one line per built-in scenario file, name then description', () => {
  const r = gretool(['generate', '--list']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const files = readdirSync(rel('scenarios')).filter((f) => f.endsWith('.yaml'));
  assert.equal(lines.length, files.length);
  for (const name of REQUIRED) assert.ok(lines.some((l) => new RegExp(`^${name}\\s{2,}\\S`).test(l)), `missing ${name}`);
});

test('--list --json: an array of { name, description }', () => {
  const r = gretool(['generate', '--list', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { name: string; description: string }[];
  assert.ok(Array.isArray(list));
  for (const s of list) {
    assert.deepEqual(Object.keys(s).sort(), ['description', 'name']);
    assert.ok(s.description.length > 10, s.name);
  }
  assert.deepEqual(list.map((s) => s.name).sort(), [...REQUIRED].sort());
});

test('--list-faults prints each fault with its rule id; --json too', () => {
  const r = gretool(['generate', '--list-faults']);
  assert.equal(r.status, 0, r.stderr);
  const rules = readFileSync(rel('../shared/spec/lint-rules.md'), 'utf8');
  const j = JSON.parse(gretool(['generate', '--list-faults', '--json']).stdout) as { name: string; rule: string; rules: string[]; target: string; scenario: string; description: string }[];
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, j.length);
  j.forEach((f, i) => {
    assert.ok(lines[i]!.startsWith(f.name + ' '), lines[i]);
    assert.ok(lines[i]!.includes(f.rule), lines[i]);
    assert.equal(f.rule, f.rules[0]);
    for (const id of f.rules) assert.ok(rules.includes(`| ${id} |`), `${f.name}: ${id} is not a rule of lint-rules.md`);
    assert.ok(REQUIRED.includes(f.scenario), f.scenario);
  });
});

test('-o - writes the same capture to stdout as to a file', () => {
  const f = join(dir, 'a.pcap');
  assert.equal(gretool(['generate', 'handoff', '-o', f, '-q']).status, 0);
  const r = gretool(['generate', 'handoff', '-o', '-', '-q']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(r.stdoutBytes.equals(readFileSync(f)));
});

test('a summary line on stderr (no progress bar off a terminal), none with -q', () => {
  const r = gretool(['generate', 'initial-attach', '-o', join(dir, 's.pcap')]);
  assert.equal(r.status, 0);
  assert.match(r.stderr, /^gretool: wrote 32 frames \(2 signalling, 30 data; [\d.]+ s of traffic\) to .*s\.pcap in [\d.]+ s/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.equal(gretool(['generate', 'initial-attach', '-o', join(dir, 's.pcap'), '-q']).stderr, '');
});

test('--format pcapng (also chosen by the .pcapng extension) and --nanosecond', () => {
  const a = join(dir, 'x.pcapng');
  assert.equal(gretool(['generate', 'status-3', '-o', a, '-q']).status, 0);
  assert.equal(readFileSync(a).readUInt32LE(0), 0x0a0d0d0a);
  const b = join(dir, 'x.out');
  assert.equal(gretool(['generate', 'status-3', '--format', 'pcapng', '-o', b, '-q']).status, 0);
  assert.ok(readFileSync(a).equals(readFileSync(b)));
  const n = join(dir, 'n.pcap');
  assert.equal(gretool(['generate', 'status-3', '--nanosecond', '-o', n, '-q', '--start', '2026-01-01T00:00:00.123456789Z']).status, 0);
  const p = pcapFrames(n);
  assert.equal(p.nano, true);
  assert.equal(p.frames[0]!.frac, 123456789);
  const m = pcapFrames(join(dir, 'x.out').replace('x.out', 'n.pcap'));
  assert.equal(m.frames.length, 32);
  if (haveTool('tshark')) {
    const r = run('tshark', ['-r', a, '-T', 'fields', '-e', 'frame.encap_type']);
    assert.equal(r.status, 0, r.stderr);
  }
});

test('--link raw and --link sll write LINKTYPE_RAW / LINKTYPE_LINUX_SLL frames that dissect', () => {
  for (const [link, lt] of [['raw', 101], ['sll', 113], ['ethernet', 1]] as const) {
    const f = join(dir, `l-${link}.pcap`);
    assert.equal(gretool(['generate', 'ipv4-udp-tlv', '--link', link, '-o', f, '-q']).status, 0);
    const p = pcapFrames(f);
    assert.equal(p.linkType, lt);
    const pbu = dissect(p.frames[0]!.data, lt);
    assert.equal(pbu.get('mip6.mhtype'), '5');
    assert.equal(pbu.get('udp.checksum.status'), '1');
    const data = dissect(p.frames[2]!.data, lt);
    assert.equal(data.get('gre.key'), '0x00002001');
    if (link === 'sll') {
      assert.equal(dissect(p.frames[0]!.data, lt).get('sll.pkttype'), '0'); // PBU arrives at the LMA
      assert.equal(dissect(p.frames[1]!.data, lt).get('sll.pkttype'), '4'); // PBA leaves it
    }
  }
  assert.equal(gretool(['generate', 'initial-attach', '--link', 'ppp', '-o', join(dir, 'x.pcap')]).status, 2);
});

test('--start: ISO 8601 (UTC, or with a zone) or epoch seconds; default 2026-01-01T00:00:00Z', () => {
  const first = (args: string[]) => {
    const f = join(dir, 'start.pcap');
    const r = gretool(['generate', 'deregistration', '-o', f, '-q', ...args]);
    assert.equal(r.status, 0, r.stderr);
    return pcapFrames(f).frames[0]!;
  };
  assert.equal(first([]).sec, 1767225600);
  assert.equal(first(['--start', '2026-03-01T12:00:00Z']).sec, Date.UTC(2026, 2, 1, 12) / 1000);
  assert.equal(first(['--start', '2026-03-01 14:00:00+02:00']).sec, Date.UTC(2026, 2, 1, 12) / 1000);
  assert.equal(first(['--start', '2026-03-01T12:00:00']).sec, Date.UTC(2026, 2, 1, 12) / 1000);
  const e = first(['--start', '1700000000.25']);
  assert.equal(e.sec, 1700000000);
  assert.equal(e.frac, 250000);
  assert.equal(gretool(['generate', 'deregistration', '-o', join(dir, 'x.pcap'), '--start', 'yesterday']).status, 2);
});

test('usage errors exit 2 with a message', () => {
  const cases: [string[], RegExp][] = [
    [['generate', 'no-such-scenario', '-o', join(dir, 'x.pcap')], /unknown scenario "no-such-scenario"/],
    [['generate', 'handoff'], /-o FILE is required/],
    [['generate', '-o', join(dir, 'x.pcap')], /name a scenario/],
    [['generate', 'handoff', '--fault', 'nope', '-o', join(dir, 'x.pcap')], /unknown fault "nope"/],
    [['generate', 'handoff', '--fault', 'status3-t-set', '-o', join(dir, 'x.pcap')], /"status3-t-set" .*try scenario status-3.* does not apply anywhere in scenario "handoff"/],
    [['generate', 'handoff', '--sessions', '0', '-o', join(dir, 'x.pcap')], /--sessions must be a positive integer/],
    [['generate', 'handoff', '--packets', 'many', '-o', join(dir, 'x.pcap')], /--packets must be a positive integer/],
    [['generate', 'handoff', '--seed', '-1', '-o', join(dir, 'x.pcap')], /seed/],
    [['generate', 'handoff', '--format', 'erf', '-o', join(dir, 'x.pcap')], /Allowed choices are pcap, pcapng/],
    [['generate', 'no/such/file.yaml', '-o', join(dir, 'x.pcap')], /scenario file no\/such\/file\.yaml does not exist/],
  ];
  for (const [args, re] of cases) {
    const r = gretool(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
});

test('an unwritable output is exit 4', () => {
  const r = gretool(['generate', 'handoff', '-o', join(dir, 'no-dir', 'x.pcap')]);
  assert.equal(r.status, 4, r.stderr);
  assert.ok(!existsSync(join(dir, 'no-dir')));
});

test('a write error over a larger existing file: exit 4, one line, and the file holds only the new records written', () => {
  // the file size limit makes the writes fail part-way (EFBIG) over an old file larger than it
  const f = join(dir, 'limited.pcap');
  writeFileSync(f, Buffer.alloc(4 << 20, 0x5a));
  const args = ['generate', 'mixed', '--sessions', '200', '--packets', '20000', '--seed', '5', '-q'];
  const r = run('sh', ['-c', 'ulimit -f 2048 && exec "$0" "$@"', process.execPath, BIN, ...args, '-o', f]);
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /^gretool: cannot write .*limited\.pcap: EFBIG[^\n]*\n$/);
  const got = readFileSync(f);
  assert.ok(got.length > 0 && got.length < 4 << 20, `cut to what was written (${got.length} octets)`);
  const full = join(dir, 'unlimited.pcap');
  assert.equal(gretool([...args, '-o', full]).status, 0);
  assert.ok(readFileSync(full).subarray(0, got.length).equals(got), 'a prefix of the full capture, none of the old octets');
});

test('--help documents the options and examples', () => {
  const r = gretool(['generate', '--help']);
  assert.equal(r.status, 0);
  for (const o of ['--list', '--list-faults', '--json', '--format', '--nanosecond', '--link', '--seed', '--start', '--fault', '--sessions', '--duration', '--packets', 'Exit codes']) assert.ok(r.stdout.includes(o), o);
});

test('--list-fields: the override names are gretool field names (two builder-only flag words aside)', async () => {
  await import('../../src/dissectors/index.js');
  const { fieldByName } = await import('../../src/engine/fields.js');
  const r = gretool(['generate', '--list-fields', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const names = JSON.parse(r.stdout) as string[];
  assert.ok(names.length > 80);
  for (const n of ['ip.ttl', 'ipv6.hlim', 'udp.checksum', 'gre.key', 'gre.flags.routing', 'pmip6.tlv.length', 'mip6.ba.status', 'mip6.bu.t_flag', 'mip6.gre_key', 'tcp.flags']) assert.ok(names.includes(n), n);
  const unknown = names.filter((n) => !fieldByName(n));
  assert.deepEqual(unknown, ['gretool.mip6.ba.flags', 'gretool.mip6.bu.flags']);
});
