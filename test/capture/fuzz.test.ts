/** Property tests: whatever the bytes, the reader ends with records or a GretoolError, never a crash. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { tempDir } from '../helpers/cli.js';
import { GretoolError } from '../../src/errors.js';
import { pcapngFixtures } from './fixtures.js';
import { readAll, variedRecords, writeRecords } from './util.js';

/** Reads everything; any non-GretoolError escapes and fails the property. */
async function survive(bytes: Uint8Array, chunkSize: number): Promise<void> {
  try {
    const { recs } = await readAll(bytes, { chunkSize });
    for (const r of recs) {
      assert.ok(r.caplen >= 0 && r.caplen <= 256 * 1024);
      assert.equal(r.bytes.length, r.caplen);
      assert.ok(Number.isInteger(r.sec) && r.nsec >= 0 && r.nsec < 1e9, `time ${r.sec}.${r.nsec}`);
    }
  } catch (err) {
    if (!(err instanceof GretoolError)) throw err;
    assert.doesNotMatch(err.message, /\n/, 'one-line message');
  }
}

const seeds: Uint8Array[] = [];

describe('fuzz: the reader never crashes', () => {
  before(async () => {
    const dir = tempDir();
    for (const [format, nanosecond] of [['pcap', false], ['pcap', true], ['pcapng', true]] as const) {
      const path = join(dir, `seed.${format}`);
      await writeRecords(path, { format, nanosecond, interfaces: [{ linkType: 1 }] }, variedRecords(6, 3));
      seeds.push(new Uint8Array(readFileSync(path)));
    }
    for (const fx of pcapngFixtures()) seeds.push(fx.bytes);
  });

  it('random bytes, with and without a capture magic', async () => {
    const magics = [[], [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d], [0x0a, 0x0d, 0x0d, 0x0a], [0x1f, 0x8b]];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...magics), fc.uint8Array({ maxLength: 600 }), fc.constantFrom(64, 97, 4096), async (magic, tail, chunk) => {
        await survive(Uint8Array.from([...magic, ...tail]), chunk);
      }),
      { numRuns: 400 },
    );
  });

  it('valid files with bytes flipped, cut or overwritten', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 1000 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat()),
        fc.boolean(),
        fc.constantFrom(64, 200, 4096),
        async (which, edits, cutAt, gzip, chunk) => {
          const seed = seeds[which % seeds.length]!;
          let b = Uint8Array.from(seed);
          for (const [pos, val] of edits) b[pos % b.length] = val;
          if (cutAt !== null) b = b.subarray(0, cutAt % (b.length + 1));
          await survive(gzip ? gzipSync(b) : b, chunk);
        },
      ),
      { numRuns: 600 },
    );
  });
});
