import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../helpers/cli.js';
import { forEachRecord, openCapture, records, MAX_CAPLEN } from '../../src/capture/index.js';
import { pcapFile, readAll, readError, variedRecords, writeRecords } from './util.js';

const data = (n: number, seed = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

const three = [
  { sec: 1_700_000_000, frac: 1, data: data(60, 1) },
  { sec: 1_700_000_001, frac: 999_999, data: data(1514, 2) },
  { sec: 1_700_000_002, frac: 500_000, data: data(3, 3), origlen: 100 },
];

describe('pcap reader: the four magics', () => {
  for (const le of [true, false]) {
    for (const nano of [false, true]) {
      it(`${le ? 'little' : 'big'}-endian ${nano ? 'nanosecond' : 'microsecond'}`, async () => {
        const file = pcapFile(le, nano, three, { linkType: 101, snaplen: 2000 });
        const { reader, recs, error } = await readAll(file);
        assert.equal(error, null);
        assert.equal(reader.info.format, 'pcap');
        assert.equal(reader.info.byteOrder, le ? 'little-endian' : 'big-endian');
        assert.equal(reader.info.nanosecond, nano);
        assert.equal(reader.info.version, '2.4');
        assert.equal(reader.info.snaplen, 2000);
        assert.equal(reader.info.interfaces[0]!.linkType, 101);
        assert.equal(recs.length, 3);
        const mult = nano ? 1 : 1000;
        recs.forEach((r, i) => {
          assert.equal(r.frame, i + 1);
          assert.deepEqual(r.bytes, Array.from(three[i]!.data));
          assert.equal(r.caplen, three[i]!.data.length);
          assert.equal(r.origlen, three[i]!.origlen ?? three[i]!.data.length);
          assert.equal(r.sec, three[i]!.sec);
          assert.equal(r.nsec, three[i]!.frac * mult);
          assert.equal(r.linkType, 101);
          assert.equal(r.iface, 0);
        });
        assert.equal(recs[0]!.fileOffset, 24);
        assert.equal(recs[1]!.fileOffset, 24 + 16 + 60);
        assert.deepEqual(reader.warnings, []);
      });
    }
  }
});

describe('pcap reader: streaming', () => {
  it('delivers the same records at every chunk size (records straddle chunk boundaries)', async () => {
    const dir = tempDir();
    const path = join(dir, 'v.pcap');
    const spec = variedRecords(200, 7);
    await writeRecords(path, { format: 'pcap', nanosecond: true, interfaces: [{ linkType: 1 }] }, spec);
    const ref = await readAll(path);
    assert.equal(ref.recs.length, 200);
    for (const chunkSize of [64, 100, 1000, 1517, 4096, 65536]) {
      const got = await readAll(path, { chunkSize });
      assert.equal(got.error, null);
      assert.deepEqual(got.recs, ref.recs, `chunk ${chunkSize}`);
    }
    ref.recs.forEach((r, i) => {
      assert.deepEqual(r.bytes, Array.from(spec[i]!.data));
      assert.equal(r.nsec, spec[i]!.nsec);
    });
  });

  it('reuses the record object and reads gzip by content, not by name', async () => {
    const file = pcapFile(true, false, three);
    const reader = await openCapture(gzipSync(file));
    assert.equal(reader.info.gzip, true);
    const seen = new Set<object>();
    let n = 0;
    for await (const r of records(reader)) {
      seen.add(r);
      n++;
    }
    assert.equal(n, 3);
    assert.equal(seen.size, 1);
    const dir = tempDir();
    writeFileSync(join(dir, 'plain-name.pcap'), gzipSync(file));
    const byPath = await readAll(join(dir, 'plain-name.pcap'));
    assert.equal(byPath.reader.info.gzip, true);
    assert.equal(byPath.recs.length, 3);
  });

  it('forEachRecord stops when the callback returns false', async () => {
    const reader = await openCapture(pcapFile(true, false, three));
    let seen = 0;
    const n = await forEachRecord(reader, () => {
      seen++;
      return seen < 2 ? undefined : false;
    });
    assert.equal(n, 2);
    await reader.close();
  });
});

describe('pcap reader: bounded memory', () => {
  it('a 1 GiB stream reads with bounded memory (no per-record buffers kept)', async () => {
    // One 1 MiB chunk of whole records, sent 1024 times after the file header.
    const recs = [];
    let size = 0;
    for (let i = 0; size < (1 << 20) - 2000; i++) {
      const d = data(60 + ((i * 7919) % 1441), i);
      recs.push({ sec: 1_700_000_000 + i, frac: i, data: d });
      size += 16 + d.length;
    }
    const file = pcapFile(true, false, recs);
    const header = file.subarray(0, 24);
    const body = Buffer.from(file.subarray(24));
    const repeats = Math.ceil((1 << 30) / body.length);
    function* gen(): Generator<Uint8Array> {
      yield header;
      for (let k = 0; k < repeats; k++) yield body;
    }
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const reader = await openCapture(Readable.from(gen()));
    let n = 0;
    await forEachRecord(reader, () => {
      if ((++n & 0xffff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
    });
    assert.equal(n, recs.length * repeats);
    const growthMB = (peak - rss0) / 2 ** 20;
    assert.ok(growthMB < 100, `RSS grew by ${growthMB.toFixed(0)} MB`);
  });
});

describe('pcap reader: odd but readable input warns', () => {
  it('caplen > snaplen, caplen > origlen, unknown link type, fraction out of range', async () => {
    const file = pcapFile(
      true,
      false,
      [
        { sec: 10, frac: 0, data: data(100), origlen: 50 },
        { sec: 10, frac: 1_500_000, data: data(10) },
      ],
      { linkType: 4242, snaplen: 64 },
    );
    const { recs, reader, error } = await readAll(file);
    assert.equal(error, null);
    assert.equal(recs.length, 2);
    const msgs = reader.warnings.map((w) => w.message).join('\n');
    assert.match(msgs, /unknown link type 4242/);
    assert.match(msgs, /frame 1: captured length 100 exceeds the original length 50/);
    assert.match(msgs, /frame 1: captured length 100 exceeds the snapshot length 64/);
    assert.match(msgs, /frame 2: sub-second timestamp field 1500000/);
    assert.deepEqual([recs[1]!.sec, recs[1]!.nsec], [11, 500_000_000]);
  });

  it('lists ten warnings of a kind, then counts the rest', async () => {
    const recs = Array.from({ length: 25 }, (_, i) => ({ sec: i, frac: 0, data: data(10), origlen: 5 }));
    const { reader } = await readAll(pcapFile(true, false, recs));
    assert.equal(reader.warnings.length, 11);
    assert.match(reader.warnings[10]!.message, /15 more warnings/);
  });
});

describe('pcap reader: bad input', () => {
  it('not a capture shows the first bytes', async () => {
    const e = await readError(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n'));
    assert.equal(e.code, 'CAPTURE_FORMAT');
    assert.match(e.message, /not a pcap or pcapng capture \(starts with 47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a … \|GET \/ HTTP\/1\.1\.\.\|\)/);
  });

  it('empty file, tiny file, empty gzip', async () => {
    assert.match((await readError(new Uint8Array(0))).message, /empty file/);
    assert.match((await readError(Uint8Array.of(1, 2))).message, /only 2 bytes: 01 02/);
    const e = await readError(gzipSync(new Uint8Array(0)));
    assert.equal(e.code, 'CAPTURE_FORMAT');
    assert.match(e.message, /empty file \(gzip-compressed\)/);
  });

  it('unsupported version and header cut short', async () => {
    const e = await readError(pcapFile(true, false, [], { major: 3, minor: 0 }));
    assert.equal(e.code, 'CAPTURE_FORMAT');
    assert.match(e.message, /unsupported pcap version 3\.0/);
    const cut = await readError(pcapFile(true, false, []).subarray(0, 20));
    assert.equal(cut.code, 'CAPTURE_TRUNCATED');
    assert.match(cut.message, /pcap file header \(20 of 24 bytes\)/);
    const mod = await readError(Uint8Array.of(0x34, 0xcd, 0xb2, 0xa1, 0, 0, 0, 0));
    assert.match(mod.message, /modified \(Kuznetzov\) pcap/);
  });

  it('missing file and directory are CAPTURE_OPEN', async () => {
    const dir = tempDir();
    const missing = await readError(join(dir, 'nope.pcap'));
    assert.equal(missing.code, 'CAPTURE_OPEN');
    assert.match(missing.message, /nope\.pcap: cannot open: no such file/);
    mkdirSync(join(dir, 'd'));
    const isDir = await readError(join(dir, 'd'));
    assert.equal(isDir.code, 'CAPTURE_OPEN');
    assert.match(isDir.message, /is a directory/);
  });

  it('absurd captured length: error after the good records, nothing allocated', async () => {
    for (const caplen of [0xfffffff0, MAX_CAPLEN + 1]) {
      const file = pcapFile(false, false, [...three, { sec: 1, frac: 0, data: data(8), caplen }]);
      const { recs, error } = await readAll(file);
      assert.equal(recs.length, 3);
      assert.equal(error?.code, 'CAPTURE_CORRUPT');
      assert.match(error!.message, new RegExp(`frame 4 at byte offset ${24 + 3 * 16 + 60 + 1514 + 3}: captured length ${caplen} is impossible`));
    }
  });

  it('a file cut at every byte of the last record: complete records delivered, then the frame and offset', async () => {
    const dir = tempDir();
    const path = join(dir, 'v.pcap');
    await writeRecords(path, { format: 'pcap', interfaces: [{ linkType: 1 }] }, variedRecords(6, 3));
    const full = readFileSync(path);
    const ref = await readAll(full);
    const last = ref.recs[ref.recs.length - 1]!;
    for (let cut = last.fileOffset + 1; cut < full.length; cut++) {
      for (const chunkSize of [64, 4096]) {
        const { recs, error } = await readAll(full.subarray(0, cut), { chunkSize });
        assert.deepEqual(recs, ref.recs.slice(0, -1), `cut at ${cut}`);
        assert.equal(error?.code, 'CAPTURE_TRUNCATED', `cut at ${cut}`);
        assert.match(error!.message, new RegExp(`cut short in frame ${last.frame} at byte offset ${last.fileOffset} `));
      }
      // gzip of the cut file
      const gz = await readAll(gzipSync(full.subarray(0, cut)));
      assert.equal(gz.recs.length, ref.recs.length - 1);
      assert.equal(gz.error?.code, 'CAPTURE_TRUNCATED');
    }
  });

  it('a cut gzip stream delivers what was decompressed, then CAPTURE_TRUNCATED', async () => {
    const dir = tempDir();
    const path = join(dir, 'v.pcap');
    await writeRecords(path, { format: 'pcap', interfaces: [{ linkType: 1 }] }, variedRecords(300, 4));
    const gz = gzipSync(readFileSync(path));
    const { recs, error } = await readAll(gz.subarray(0, gz.length - 30));
    assert.ok(recs.length > 250, `${recs.length} records`);
    assert.equal(error?.code, 'CAPTURE_TRUNCATED');
    const corrupt = Buffer.from(gz);
    corrupt.fill(0x55, 100, 200);
    const c = await readError(corrupt);
    assert.ok(c.code === 'CAPTURE_CORRUPT' || c.code === 'CAPTURE_TRUNCATED', c.code);
  });
});
