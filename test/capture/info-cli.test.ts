/** `gretool info` end to end through the built CLI (bin/gretool.js → dist/). */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { BIN, gretool, tempDir } from '../helpers/cli.js';
import { pcapFile, readAll, variedRecords, writeRecords } from './util.js';

const dir = tempDir('gretool-info-');

async function smallCapture(): Promise<string> {
  const path = join(dir, 'small.pcap');
  const spec = variedRecords(5, 8);
  // a small last record, so cutting it at every byte is quick
  spec[4] = { ...spec[4]!, data: Uint8Array.from({ length: 40 }, (_, i) => i), origlen: 40 };
  await writeRecords(path, { format: 'pcap', nanosecond: true, interfaces: [{ linkType: 229 }] }, spec);
  return path;
}

function noStack(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(stderr, /internal error/);
}

/** Runs the CLI asynchronously (to run many at once). */
function gretoolAsync(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

describe('gretool info', () => {
  it('prints a human-readable report', async () => {
    const path = await smallCapture();
    const r = gretool(['info', path]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^File: +.*small\.pcap$/m);
    assert.match(r.stdout, /^Format: +pcap 2\.4, little-endian$/m);
    assert.match(r.stdout, /^Timestamps: +nanoseconds$/m);
    assert.match(r.stdout, /^Link types: +229 \(Raw IPv6\)$/m);
    assert.match(r.stdout, /^Packets: +5$/m);
    assert.match(r.stdout, /^First packet time: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} UTC \(\d+\.\d{9}\)$/m);
    assert.match(r.stdout, /^Duration: +\d+\.\d{9} s$/m);
    assert.match(r.stdout, /^Snaplen: +262144$/m);
    assert.match(r.stdout, /^Compression: +none$/m);
  });

  it('--help documents the JSON array', () => {
    const r = gretool(['info', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /always an array/);
  });

  it('continues after bad files, prints what was readable, exits 3', async () => {
    const good = await smallCapture();
    const bytes = readFileSync(good);
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const garbage = join(dir, 'garbage.pcap');
    writeFileSync(garbage, 'hello, this is text\n');
    const empty = join(dir, 'empty.pcap');
    writeFileSync(empty, '');
    const missing = join(dir, 'missing.pcap');
    const r = gretool(['info', missing, cut, garbage, empty, dir, good]);
    assert.equal(r.status, 3);
    noStack(r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 5, r.stderr);
    assert.match(lines[0]!, /^gretool: .*missing\.pcap: cannot open: no such file$/);
    assert.match(lines[1]!, /^gretool: .*cut\.pcap: file is cut short in frame 5 at byte offset \d+ \(the record needs 56 bytes, 46 remain\)$/);
    assert.match(lines[2]!, /^gretool: .*garbage\.pcap: not a pcap or pcapng capture \(starts with 68 65 6c 6c 6f 2c .*\|hello, this is t\|\)$/);
    assert.match(lines[3]!, /^gretool: .*empty\.pcap: empty file$/);
    assert.match(lines[4]!, /^gretool: .*: is a directory$/);
    // the readable part of the cut file and the good file are reported
    const reports = r.stdout.split('\n\n');
    assert.equal(reports.length, 2, r.stdout);
    assert.match(reports[0]!, /cut\.pcap/);
    assert.match(reports[0]!, /^Packets: +4$/m);
    assert.match(reports[1]!, /^Packets: +5$/m);
  });

  it('--json: one array, partial objects carry the error', async () => {
    const good = await smallCapture();
    const bytes = readFileSync(good);
    const cut = join(dir, 'cut2.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 1));
    const r = gretool(['info', '--json', good, cut, join(dir, 'nope')]);
    assert.equal(r.status, 3);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(out.length, 3);
    assert.equal(out[0]!.packets, 5);
    assert.equal(out[0]!.error, undefined);
    assert.equal(out[0]!.nanosecond, true);
    assert.deepEqual(out[0]!.linkTypes, [229]);
    assert.equal(out[1]!.packets, 4);
    assert.match(out[1]!.error as string, /cut short in frame 5/);
    assert.deepEqual(Object.keys(out[2]!), ['file', 'error']);
    const single = JSON.parse(gretool(['info', '--json', good]).stdout) as unknown[];
    assert.ok(Array.isArray(single) && single.length === 1);
  });

  it('reads stdin: a pipe, a redirected file, gzip', async () => {
    const good = await smallCapture();
    const bytes = readFileSync(good);
    const piped = gretool(['info', '--json', '-'], { input: bytes });
    assert.equal(piped.status, 0, piped.stderr);
    const j = (JSON.parse(piped.stdout) as Record<string, unknown>[])[0]!;
    assert.equal(j.file, '-');
    assert.equal(j.packets, 5);
    const gz = gretool(['info', '--json', '-'], { input: gzipSync(bytes) });
    const jg = (JSON.parse(gz.stdout) as Record<string, unknown>[])[0]!;
    assert.equal(jg.gzip, true);
    assert.equal(jg.packets, 5);
    const sh = spawnShell(`cat '${good}' | '${process.execPath}' '${BIN}' info --json - && '${process.execPath}' '${BIN}' info --json - < '${good}'`);
    assert.equal(sh.status, 0, sh.stderr);
    const two = sh.stdout.trim().split(/\n(?=\[)/).map((s) => JSON.parse(s) as Record<string, unknown>[]);
    assert.equal(two.length, 2);
    for (const t of two) assert.equal(t[0]!.packets, 5);
    const bad = gretool(['info', '-'], { input: Buffer.from('nope') });
    assert.equal(bad.status, 3);
    assert.match(bad.stderr, /^gretool: \(stdin\): not a pcap or pcapng capture/);
  });

  it('a file cut at every byte of its last record: exit 3, frame and offset named, no stack trace', async () => {
    const good = await smallCapture();
    const bytes = readFileSync(good);
    const ref = await readAll(good);
    const last = ref.recs[ref.recs.length - 1]!;
    const jobs: Promise<void>[] = [];
    const cuts: number[] = [];
    for (let cut = last.fileOffset + 1; cut < bytes.length; cut++) cuts.push(cut);
    assert.equal(cuts.length, 55);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cuts.length) {
        const cut = cuts[next++]!;
        const path = join(dir, `cut-${cut}.pcap`);
        writeFileSync(path, bytes.subarray(0, cut));
        const r = await gretoolAsync(['info', '--json', path]);
        assert.equal(r.status, 3, `cut ${cut}`);
        noStack(r.stderr);
        assert.match(r.stderr, new RegExp(`^gretool: .*cut-${cut}\\.pcap: file is cut short in frame 5 at byte offset ${last.fileOffset} \\(.*\\)\\n$`));
        const j = (JSON.parse(r.stdout) as Record<string, unknown>[])[0]!;
        assert.equal(j.packets, 4, `cut ${cut}`);
      }
    };
    for (let k = 0; k < 6; k++) jobs.push(worker());
    await Promise.all(jobs);
  });

  it('absurd lengths and warnings through the CLI', () => {
    const absurd = join(dir, 'absurd.pcap');
    writeFileSync(absurd, pcapFile(true, false, [{ sec: 1, frac: 0, data: new Uint8Array(10) }, { sec: 2, frac: 0, data: new Uint8Array(4), caplen: 0xfffffff0 }]));
    const r = gretool(['info', absurd]);
    assert.equal(r.status, 3);
    noStack(r.stderr);
    assert.match(r.stderr, /frame 2 at byte offset 50: captured length 4294967280 is impossible \(more than 262144\)/);
    assert.match(r.stdout, /^Packets: +1$/m);
    const odd = join(dir, 'odd.pcap');
    writeFileSync(odd, pcapFile(true, false, [{ sec: 1, frac: 0, data: new Uint8Array(10), origlen: 5 }], { linkType: 4000 }));
    const w = gretool(['info', odd]);
    assert.equal(w.status, 0);
    assert.match(w.stdout, /^Warning: +unknown link type 4000$/m);
    assert.match(w.stdout, /^Warning: +frame 1: captured length 10 exceeds the original length 5$/m);
  });
});

function spawnShell(cmd: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
