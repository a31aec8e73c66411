/**
 * `gretool dissect -j N` (worker threads) prints what one thread prints, byte for byte: every
 * output format, time format, filter and -c, on captures cut into many small batches
 * (GRETOOL_DISSECT_BATCH), including the session fields of -V (worker 0 notes every frame's
 * attribution), pcapng interfaces and comments, colours, and a capture cut mid-record (same output,
 * same error, same exit code).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, gretool, SAMPLES, tempDir } from '../helpers/cli.js';
import { defaultJobs } from '../../src/output/parallel.js';

const dir = tempDir('gretool-jobs-');
const mixed = join(dir, 'mixed.pcap');
const ng = join(dir, 'mixed.pcapng');
const faults = join(dir, 'faults.pcap');
const cut = join(dir, 'cut.pcap');
for (const [args, out] of [
  [['mixed', '--sessions', '40', '--packets', '3000', '--seed', '7'], mixed],
  [['mixed', '--sessions', '40', '--packets', '3000', '--seed', '8', '--format', 'pcapng', '--nanosecond', '--link', 'sll'], ng],
  [['initial-attach', '--fault', 'grekey-len4', '--fault', 'grekey-misaligned', '--sessions', '20'], faults],
] as const) {
  const r = gretool(['generate', ...args, '-q', '-o', out]);
  assert.equal(r.status, 0, r.stderr);
}
const bytes = readFileSync(mixed);
writeFileSync(cut, bytes.subarray(0, bytes.length - 30));

/** Runs dissect with one thread and with `jobs` workers (small batches) and compares everything. */
function same(file: string, args: string[], jobs = 2, batch = '97'): void {
  const one = gretool(['dissect', file, ...args]);
  const many = gretool(['dissect', '-j', String(jobs), file, ...args], { env: { GRETOOL_DISSECT_BATCH: batch } });
  assert.equal(many.status, one.status, `${args.join(' ')}: exit code\n${many.stderr}`);
  assert.equal(many.stderr, one.stderr, `${args.join(' ')}: stderr`);
  assert.ok(one.stdoutBytes.length > 0 || args.includes('-Y'), `${args.join(' ')}: some output`);
  assert.ok(many.stdoutBytes.equals(one.stdoutBytes), `${args.join(' ')}: output differs (${many.stdoutBytes.length} vs ${one.stdoutBytes.length} bytes)`);
}

test('summary lines in every time format are the same with worker threads', () => {
  for (const t of ['r', 'd', 'dd', 'a', 'ad', 'e', 'u', 'udoy']) same(mixed, ['-t', t]);
  same(ng, ['-t', 'd']);
});

test('-V (session and lint fields), -x and -P are the same with worker threads', () => {
  same(mixed, ['-V']);
  same(ng, ['-V', '-x', '-P']);
  same(faults, ['-V']);
  same(mixed, ['-x'], 3, '5');
});

test('-T fields, -T ek and generated fields are the same with worker threads', () => {
  same(mixed, ['-T', 'fields', '-E', 'header=y', '-e', 'frame.number', '-e', 'frame.time_delta_displayed', '-e', 'gre.key', '-e', 'mip6.gre_key', '-e', 'gretool.session', '-e', 'gretool.direction']);
  same(faults, ['-T', 'fields', '-e', 'frame.number', '-e', 'gretool.lint.rule']);
  same(ng, ['-T', 'ek', '-e', 'ip.src', '-e', 'gre.key']);
  same(mixed, ['-T', 'ek'], 2, '400');
});

test('filters and -c are the same with worker threads', () => {
  same(mixed, ['-Y', 'gre.key == 0x1']); // nothing matches: no output
  same(mixed, ['-Y', 'mip6']);
  same(mixed, ['-Y', 'gretool.session == 3', '-T', 'fields', '-e', 'frame.number', '-e', 'gretool.direction']);
  same(mixed, ['-Y', 'ip', '-t', 'dd']); // stays in one thread (previous displayed frame)
  same(mixed, ['-Y', 'mip6', '-V']); // likewise
  same(mixed, ['-c', '1234']);
  same(mixed, ['-c', '250', '-V']);
});

test('pcapng interfaces and comments, colours and a truncated capture', () => {
  const varied = join(FIXTURES, 'output', 'varied.pcapng');
  same(varied, ['-V'], 2, '2');
  same(varied, ['-T', 'fields', '-e', 'frame.number', '-e', 'frame.interface_name', '-e', 'frame.comment'], 2, '3');
  same(faults, ['--color'], 2, '3');
  same(cut, []);
  same(cut, ['-V'], 2, '500');
  const r = gretool(['dissect', '-j', '2', cut]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /truncat|cut/i);
});

test('-j checks its value; -j auto on a small file prints the same', () => {
  for (const bad of ['0', 'x', '65']) {
    const r = gretool(['dissect', '-j', bad, join(SAMPLES, 'mixed.pcap')]);
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, new RegExp(`-j ${bad}:`));
  }
  same(mixed, ['-V'], 1);
  const auto = gretool(['dissect', '-j', 'auto', mixed]);
  assert.equal(auto.status, 0);
  assert.ok(auto.stdoutBytes.equals(gretool(['dissect', mixed]).stdoutBytes));
});

test('default worker threads: two for the whole tree from two cores on, none for lighter outputs', () => {
  const cases: [boolean, number, number][] = [
    [true, 1, 1], [true, 2, 2], [true, 3, 2], [true, 16, 2],
    [false, 1, 1], [false, 2, 1], [false, 3, 1], [false, 4, 1], [false, 16, 1],
  ];
  for (const [heavy, cores, want] of cases) assert.equal(defaultJobs(heavy, cores), want, `heavy=${heavy} cores=${cores}`);
});
