/**
 * End-to-end tests of the built CLI: `gretool dissect` output formats against golden files,
 * option handling and exit codes, input cut mid-record, closed stdout, -w round trips, colour.
 * Golden files live in test/golden/dissect/; regenerate with UPDATE_GOLDEN=1 and read the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, gretool, haveTool, rel, run, tempDir } from '../helpers/cli.js';
import { matchGolden } from '../helpers/golden.js';

const VARIED = rel('test', 'fixtures', 'output', 'varied.pcap');
const hasTshark = haveTool('tshark');
const ENV = { TZ: 'UTC' };

function golden(name: string, actual: string): void {
  matchGolden('dissect', name, actual);
}

function ok(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = gretool(args, { env: { ...ENV, ...env } });
  assert.equal(r.stderr, '', `stderr of gretool ${args.join(' ')}`);
  assert.equal(r.status, 0, `exit status of gretool ${args.join(' ')}`);
  return r.stdout;
}

// ---------------------------------------------------------------- formats (golden)

test('summary lines (golden)', () => golden('summary.txt', ok(['dissect', VARIED])));
test('-V tree (golden)', () => golden('verbose.txt', ok(['dissect', VARIED, '-V'])));
test('-V -x tree and hex (golden)', () => golden('verbose-hex.txt', ok(['dissect', VARIED, '-V', '-x', '-c', '3'])));
test('-T json (golden)', () => golden('json.json', ok(['dissect', VARIED, '-T', 'json'])));
test('-T ek (golden)', () => golden('ek.ndjson', ok(['dissect', VARIED, '-T', 'ek'])));
test('-T fields (golden)', () =>
  golden('fields.tsv', ok(['dissect', VARIED, '-T', 'fields', '-E', 'header=y', '-e', 'frame.number', '-e', 'frame.protocols', '-e', 'ip.src', '-e', 'gre.key', '-e', 'mip6.gre_key'])));
test('-t ad -c 4 summary (golden)', () => golden('summary-ad.txt', ok(['dissect', VARIED, '-t', 'ad', '-c', '4'])));

test('-x alone equals tshark -x', { skip: !hasTshark && 'tshark not installed' }, () => {
  const theirs = run('tshark', ['-r', VARIED, '-x']).stdout;
  assert.equal(ok(['dissect', VARIED, '-x']), theirs);
});

test('-P -x: summary, blank line, hex, blank line (tshark layout)', () => {
  const out = ok(['dissect', VARIED, '-P', '-x', '-c', '1']);
  const lines = out.split('\n');
  assert.match(lines[0]!, /^ {4}1 {3}0\.000000 /);
  assert.equal(lines[1], '');
  assert.match(lines[2]!, /^0000 {2}02 00 00 00 00 02 /);
  assert.equal(out.endsWith('\n\n'), true);
});

test('json is valid and ek lines parse', () => {
  assert.equal((JSON.parse(ok(['dissect', VARIED, '-T', 'json'])) as unknown[]).length, 14);
  const lines = ok(['dissect', VARIED, '-T', 'ek']).trimEnd().split('\n');
  assert.equal(lines.length, 28);
  for (const l of lines) JSON.parse(l);
});

// ---------------------------------------------------------------- options and exit codes

test('-c stops after N frames read', () => {
  assert.equal(ok(['dissect', VARIED, '-c', '3']).trimEnd().split('\n').length, 3);
});

test('stdin: "-" reads the capture from standard input', () => {
  const r = gretool(['dissect', '-', '-c', '2'], { input: readFileSync(VARIED), env: ENV });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, ok(['dissect', VARIED, '-c', '2']));
});

test('usage errors exit 2 with a clear message', () => {
  const cases: [string[], RegExp][] = [
    [['dissect', VARIED, '-T', 'fields', '-e', 'gre.kye'], /unknown field "gre\.kye".*did you mean.*gre\.key/s],
    [['dissect', VARIED, '-T', 'fields'], /needs at least one -e/],
    [['dissect', VARIED, '-e', 'frame.number'], /add -T fields/],
    [['dissect', VARIED, '-t', 'zz'], /unknown time format/],
    [['dissect', VARIED, '-c', '0'], /-c 0/],
    [['dissect', VARIED, '-T', 'xml'], /xml/],
    [['dissect', VARIED, '-T', 'fields', '-e', 'frame.number', '-E', 'quote=x'], /quote=x/],
    [['dissect', VARIED, '-w', '-', '-V'], /cannot be combined/],
    [['dissect', VARIED, '-x', '-T', 'json'], /-x .*cannot be combined with -T json/],
  ];
  for (const [args, re] of cases) {
    const r = gretool(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stdout, '');
  }
});

test('input errors exit 3: missing file, not a capture', () => {
  const dir = tempDir();
  const junk = join(dir, 'junk.pcap');
  writeFileSync(junk, 'GET / HTTP/1.1\r\n\r\n');
  for (const f of [join(dir, 'missing.pcap'), junk]) {
    const r = gretool(['dissect', f]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /^gretool: /);
  }
});

test('a capture cut mid-record: every complete frame is printed, then the error (exit 3)', () => {
  const dir = tempDir();
  const cut = join(dir, 'cut.pcap');
  const full = readFileSync(VARIED);
  // keep the header and the first 5 records, then half of the 6th
  let off = 24;
  for (let i = 0; i < 5; i++) off += 16 + full.readUInt32LE(off + 8);
  writeFileSync(cut, full.subarray(0, off + 30));
  const r = gretool(['dissect', cut], { env: ENV });
  assert.equal(r.status, 3, r.stderr);
  assert.equal(r.stdout, ok(['dissect', VARIED, '-c', '5']));
  assert.match(r.stderr, /gretool: .*cut\.pcap/);
});

test('a closed stdout ends the run quietly (gretool dissect big | head -1)', () => {
  const dir = tempDir();
  const big = join(dir, 'big.pcap');
  const full = readFileSync(VARIED);
  const parts = [full];
  for (let i = 0; i < 3000; i++) parts.push(full.subarray(24));
  writeFileSync(big, Buffer.concat(parts));
  for (const mode of ['-V', '-x']) {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" dissect "${big}" ${mode} | head -1`], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${mode}: ${r.stderr}`);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.split('\n').length, 2);
  }
  const r2 = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" dissect "${big}" | head -2`], { encoding: 'utf8' });
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal(r2.stderr, '');
  assert.equal(r2.stdout.split('\n').length, 3);
});

// ---------------------------------------------------------------- -Y

test('-Y keeps matching frames in every format and in -w; -t dd counts from the previous displayed frame', () => {
  const all = ok(['dissect', VARIED]).trimEnd().split('\n');
  const some = ok(['dissect', VARIED, '-Y', 'frame.number >= 12 || frame.number == 3']).trimEnd().split('\n');
  assert.deepEqual(some, [all[2], all[11], all[12], all[13]]);
  const fields = ok(['dissect', VARIED, '-Y', 'frame.len > 100', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.len']);
  assert.equal(fields, '1\t134\n4\t108\n10\t106\n12\t138\n');
  assert.equal((JSON.parse(ok(['dissect', VARIED, '-Y', 'frame.len > 100', '-T', 'json'])) as unknown[]).length, 4);
  assert.equal(ok(['dissect', VARIED, '-Y', 'frame.len > 100', '-T', 'ek']).trimEnd().split('\n').length, 8);
  const dd = ok(['dissect', VARIED, '-Y', 'frame.number == 2 || frame.number == 5', '-t', 'dd']).trimEnd().split('\n');
  assert.match(dd[0]!, /^ {4}2 {3}0\.000000 /);
  assert.match(dd[1]!, /^ {4}5 {3}1\.370371 /);
  const dir = tempDir();
  const out = join(dir, 'big.pcapng');
  assert.equal(ok(['dissect', VARIED, '-Y', 'frame.len > 100', '-w', out]), '');
  assert.equal(ok(['dissect', out, '-T', 'fields', '-e', 'frame.len']), '134\n108\n106\n138\n');
});

test('a bad filter exits 2 with the caret message', () => {
  const r = gretool(['dissect', VARIED, '-Y', 'frame.numbr == 1']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /frame\.numbr.*\n.*frame\.numbr == 1\n +\^~+/);
  assert.equal(r.stdout, '');
});

// ---------------------------------------------------------------- -w

test('-w writes the frames as pcap, pcapng and nsecpcap with the link type kept', { skip: !hasTshark && 'tshark not installed' }, () => {
  const dir = tempDir();
  const want = run('tshark', ['-r', VARIED, '-x']).stdout;
  for (const [fmt, magic] of [
    ['pcap', 'd4c3b2a1'],
    ['nsecpcap', '4d3cb2a1'],
    ['pcapng', '0a0d0d0a'],
  ] as const) {
    const out = join(dir, `out-${fmt}`);
    const r = gretool(['dissect', VARIED, '-w', out, '-F', fmt]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '', 'nothing printed while writing');
    assert.equal(readFileSync(out).subarray(0, 4).toString('hex'), magic, fmt);
    assert.equal(run('tshark', ['-r', out, '-x']).stdout, want, `${fmt}: same bytes`);
    const t = run('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len']).stdout;
    assert.equal(t, run('tshark', ['-r', VARIED, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len']).stdout, `${fmt}: times and lengths`);
  }
});

test('-w - writes the capture to stdout; -P prints while writing a file; -c limits both', () => {
  const dir = tempDir();
  const r = gretool(['dissect', VARIED, '-w', '-', '-F', 'pcap', '-c', '4']);
  assert.equal(r.status, 0, r.stderr);
  const file = join(dir, 'stdout.pcap');
  writeFileSync(file, r.stdoutBytes);
  assert.equal(ok(['dissect', file]), ok(['dissect', VARIED, '-c', '4']));
  const out = join(dir, 'p.pcapng');
  assert.equal(ok(['dissect', VARIED, '-w', out, '-P', '-c', '2']), ok(['dissect', VARIED, '-c', '2']));
  assert.equal(ok(['dissect', out]), ok(['dissect', VARIED, '-c', '2']));
});

// ---------------------------------------------------------------- colour

test('colour: never by default off a TTY; FORCE_COLOR and --color turn it on; NO_COLOR and --no-color win', () => {
  const esc = /\x1b\[/;
  assert.doesNotMatch(ok(['dissect', VARIED]), esc);
  const forced = ok(['dissect', VARIED], { NO_COLOR: undefined, FORCE_COLOR: '1' });
  assert.match(forced, esc);
  // only frames with problems are coloured
  const plain = ok(['dissect', VARIED]).split('\n');
  forced.split('\n').forEach((l, i) => {
    if (!esc.test(l)) assert.equal(l, plain[i]);
  });
  assert.match(ok(['dissect', VARIED, '--color']), esc, '--color beats NO_COLOR');
  assert.doesNotMatch(ok(['dissect', VARIED, '--no-color'], { NO_COLOR: undefined, FORCE_COLOR: '1' }), esc);
  assert.doesNotMatch(ok(['dissect', VARIED], { NO_COLOR: '1', FORCE_COLOR: '1' }), esc, 'NO_COLOR beats FORCE_COLOR');
  for (const t of ['json', 'ek']) assert.doesNotMatch(ok(['dissect', VARIED, '--color', '-T', t]), esc, `${t} is never coloured`);
  assert.doesNotMatch(ok(['dissect', VARIED, '--color', '-T', 'fields', '-e', 'frame.number']), esc, 'fields are never coloured');
});
