/**
 * Output back-pressure: a run that prints faster than its reader takes (a slow pipe) waits for
 * it frame by frame, so the text queued in the stream stays near one buffer (1 MB) instead of
 * growing with the capture's read chunks; the bytes are the same as written at full speed. The
 * stream's written buffers are reused (no fresh megabyte per flush).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { ByteSink } from '../../src/output/sink.js';
import { dissectCapture } from '../../src/output/dissect.js';
import { Renderer, type RenderSpec } from '../../src/cli/commands/dissect-plan.js';
import { gretool, tempDir } from '../helpers/cli.js';

const dir = tempDir('gretool-sink-');
const capture = join(dir, 'mixed.pcap');
const gen = gretool(['generate', 'mixed', '--sessions', '20', '--packets', '6000', '--seed', '9', '-q', '-o', capture]);
assert.equal(gen.status, 0, gen.stderr);

const spec: RenderSpec = { format: 'text', fields: [], fieldsOptions: [], timeFormat: 'r', summary: false, detail: true, hex: true, text: true, colors: null };

/** Prints the capture as `-V -x` through a ByteSink on `stream`, waiting when the sink says so (as the CLI does). */
async function print(stream: Writable): Promise<void> {
  const sink = ByteSink.stream(stream);
  const render = new Renderer(spec);
  await dissectCapture(capture, (f) => {
    render.frame(sink.out, f.packet);
    sink.maybeFlush();
    if (sink.congested) return sink.drain();
    return undefined;
  }, { open: { chunkSize: 8 << 20 } });
  await sink.drain();
}

test('a slow stream is waited for frame by frame: little text queued, same bytes', async () => {
  const fast: Buffer[] = [];
  await print(new Writable({ write: (c: Buffer, _e, done) => (fast.push(Buffer.from(c)), done()) }));
  const all = Buffer.concat(fast);
  assert.ok(all.length > 20 << 20, `text: ${all.length} bytes`); // far more than a read chunk's worth

  const slow: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  let maxQueued = 0;
  const stream: Writable = new Writable({
    highWaterMark: 64 << 10,
    write(c: Buffer, _e, done) {
      slow.push(Buffer.from(c));
      buffers.add(c.buffer);
      maxQueued = Math.max(maxQueued, stream.writableLength);
      setTimeout(done, 2);
    },
  });
  await print(stream);
  assert.ok(Buffer.concat(slow).equals(all), 'same bytes');
  assert.ok(maxQueued <= 2 << 20, `queued at most ${maxQueued} bytes`);
  assert.ok(buffers.size <= 6, `${buffers.size} distinct buffers for ${slow.length} writes`);
});
