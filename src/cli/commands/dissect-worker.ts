/**
 * Worker-thread entry of `gretool dissect` on large files (src/output/parallel.ts): dissects the
 * batches the main thread posts to it with the same Renderer, filter and hooks as a one-thread
 * run (dissect-plan.ts), and posts the text of each batch back. With the session fields shown,
 * one correlator sees every frame: worker 0's (SessionAttributor, src/sessions/run.ts), which
 * writes each frame's attribution into its batch's notes (parallel.ts); the session hook of
 * every worker writes the fields from the notes (writeAttribution) instead of correlating.
 */
import { parentPort, workerData } from 'node:worker_threads';
import '../../dissectors/index.js';
import type { Packet } from '../../engine/packet.js';
import { TextBuf } from '../../engine/textbuf.js';
import { dissectCapture } from '../../output/dissect.js';
import { BatchReader, type BatchResult, type WorkerInit } from '../../output/parallel.js';
import { fastColumns, planRun, Renderer, type RenderSpec } from './dissect-plan.js';

/** The job the command gives its workers. */
export interface DissectJob {
  spec: RenderSpec;
  /** -Y text. */
  filter?: string;
}

/**
 * Output buffers: the first ones hold this much text; one that a batch's text outgrows is
 * replaced by one of the largest text's size and an eighth more (in 64 KB steps), not of the
 * size TextBuf doubled to (with -V, a worker holds some four batches' text: 1.1 MB each).
 */
const OUT_CAPACITY = 512 << 10;
const OUT_STEP = 64 << 10;

async function serve(init: WorkerInit): Promise<void> {
  const port = parentPort!;
  const job = init.job as DissectJob;
  const reader = new BatchReader(init.info, init);
  reader.listen(port);
  const render = new Renderer(job.spec);
  const filter = job.filter !== undefined ? (await import('../../filter/index.js')).compileFilter(job.filter) : undefined;
  const plan = await planRun(render, filter, false);
  let hooks = plan.hooks;
  const session = plan.session;
  if (session !== null) {
    // the session fields come from worker 0's correlator, with the batch (in the hook's place
    // among the post-dissectors: the fields are written in the same order)
    const { ATTR_WIDTH, SessionAttributor, writeAttribution } = await import('../../sessions/run.js');
    if (reader.annotates) reader.annotator = new SessionAttributor();
    const attributed = (p: Packet): void => writeAttribution(p, reader.notes, reader.index * ATTR_WIDTH);
    hooks = hooks.map((h) => (h === session.postDissector ? attributed : h));
  }
  reader.onBatch = (b) => {
    if (b.hasPrev) render.time.setPrevious(b.prevSec, b.prevNsec);
    else render.time.setPrevious(NaN, 0);
  };
  // Output goes into shared memory: posting a SharedArrayBuffer shares it, where transferring an
  // ArrayBuffer detaches it, and the first detached buffer of an isolate makes V8 drop its
  // optimised code (typed-array accesses then check for detached buffers).
  let textMax = 0; // the largest text of a batch so far
  const outSize = (): number => Math.max(OUT_CAPACITY, Math.ceil((textMax + (textMax >> 3)) / OUT_STEP) * OUT_STEP);
  const newOut = (): TextBuf => {
    const t = new TextBuf(0);
    const b = reader.spare.pop();
    t.buf = new Uint8Array(b ?? new SharedArrayBuffer(outSize()));
    return t;
  };
  let out = newOut();
  const post = (): void => {
    const b = reader.current;
    if (b === null) return;
    let buf = out.buf.buffer;
    if (out.len > textMax) textMax = out.len;
    if (!(buf instanceof SharedArrayBuffer)) {
      // the text outgrew its buffer (TextBuf grows into plain memory): into shared memory, which
      // then serves the next batches
      buf = new SharedArrayBuffer(outSize());
      new Uint8Array(buf).set(out.buf.subarray(0, out.len));
    }
    const msg: BatchResult = { type: 'result', seq: b.seq, buf, len: out.len };
    port.postMessage(msg);
    out = newOut();
  };
  await dissectCapture(reader, (f) => render.frame(out, f.packet), {
    filter,
    postDissectors: hooks,
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

serve(workerData as WorkerInit).catch((e: unknown) => {
  parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
});
