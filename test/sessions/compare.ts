/** Frame-by-frame comparison of the fast path with full dissection + the Extractor. */
import assert from 'node:assert/strict';
import '../../src/dissectors/index.js';
import { openCapture } from '../../src/capture/index.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { EXTRACT_DATA, EXTRACT_NONE, Extractor } from '../../src/sessions/extract.js';
import { FAST_DATA, FAST_FALLBACK, FAST_NONE, FastPath } from '../../src/sessions/fastpath.js';
import type { DataEvent } from '../../src/sessions/events.js';

function fields(e: DataEvent) {
  const a = (off: number, len: number) => Array.from(e.data.subarray(off, off + len)).join('.');
  return {
    frame: e.frame, tsSec: e.tsSec, tsNsec: e.tsNsec, bytes: e.bytes, outer: [a(e.outerSrc, e.outerLen), a(e.outerDst, e.outerLen)],
    inner: e.innerLen ? [a(e.innerSrc, e.innerLen), a(e.innerDst, e.innerLen)] : null, encap: e.encap, gre: e.gre,
    key: e.hasKey ? e.key : null, seq: e.hasSeq ? e.seq : null, sport: e.sport, dport: e.dport,
  };
}

/** Compares the fast path with the full path on every frame of a capture; returns the counts. */
export async function compareCapture(bytes: Uint8Array | string): Promise<{ data: number; none: number; fallback: number }> {
  const reader = await openCapture(bytes);
  const pipeline = new Pipeline();
  const x = new Extractor();
  const fast = new FastPath();
  const counts = { data: 0, none: 0, fallback: 0 };
  for (;;) {
    let rec;
    while ((rec = reader.next()) !== null) {
      const k = fast.decode(rec);
      const fastEv = k === FAST_DATA ? fields(fast.data) : null;
      const full = x.extract(pipeline.dissect(rec));
      if (k === FAST_DATA) {
        counts.data++;
        assert.equal(full, EXTRACT_DATA, `frame ${rec.frameNumber}: fast path says data, full path does not`);
        assert.deepEqual(fastEv, fields(x.data), `frame ${rec.frameNumber}`);
      } else if (k === FAST_NONE) {
        counts.none++;
        assert.equal(full, EXTRACT_NONE, `frame ${rec.frameNumber}: fast path says nothing, full path extracts ${full}`);
      } else {
        assert.equal(k, FAST_FALLBACK);
        counts.fallback++;
      }
    }
    if (!(await reader.fill())) break;
  }
  await reader.close();
  return counts;
}

