/**
 * Worker-thread entry for `gretool lint --jobs N`: lints one capture and posts the result (plain
 * data) back. Started by lintCaptures() in src/lint/run.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GretoolError } from '../errors.js';
import { lintCapture } from './run.js';
import type { ResolvedPolicy } from './config.js';

interface Job {
  path: string;
  policy: ResolvedPolicy;
  debug: boolean;
  findingCap?: number;
  droppedKeyCap?: number;
}

const job = workerData as Job;
lintCapture(job.path, { policy: job.policy, debug: job.debug, findingCap: job.findingCap, droppedKeyCap: job.droppedKeyCap }).then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (e: unknown) =>
    parentPort!.postMessage({
      ok: false,
      gretool: e instanceof GretoolError,
      code: e instanceof GretoolError ? e.code : undefined,
      message: e instanceof Error ? e.message : String(e),
      stack: e instanceof Error ? e.stack : undefined,
    }),
);
