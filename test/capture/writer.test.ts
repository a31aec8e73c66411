import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir } from '../helpers/cli.js';
import { GretoolError } from '../../src/errors.js';
import { createCaptureWriter } from '../../src/capture/index.js';
import { readAll } from './util.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GretoolError, String(err));
    return `${err.code}: ${err.message}`;
  }
  return 'no error';
};

describe('capture writer', () => {
  it('rejects impossible options and records with UsageError', () => {
    const dir = tempDir();
    assert.match(code(() => createCaptureWriter(join(dir, 'a'), { format: 'pcap', interfaces: [{ linkType: 1 }, { linkType: 101 }] })), /^USAGE: pcap holds a single interface/);
    assert.match(code(() => createCaptureWriter(join(dir, 'a'), { format: 'pcapng', interfaces: [] })), /^USAGE: .*at least one interface/);
    const w = createCaptureWriter(join(dir, 'b'), { format: 'pcap', interfaces: [{ linkType: 1 }] });
    const d = new Uint8Array(10);
    assert.match(code(() => w.write(d, 0, 10, 10, 0, 0, 1)), /^USAGE: pcap has a single interface/);
    assert.match(code(() => w.write(d, 0, 10, 10, -1, 0)), /^USAGE: .*timestamp -1 s/);
    assert.match(code(() => w.write(d, 0, 10, 10, 0, 1e9)), /^USAGE: .*out of range/);
    assert.match(code(() => w.write(d, 5, 10, 10, 0, 0)), /^USAGE: .*exceed the 10-byte buffer/);
    const ng = createCaptureWriter(join(dir, 'c'), { format: 'pcapng', interfaces: [{ linkType: 1 }] });
    assert.match(code(() => ng.write(d, 0, 10, 10, 0, 0, 2)), /^USAGE: .*interface 2 was not declared/);
  });

  it('an unwritable destination is an OUTPUT error', () => {
    assert.match(code(() => createCaptureWriter('/nonexistent-dir/x.pcap', { format: 'pcap', interfaces: [{ linkType: 1 }] })), /^OUTPUT: cannot write \/nonexistent-dir\/x\.pcap/);
  });

  it('writes the documented pcapng layout (SHB, IDB with if_tsresol=9, EPB with a comment)', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.pcapng');
    const w = createCaptureWriter(path, { format: 'pcapng', nanosecond: true, interfaces: [{ linkType: 229, snaplen: 1500 }] });
    w.write(Uint8Array.of(1, 2, 3, 4, 5), 1, 3, 9, 1, 2, 0, 'hi');
    assert.equal(w.records, 1);
    await w.close();
    const b = readFileSync(path);
    const u32 = (p: number): number => b.readUInt32LE(p);
    assert.equal(u32(0), 0x0a0d0d0a);
    const shbLen = u32(4);
    assert.equal(u32(8), 0x1a2b3c4d);
    assert.equal(u32(shbLen - 4), shbLen);
    let p = shbLen;
    assert.equal(u32(p), 1);
    const idbLen = u32(p + 4);
    assert.equal(b.readUInt16LE(p + 8), 229);
    assert.equal(u32(p + 12), 1500);
    // if_tsresol option: code 9, length 1, value 9
    assert.deepEqual([b.readUInt16LE(p + 16), b.readUInt16LE(p + 18), b[p + 20]], [9, 1, 9]);
    p += idbLen;
    assert.equal(u32(p), 6);
    const epbLen = u32(p + 4);
    assert.equal(epbLen, 32 + 4 + 8 + 4);
    assert.deepEqual([u32(p + 8), u32(p + 12), u32(p + 16), u32(p + 20), u32(p + 24)], [0, 0, 1_000_000_002, 3, 9]);
    assert.deepEqual([...b.subarray(p + 28, p + 32)], [2, 3, 4, 0]);
    assert.deepEqual([b.readUInt16LE(p + 32), b.readUInt16LE(p + 34), b.toString('latin1', p + 36, p + 38)], [1, 2, 'hi']);
    assert.equal(u32(p + 40), 0); // opt_endofopt
    assert.equal(u32(p + epbLen - 4), epbLen);
    assert.equal(p + epbLen, b.length);
  });

  it('writes to a stream, returns false under back-pressure, drain() waits', async () => {
    const chunks: Buffer[] = [];
    let pending = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        pending++;
        setTimeout(() => {
          pending--;
          cb();
        }, 2);
      },
    });
    const w = createCaptureWriter(slow, { format: 'pcap', interfaces: [{ linkType: 1 }] });
    const d = new Uint8Array(1500).fill(7);
    let sawFalse = false;
    for (let i = 0; i < 3000; i++) {
      if (!w.write(d, 0, 1500, 1500, i, 0)) {
        sawFalse = true;
        await w.drain();
      }
    }
    await w.close();
    assert.ok(sawFalse, 'write() returned false at least once');
    assert.equal(pending, 0);
    const { recs, error } = await readAll(Buffer.concat(chunks));
    assert.equal(error, null);
    assert.equal(recs.length, 3000);
    assert.equal(recs[2999]!.sec, 2999);
  });

  it('a PassThrough destination is ended on close and reads back as a stream source', async () => {
    const pt = new PassThrough();
    const w = createCaptureWriter(pt, { format: 'pcapng', interfaces: [{ linkType: 1 }, { linkType: 113 }] });
    const reading = readAll(pt, { chunkSize: 256 });
    for (let i = 0; i < 500; i++) w.write(Uint8Array.of(i & 0xff, 1, 2), 0, 3, 3, 100 + i, i * 1000, i % 2);
    await w.close();
    const { recs, error } = await reading;
    assert.equal(error, null);
    assert.equal(recs.length, 500);
    assert.deepEqual([recs[499]!.linkType, recs[499]!.iface, recs[499]!.nsec], [113, 1, 499_000]);
  });

  it('a 200 KiB record round-trips (buffers grow) at any chunk size', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.pcapng');
    const big = Uint8Array.from({ length: 200 * 1024 }, (_, i) => (i * 31) & 0xff);
    const w = createCaptureWriter(path, { format: 'pcapng', interfaces: [{ linkType: 1 }] });
    w.write(Uint8Array.of(1), 0, 1, 1, 1, 0);
    w.write(big, 0, big.length, big.length, 2, 0);
    w.write(Uint8Array.of(2), 0, 1, 1, 3, 0);
    await w.close();
    for (const chunkSize of [64, 4096, 1 << 22]) {
      const { recs, error } = await readAll(path, { chunkSize });
      assert.equal(error, null);
      assert.equal(recs.length, 3);
      assert.deepEqual(recs[1]!.bytes, Array.from(big));
    }
  });

  it("'-' writes to stdout", (t) => {
    const dist = join(ROOT, 'dist', 'src', 'capture', 'index.js');
    if (!existsSync(dist)) return t.skip('needs `npm run build` (npm test builds first)');
    const script = `import { createCaptureWriter } from ${JSON.stringify(pathToFileURL(dist).href)};
      const w = createCaptureWriter('-', { format: 'pcap', nanosecond: true, interfaces: [{ linkType: 1 }] });
      for (let i = 0; i < 20000; i++) w.write(new Uint8Array(100), 0, 100, 100, i, 5);
      await w.close();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { maxBuffer: 1 << 26 });
    assert.equal(r.status, 0, String(r.stderr));
    return readAll(r.stdout).then(({ recs, reader }) => {
      assert.equal(reader.info.nanosecond, true);
      assert.equal(recs.length, 20000);
      assert.deepEqual([recs[19999]!.sec, recs[19999]!.nsec], [19999, 5]);
    });
  });
});
