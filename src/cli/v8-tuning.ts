/**
 * V8 tuning for the commands that correlate a whole capture in one pass (`gretool sessions`,
 * `gretool lint`).
 *
 * Such a pass spends a good part of its first second before V8 has optimised the correlator:
 * its optimising compiler works on one background thread, the functions of the signalling path
 * (PBU/PBA decoding, binding creation, the indexes) wait in its queue while they run slowly,
 * and the queue holds more compile work than the whole pass lasts. A smaller inlining budget
 * makes each of those compiles smaller, so the hot functions are optimised sooner; once warm
 * the pass runs about as fast as with the default budget. Measured on the 1M-frame benchmark
 * capture on two cores (alternating fresh processes): the first pass of `sessions` 573 -> 543
 * ms, of `lint` 671 -> 629 ms; but `dissect` slower with it (summary 599 -> 664 ms, fields
 * 1.28 -> 1.43 s), which is why it is set only around these passes and set back after.
 *
 * The setting is the budget of V8 11.3 (Node 20, what the project runs on); on another V8 the
 * figures were not measured, so nothing is changed. Setting it back matters for more than the
 * next command of the process: V8 checks a code cache against its flags, and the build's
 * training run (scripts/bundle.ts), which runs several commands in one process, writes the
 * cache after them.
 */
import { setFlagsFromString } from 'node:v8';

const TUNED_V8 = '11.3.';
const FLAG = '--max-inlined-bytecode-size-cumulative';
/** V8 11.3's default. */
const DEFAULT_BUDGET = 920;
const TUNED_BUDGET = 150;

/** Whether this V8 is the one the tuning was measured on. */
export function tuningApplies(): boolean {
  return process.versions.v8.startsWith(TUNED_V8);
}

/** Runs `pass` with the correlation tuning set, and sets V8 back to its defaults after. */
export async function withCorrelationTuning<T>(pass: () => Promise<T>): Promise<T> {
  if (!tuningApplies()) return pass();
  setFlagsFromString(`${FLAG}=${TUNED_BUDGET}`);
  try {
    return await pass();
  } finally {
    setFlagsFromString(`${FLAG}=${DEFAULT_BUDGET}`);
  }
}
