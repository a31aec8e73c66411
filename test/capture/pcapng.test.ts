import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/cli.js';
import { pcapngFixtures } from './fixtures.js';
import { block, Bytes, concat, epb, idb, readAll, readError, shb, variedRecords, writeRecords } from './util.js';

describe('pcapng reader: hand-built fixtures', () => {
  for (const fx of pcapngFixtures()) {
    it(fx.name, async () => {
      for (const chunkSize of [64, 100, 4096]) {
        const { recs, error, reader } = await readAll(fx.bytes, { chunkSize });
        assert.equal(error, null, error?.message);
        assert.equal(reader.info.format, 'pcapng');
        assert.equal(recs.length, fx.expected.length);
        recs.forEach((r, i) => {
          const e = fx.expected[i]!;
          assert.deepEqual(
            { caplen: r.caplen, origlen: r.origlen, sec: r.sec, nsec: r.nsec, iface: r.iface, linkType: r.linkType, comments: r.comments, hasTimestamp: r.hasTimestamp },
            { ...e, comments: e.comments, hasTimestamp: e.hasTimestamp },
            `record ${i + 1} (chunk ${chunkSize})`,
          );
          assert.equal(r.bytes.length, r.caplen);
          assert.equal(r.frame, i + 1);
        });
      }
    });
  }

  it('big-endian: section and interface metadata', async () => {
    const { reader } = await readAll(pcapngFixtures()[0]!.bytes);
    assert.equal(reader.info.byteOrder, 'big-endian');
    assert.equal(reader.info.version, '1.0');
    assert.deepEqual(reader.info.comments, ['big-endian section']);
    assert.equal(reader.info.application, 'hand-made');
    assert.equal(reader.info.nanosecond, true);
    const i0 = reader.info.interfaces[0]!;
    assert.equal(i0.name, 'eth0');
    assert.equal(i0.tsResolution, 'nanoseconds');
    assert.equal(i0.snaplen, 65535);
  });

  it('multiple sections: global interface ids, resolutions, both comments', async () => {
    const { reader } = await readAll(pcapngFixtures()[1]!.bytes);
    assert.equal(reader.info.sections, 2);
    assert.equal(reader.info.byteOrder, 'little-endian');
    assert.deepEqual(reader.info.comments, ['first section', 'second section']);
    assert.deepEqual(
      reader.info.interfaces.map((i) => [i.id, i.linkType, i.tsResolution, i.tsUnitsPerSecond]),
      [
        [0, 1, 'microseconds', 1e6],
        [1, 101, '2^-20 s', 2 ** 20],
        [2, 113, 'milliseconds', 1e3],
      ],
    );
  });

  it('interfaces are known at open, before the first packet', async () => {
    const { openCapture } = await import('../../src/capture/index.js');
    const reader = await openCapture(pcapngFixtures()[1]!.bytes);
    assert.equal(reader.info.interfaces.length, 2);
    await reader.close();
  });

  it('skipped blocks: unknown type warns once, IDB comments kept', async () => {
    const { reader } = await readAll(pcapngFixtures()[3]!.bytes);
    assert.deepEqual(reader.info.comments, ['section comment 1', 'section comment 2']);
    assert.deepEqual(reader.info.interfaces[0]!.comments, ['interface comment']);
    assert.equal(reader.warnings.length, 1);
    assert.match(reader.warnings[0]!.message, /unknown type 0x00001234/);
  });
});

describe('pcapng: round trips through gretool writers', () => {
  for (const nanosecond of [false, true]) {
    it(`two interfaces of different link types, ${nanosecond ? 'nano' : 'micro'}seconds, comments`, async () => {
      const dir = tempDir();
      const path = join(dir, 'rt.pcapng');
      const spec = variedRecords(300, 11, 2);
      await writeRecords(
        path,
        { format: 'pcapng', nanosecond, comment: 'made by a test', interfaces: [{ linkType: 1, name: 'eth0' }, { linkType: 101, snaplen: 2000 }] },
        spec,
      );
      const { recs, reader, error } = await readAll(path);
      assert.equal(error, null);
      assert.deepEqual(reader.info.comments, ['made by a test']);
      assert.deepEqual(
        reader.info.interfaces.map((i) => [i.linkType, i.snaplen, i.name, i.tsResolution]),
        [
          [1, 262144, 'eth0', nanosecond ? 'nanoseconds' : 'microseconds'],
          [101, 2000, undefined, nanosecond ? 'nanoseconds' : 'microseconds'],
        ],
      );
      assert.equal(recs.length, spec.length);
      recs.forEach((r, i) => {
        const s = spec[i]!;
        assert.deepEqual(r.bytes, Array.from(s.data));
        assert.equal(r.origlen, s.origlen);
        assert.equal(r.sec, s.sec);
        assert.equal(r.nsec, nanosecond ? s.nsec : s.nsec - (s.nsec % 1000));
        assert.equal(r.iface, s.iface);
        assert.equal(r.linkType, s.iface === 0 ? 1 : 101);
        assert.deepEqual(r.comments, s.comment === undefined ? undefined : [s.comment]);
      });
    });
  }

  it('pcap micro and nano round trips', async () => {
    const dir = tempDir();
    for (const nanosecond of [false, true]) {
      const path = join(dir, `rt-${nanosecond}.pcap`);
      const spec = variedRecords(300, 12);
      await writeRecords(path, { format: 'pcap', nanosecond, interfaces: [{ linkType: 113, snaplen: 4000 }] }, spec);
      const { recs, reader } = await readAll(path);
      assert.equal(reader.info.nanosecond, nanosecond);
      assert.equal(reader.info.snaplen, 4000);
      assert.equal(recs.length, 300);
      recs.forEach((r, i) => {
        const s = spec[i]!;
        assert.deepEqual(r.bytes, Array.from(s.data));
        assert.deepEqual([r.origlen, r.sec, r.nsec, r.linkType], [s.origlen, s.sec, nanosecond ? s.nsec : s.nsec - (s.nsec % 1000), 113]);
      });
    }
  });
});

describe('pcapng reader: bad input', () => {
  const good = (): Uint8Array => concat(shb(true), idb(true, 1, 0), epb(true, 0, 1_000_000n, new Uint8Array(20)), epb(true, 0, 2_000_000n, new Uint8Array(30)));

  it('trailing length disagreeing with the leading length', async () => {
    const bad = block(true, 6, new Bytes(true).u32(0).u32(0).u32(0).u32(4).u32(4).u32(0).out(), [], { trailing: 40 });
    const { recs, error } = await readAll(concat(good(), bad));
    assert.equal(recs.length, 2);
    assert.equal(error?.code, 'CAPTURE_CORRUPT');
    assert.match(error!.message, /Enhanced Packet block at byte offset \d+ \(frame 3\): trailing length 40 disagrees with the leading length 36/);
  });

  it('absurd block length and absurd captured length', async () => {
    const hugeBlock = new Bytes(true).u32(6).u32(0xfffffff0).u32(0).out();
    const e1 = await readAll(concat(good(), hugeBlock));
    assert.equal(e1.recs.length, 2);
    assert.equal(e1.error?.code, 'CAPTURE_CORRUPT');
    assert.match(e1.error!.message, /impossible block length 4294967280/);
    const hugeCaplen = block(true, 6, new Bytes(true).u32(0).u32(0).u32(0).u32(0xfffffff0).u32(0xfffffff0).u32(0).out());
    const e2 = await readAll(concat(good(), hugeCaplen));
    assert.equal(e2.recs.length, 2);
    assert.match(e2.error!.message, /frame 3 at byte offset \d+: captured length 4294967280 is impossible/);
    const notFitting = block(true, 6, new Bytes(true).u32(0).u32(0).u32(0).u32(100).u32(100).u32(0).out());
    const e3 = await readAll(concat(good(), notFitting));
    assert.match(e3.error!.message, /captured length 100 does not fit in the 36-byte block/);
  });

  it('a block longer than the rest of the file is reported without reading or allocating it', async () => {
    const dir = tempDir();
    const path = join(dir, 'long-block.pcapng');
    const header = new Bytes(true).u32(6).u32(8 * 1024 * 1024).u32(0).u32(0).u32(0).u32(100).u32(100).out();
    writeFileSync(path, concat(good(), header, new Uint8Array(100)));
    const { recs, error } = await readAll(path, { chunkSize: 4096 });
    assert.equal(recs.length, 2);
    assert.equal(error?.code, 'CAPTURE_TRUNCATED');
    assert.match(error!.message, /cut short in frame 3 at byte offset \d+ \(Enhanced Packet block: the block needs 8388608 bytes, 128 remain\)/);
  });

  it('a packet on an interface that was not described', async () => {
    const { recs, error } = await readAll(concat(good(), epb(true, 3, 0n, new Uint8Array(4))));
    assert.equal(recs.length, 2);
    assert.match(error!.message, /interface 3 is not described in its section \(1 interfaces\)/);
  });

  it('unsupported version, bad byte-order magic, header cut short', async () => {
    const v2 = await readError(concat(shb(true, [], [2, 0]), idb(true, 1)));
    assert.equal(v2.code, 'CAPTURE_FORMAT');
    assert.match(v2.message, /unsupported pcapng version 2\.0/);
    const bom = shb(true);
    bom[8] = 0x99;
    const b = await readError(bom);
    assert.equal(b.code, 'CAPTURE_FORMAT');
    assert.match(b.message, /bad byte-order magic/);
    const cut = await readError(shb(true).subarray(0, 20));
    assert.equal(cut.code, 'CAPTURE_TRUNCATED');
    assert.match(cut.message, /section header \(20 of 28 bytes\)/);
  });

  it('a file cut at every byte of the last block', async () => {
    const dir = tempDir();
    const path = join(dir, 'v.pcapng');
    await writeRecords(path, { format: 'pcapng', nanosecond: true, interfaces: [{ linkType: 1 }, { linkType: 101 }] }, variedRecords(8, 5, 2));
    const full = readFileSync(path);
    const ref = await readAll(full);
    const last = ref.recs[ref.recs.length - 1]!;
    for (let cut = last.fileOffset + 1; cut < full.length; cut++) {
      const { recs, error } = await readAll(full.subarray(0, cut), { chunkSize: 100 });
      assert.deepEqual(recs, ref.recs.slice(0, -1), `cut at ${cut}`);
      assert.equal(error?.code, 'CAPTURE_TRUNCATED');
      const re = cut - last.fileOffset < 8 ? /cut short in a block header at byte offset (\d+) after frame 7/ : /cut short in frame 8 at byte offset (\d+) /;
      assert.match(error!.message, re, `cut at ${cut}`);
      assert.equal(Number(re.exec(error!.message)![1]), last.fileOffset);
    }
  });

  it('a trailing non-packet block cut short names the block', async () => {
    const isb = block(true, 5, new Bytes(true).u32(0).u32(0).u32(0).out());
    const e = await readAll(concat(good(), isb.subarray(0, 12)));
    assert.equal(e.recs.length, 2);
    assert.match(e.error!.message, /cut short in the Interface Statistics block at byte offset \d+ after frame 2 \(the block needs 24 bytes, 12 remain\)/);
  });
});
