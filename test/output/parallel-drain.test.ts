/**
 * dissectInWorkers (src/output/parallel.ts) against a slow consumer: the text of every batch must
 * reach the sink even when the workers answer while the main thread is waiting for the sink to
 * drain (a result that arrives then finds no one waiting; the run once ended quietly without the
 * last batch when the workers had exited meanwhile).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { ByteSink } from '../../src/output/sink.js';
import { UsageError } from '../../src/errors.js';
import { dissectInWorkers } from '../../src/output/parallel.js';
import { ATTR_WIDTH } from '../../src/sessions/run.js';
import type { RenderSpec } from '../../src/cli/commands/dissect-plan.js';
import { gretool, tempDir } from '../helpers/cli.js';

const dir = tempDir('gretool-parallel-');
const capture = join(dir, 'mixed.pcap');
const gen = gretool(['generate', 'mixed', '--sessions', '10', '--packets', '600', '--seed', '3', '-q', '-o', capture]);
assert.equal(gen.status, 0, gen.stderr);

/** A stream that takes every chunk late (after `delayMs`) and asks for a drain each time. */
function slowStream(delayMs: number, chunks: Buffer[]): Writable {
  return new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      setTimeout(done, delayMs);
    },
  });
}

const spec: RenderSpec = { format: 'text', fields: [], fieldsOptions: [], timeFormat: 'r', summary: false, detail: true, hex: false, text: true, colors: null };

test('every batch reaches a sink that drains slowly, in order, as one thread prints it', { timeout: 120_000 }, async () => {
  const one = gretool(['dissect', capture, '-V', '-c', '250']);
  assert.equal(one.status, 0, one.stderr);
  for (const delayMs of [0, 30, 120]) {
    const chunks: Buffer[] = [];
    const sink = ByteSink.stream(slowStream(delayMs, chunks));
    const r = await dissectInWorkers(capture, {
      workers: 2,
      workerUrl: new URL('../../src/cli/commands/dissect-worker.js', import.meta.url),
      job: { spec },
      sink,
      count: 250,
      begin: () => {},
      end: () => {},
      notes: ATTR_WIDTH, // -V shows the session fields
      batchRecords: 97,
    });
    assert.equal(r.read, 250);
    await sink.drain();
    const text = Buffer.concat(chunks);
    assert.equal(text.length, one.stdoutBytes.length, `delay ${delayMs} ms: bytes`);
    assert.ok(text.equals(one.stdoutBytes), `delay ${delayMs} ms: same text`);
  }
});

test('a worker whose session state outgrows its memory ends the run with a usage error naming -j 1, not a hang or a crash', { timeout: 120_000 }, async () => {
  const big = join(dir, 'many-sessions.pcap');
  const g = gretool(['generate', 'mixed', '--sessions', '20000', '--packets', '60000', '--seed', '4', '-q', '-o', big]);
  assert.equal(g.status, 0, g.stderr);
  const run = (path: string) =>
    dissectInWorkers(path, {
      workers: 2,
      workerUrl: new URL('../../src/cli/commands/dissect-worker.js', import.meta.url),
      job: { spec },
      sink: ByteSink.stream(slowStream(0, [])),
      begin: () => {},
      end: () => {},
      notes: ATTR_WIDTH,
      batchRecords: 256,
      oldGenerationMb: { stateful: 16, other: 1024 },
    });
  // 16 MB holds a worker and the state of 10 sessions, not that of 20,000
  assert.equal((await run(capture)).read, 600);
  await assert.rejects(run(big), (err: Error) => err instanceof UsageError && /^-j: a worker thread ran out of memory \(the session state of this capture outgrew 16 MB\); run with -j 1$/.test(err.message));
});
