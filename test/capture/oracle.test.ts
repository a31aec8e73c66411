/**
 * Oracle tests: gretool's reader and `gretool info --json` against capinfos and tshark on one
 * source capture converted by editcap (pcap, nanosecond pcap, pcapng), byte-swapped by the
 * test (editcap writes host order only), and gzip-compressed.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gretool, haveTool, run, tempDir } from '../helpers/cli.js';
import { pcapngFixtures } from './fixtures.js';
import { capinfos, readAll, recTime, sameTime, swapPcap, swapPcapng, tsharkFrames, variedRecords, writeRecords, type ReadAll } from './util.js';

const tools = ['capinfos', 'editcap', 'tshark', 'gzip'];
const haveAll = tools.every((t) => haveTool(t));
const skip = haveAll ? false : `needs ${tools.join(', ')}`;

interface Variant {
  name: string;
  path: string;
  format: 'pcap' | 'pcapng';
  byteOrder: 'little-endian' | 'big-endian';
  gzip: boolean;
}

const dir = tempDir('gretool-oracle-');
const variants: Variant[] = [];

function gzipFile(path: string): string {
  const r = run('gzip', ['-c', path]);
  assert.equal(r.status, 0, r.stderr);
  writeFileSync(path + '.gz', r.stdoutBytes);
  return path + '.gz';
}

function editcap(format: string, from: string, to: string): void {
  const r = run('editcap', ['-F', format, from, to]);
  assert.equal(r.status, 0, r.stderr);
}

function ourFirstLast(recs: ReadAll['recs']): [string, string] {
  const times = recs.filter((r) => r.hasTimestamp !== false).map(recTime);
  const key = (t: string): bigint => BigInt(t.replace('.', ''));
  times.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return [times[0]!, times[times.length - 1]!];
}

describe('oracle: capinfos, tshark, editcap', { skip }, () => {
  before(async () => {
    const src = join(dir, 'source-ns.pcap');
    await writeRecords(src, { format: 'pcap', nanosecond: true, interfaces: [{ linkType: 1 }] }, variedRecords(400, 2024));
    const add = (name: string, path: string, format: Variant['format'], byteOrder: Variant['byteOrder'] = 'little-endian'): void => {
      variants.push({ name, path, format, byteOrder, gzip: false });
      variants.push({ name: name + ' (gzip)', path: gzipFile(path), format, byteOrder, gzip: true });
    };
    add('gretool nanosecond pcap', src, 'pcap');
    const micro = join(dir, 'micro.pcap');
    editcap('pcap', src, micro);
    add('editcap pcap', micro, 'pcap');
    const nsec = join(dir, 'nsec.pcap');
    editcap('nsecpcap', micro, nsec);
    add('editcap nsecpcap', nsec, 'pcap');
    const ng = join(dir, 'ng.pcapng');
    editcap('pcapng', src, ng);
    add('editcap pcapng (ns)', ng, 'pcapng');
    const ngMicro = join(dir, 'ng-micro.pcapng');
    editcap('pcapng', micro, ngMicro);
    add('editcap pcapng (µs)', ngMicro, 'pcapng');
    const be = join(dir, 'be-micro.pcap');
    writeFileSync(be, swapPcap(readFileSync(micro)));
    add('big-endian pcap', be, 'pcap', 'big-endian');
    const beNs = join(dir, 'be-ns.pcap');
    writeFileSync(beNs, swapPcap(readFileSync(src)));
    add('big-endian nanosecond pcap', beNs, 'pcap', 'big-endian');
    const beNg = join(dir, 'be.pcapng');
    writeFileSync(beNg, swapPcapng(readFileSync(ng)));
    add('big-endian pcapng', beNg, 'pcapng', 'big-endian');
    const two = join(dir, 'two-ifaces.pcapng');
    await writeRecords(two, { format: 'pcapng', nanosecond: true, interfaces: [{ linkType: 1 }, { linkType: 101 }] }, variedRecords(300, 99, 2));
    add('gretool pcapng, 2 interfaces', two, 'pcapng');
    const twoEd = join(dir, 'two-ifaces-editcap.pcapng');
    editcap('pcapng', two, twoEd);
    add('editcap copy of the 2-interface pcapng', twoEd, 'pcapng');
  });

  it('reader: packets, bytes, first/last times equal capinfos; every frame equals tshark', async () => {
    assert.ok(variants.length >= 20);
    for (const v of variants) {
      const ci = capinfos(v.path);
      const frames = tsharkFrames(v.path);
      const { recs, reader, error } = await readAll(v.path);
      assert.equal(error, null, `${v.name}: ${error?.message}`);
      assert.equal(reader.info.format, v.format, v.name);
      assert.equal(reader.info.byteOrder, v.byteOrder, v.name);
      assert.equal(reader.info.gzip, v.gzip, v.name);
      assert.equal(recs.length, ci.packets, v.name);
      assert.equal(recs.length, frames.length, v.name);
      assert.equal(
        recs.reduce((a, r) => a + r.origlen, 0),
        ci.dataBytes,
        `${v.name}: original bytes`,
      );
      const [first, last] = ourFirstLast(recs);
      assert.ok(sameTime(first, ci.start), `${v.name}: first ${first} vs capinfos ${ci.start}`);
      assert.ok(sameTime(last, ci.end), `${v.name}: last ${last} vs capinfos ${ci.end}`);
      recs.forEach((r, i) => {
        const f = frames[i]!;
        assert.deepEqual([r.caplen, r.origlen, recTime(r)], [f.caplen, f.len, f.time], `${v.name}: frame ${i + 1}`);
      });
    }
  });

  it('gretool info --json equals capinfos (one call, all files)', () => {
    const res = gretool(['info', '--json', ...variants.map((v) => v.path)]);
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stderr, '');
    const out = JSON.parse(res.stdout) as Record<string, unknown>[];
    assert.equal(out.length, variants.length);
    out.forEach((j, k) => {
      const v = variants[k]!;
      const ci = capinfos(v.path);
      const frames = tsharkFrames(v.path);
      assert.equal(j.file, v.path);
      assert.equal(j.format, v.format);
      assert.equal(j.gzip, v.gzip);
      assert.equal(j.byteOrder, v.byteOrder);
      assert.equal(j.packets, ci.packets, v.name);
      assert.equal(j.originalBytes, ci.dataBytes, v.name);
      assert.equal(j.capturedBytes, frames.reduce((a, f) => a + f.caplen, 0), v.name);
      assert.match(j.firstTime as string, /^\d+\.\d{9}$/);
      assert.ok(sameTime(j.firstTime as string, ci.start), `${v.name}: ${String(j.firstTime)} vs ${ci.start}`);
      assert.ok(sameTime(j.lastTime as string, ci.end), `${v.name}: ${String(j.lastTime)} vs ${ci.end}`);
      assert.deepEqual(j.linkTypes, /2.interface/.test(v.name) ? [1, 101] : [1]);
    });
  });

  it('human-readable info shows the capinfos figures', () => {
    const v = variants.find((x) => x.name === 'editcap pcapng (ns)')!;
    const ci = capinfos(v.path);
    const res = gretool(['info', v.path]);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`^Packets: +${ci.packets}$`, 'm'));
    assert.match(res.stdout, /^Format: +pcapng 1\.0, little-endian$/m);
    assert.match(res.stdout, /^Link types: +1 \(Ethernet\)$/m);
    assert.match(res.stdout, new RegExp(`^First packet time: +.*\\(${ci.start.replace('.', '\\.')}\\)$`, 'm'));
  });

  it('hand-built pcapng fixtures read as tshark reads them', async () => {
    for (const fx of pcapngFixtures().filter((f) => f.oracle)) {
      const path = join(dir, `fixture-${fx.name.replace(/\W+/g, '-')}.pcapng`);
      writeFileSync(path, fx.bytes);
      const frames = tsharkFrames(path);
      const ci = capinfos(path);
      const { recs, error } = await readAll(path);
      assert.equal(error, null);
      assert.equal(recs.length, frames.length, fx.name);
      assert.equal(recs.length, ci.packets, fx.name);
      recs.forEach((r, i) => {
        const f = frames[i]!;
        assert.equal(r.caplen, f.caplen, `${fx.name} #${i + 1} caplen`);
        assert.equal(r.origlen, f.len, `${fx.name} #${i + 1} len`);
        if (f.time === '') assert.equal(r.hasTimestamp, false);
        else assert.equal(recTime(r), f.time, `${fx.name} #${i + 1} time`);
        assert.equal((r.comments ?? []).join(','), f.comment, `${fx.name} #${i + 1} comments`);
        assert.deepEqual(r.bytes.length, f.caplen);
      });
    }
  });
});
