/**
 * The generator's own record writer for files (src/generate/output.ts) gives byte for byte what
 * the shared capture writer gives (used for streams and stdout): pcap and pcapng, micro- and
 * nanosecond, every link type, with a scaled run that spans several output chunks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generateCapture, loadScenario, type CaptureOptions } from '../../src/generate/index.js';
import { OutputError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';
import { pcapFrames } from './helpers.js';

async function viaStream(name: string, opts: CaptureOptions): Promise<Buffer> {
  const s = new PassThrough();
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  await generateCapture(loadScenario(name), s, opts);
  return Buffer.concat(chunks);
}

test('file records == the shared capture writer (pcap/pcapng, µs/ns, links, several chunks)', async () => {
  const dir = tempDir('gretool-output-');
  const runs: [string, CaptureOptions][] = [
    ['handoff', {}],
    ['ipv4-udp-tlv', { format: 'pcapng' }],
    ['status-3', { nanosecond: true, link: 'raw' }],
    ['gre-only', { format: 'pcapng', nanosecond: true, link: 'sll' }],
    ['mixed', { sessions: 200, packets: 3000, seed: 5 }],
    ['mixed', { sessions: 200, packets: 3000, seed: 5, format: 'pcapng', nanosecond: true }],
  ];
  for (const [i, [name, opts]] of runs.entries()) {
    const path = join(dir, `${name}-${i}.cap`);
    const st = await generateCapture(loadScenario(name), path, opts);
    const file = readFileSync(path);
    const stream = await viaStream(name, opts);
    assert.ok(file.equals(stream), `${name} ${JSON.stringify(opts)}: file and stream captures differ`);
    if (opts.sessions) assert.ok(file.length > 1 << 18, 'spans more than one 256 KiB chunk');
    if ((opts.format ?? 'pcap') === 'pcap') assert.equal(pcapFrames(file).frames.length, st.frames);
  }
});

test('an unwritable file is an OutputError naming it', async () => {
  const path = join(tempDir('gretool-output-'), 'no-such-dir', 'x.pcap');
  await assert.rejects(generateCapture(loadScenario('handoff'), path), (err: unknown) => err instanceof OutputError && err.message.includes(path));
});

test('an existing file is replaced by the new capture (larger, smaller, same size)', async () => {
  const dir = tempDir('gretool-output-');
  const path = join(dir, 'over.pcap');
  const big = { sessions: 200, packets: 3000, seed: 5 };
  const fresh = async (name: string, opts: CaptureOptions): Promise<Buffer> => {
    const p = join(dir, `fresh-${name}-${opts.packets ?? 0}.pcap`);
    await generateCapture(loadScenario(name), p, opts);
    return readFileSync(p);
  };
  // a larger old file (with other bytes) is cut to the new length
  writeFileSync(path, Buffer.alloc(3 << 20, 0x5a));
  await generateCapture(loadScenario('handoff'), path, {});
  assert.ok(readFileSync(path).equals(await fresh('handoff', {})), 'larger file: same bytes as a fresh file');
  // a smaller old file grows
  await generateCapture(loadScenario('mixed'), path, big);
  assert.ok(readFileSync(path).equals(await fresh('mixed', big)), 'smaller file: same bytes as a fresh file');
  // the same capture again, and a pcapng over it
  await generateCapture(loadScenario('mixed'), path, big);
  assert.ok(readFileSync(path).equals(await fresh('mixed', big)), 'same size: same bytes');
  await generateCapture(loadScenario('mixed'), path, { ...big, format: 'pcapng' });
  assert.ok(readFileSync(path).equals(await fresh('mixed', { ...big, format: 'pcapng' })), 'pcapng over pcap');
  assert.equal(statSync(path).size, (await fresh('mixed', { ...big, format: 'pcapng' })).length);
});
