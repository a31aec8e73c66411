/**
 * Worker-thread entry of `gretool dissect` on large files (src/output/parallel.ts): dissects the
 * batches the main thread posts to it with the same Renderer, filter and hooks as a one-thread
 * run (dissect-plan.ts), and posts the text of each batch back. With the session fields shown,
 * the other workers' batches are correlated here too (no tree, no output), so the correlator has
 * seen every earlier frame when a frame of this worker's is annotated.
 */
import { parentPort, workerData } from 'node:worker_threads';
import '../../dissectors/index.js';
import type { CaptureInfo, PacketRecord } from '../../capture/types.js';
import { TextBuf } from '../../engine/textbuf.js';
import { compileDisplayFilter, dissectCapture } from '../../output/dissect.js';
import { BatchReader, type BatchMessage, type BatchResult } from '../../output/parallel.js';
import { fastColumns, planRun, Renderer, type RenderSpec } from './dissect-plan.js';

/** The job the command gives its workers. */
export interface DissectJob {
  spec: RenderSpec;
  /** -Y text. */
  filter?: string;
}

const OUT_CAPACITY = 512 << 10;

async function serve(job: DissectJob, info: CaptureInfo): Promise<void> {
  const port = parentPort!;
  const reader = new BatchReader(info);
  port.on('message', (m: BatchMessage | { type: 'end' } | { type: 'buffer'; buf: SharedArrayBuffer }) => reader.push(m));
  const render = new Renderer(job.spec);
  const filter = job.filter !== undefined ? compileDisplayFilter(job.filter) : undefined;
  const plan = await planRun(render, filter, false);
  const session = plan.session;
  if (session !== null) {
    // the other workers' frames: correlated as `gretool sessions` does, without generated fields
    const { RecordCorrelator } = await import('../../sessions/run.js');
    const records = new RecordCorrelator(session.tracker);
    reader.onForeign = (rec: PacketRecord) => records.feed(rec);
  }
  reader.onBatch = (b) => {
    if (b.hasPrev) render.time.setPrevious(b.prevSec, b.prevNsec);
    else render.time.setPrevious(NaN, 0);
  };
  // Output goes into shared memory: posting a SharedArrayBuffer shares it, where transferring an
  // ArrayBuffer detaches it, and the first detached buffer of an isolate makes V8 drop its
  // optimised code (typed-array accesses then check for detached buffers).
  const newOut = (): TextBuf => {
    const t = new TextBuf(0);
    const b = reader.spare.pop();
    t.buf = new Uint8Array(b ?? new SharedArrayBuffer(OUT_CAPACITY));
    return t;
  };
  let out = newOut();
  const post = (): void => {
    const b = reader.current;
    if (b === null) return;
    let buf = out.buf.buffer;
    if (!(buf instanceof SharedArrayBuffer)) {
      // the text outgrew its buffer (TextBuf grows into plain memory): into shared memory of
      // that size, which then serves the next batches
      buf = new SharedArrayBuffer(out.buf.length);
      new Uint8Array(buf).set(out.buf.subarray(0, out.len));
    }
    const msg: BatchResult = { type: 'result', seq: b.seq, buf, len: out.len };
    port.postMessage(msg);
    out = newOut();
  };
  await dissectCapture(reader, (f) => render.frame(out, f.packet), {
    filter,
    postDissectors: plan.hooks,
    materialise: plan.materialise,
    ...fastColumns(job.spec, filter, plan.hooks.length),
    onOpen: (r) => render.setPrecision(r.info),
    onChunk: () => {
      post();
      render.setPrecision(reader.info);
    },
  });
  post();

  port.close();
}

const data = workerData as { job: DissectJob; info: CaptureInfo };
serve(data.job, data.info).catch((e: unknown) => {
  parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
});
