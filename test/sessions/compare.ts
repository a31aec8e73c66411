/** Frame-by-frame comparison of the fast path with full dissection + the Extractor. */
import assert from 'node:assert/strict';
import '../../src/dissectors/index.js';
import { openCapture } from '../../src/capture/index.js';
import { expertDef } from '../../src/engine/expert.js';
import type { Packet } from '../../src/engine/packet.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { EXTRACT_DATA, EXTRACT_NONE, EXTRACT_PBA, EXTRACT_PBU, Extractor, extractorWant } from '../../src/sessions/extract.js';
import { FAST_DATA, FAST_FALLBACK, FAST_NONE, FAST_PBA, FAST_PBU, FastPath } from '../../src/sessions/fastpath.js';
import type { DataEvent } from '../../src/sessions/events.js';

function fields(e: DataEvent) {
  const a = (off: number, len: number) => Array.from(e.data.subarray(off, off + len)).join('.');
  return {
    frame: e.frame, tsSec: e.tsSec, tsNsec: e.tsNsec, bytes: e.bytes, outer: [a(e.outerSrc, e.outerLen), a(e.outerDst, e.outerLen)],
    inner: e.innerLen ? [a(e.innerSrc, e.innerLen), a(e.innerDst, e.innerLen)] : null, encap: e.encap, gre: e.gre,
    key: e.hasKey ? e.key : null, seq: e.hasSeq ? e.seq : null, sport: e.sport, dport: e.dport,
  };
}

function experts(p: Packet): string[] {
  const out: string[] = [];
  for (let i = 0; i < p.experts.count; i++) out.push(expertDef(p.experts.id[i]!).abbrev);
  return out;
}

export interface CompareCounts {
  data: number;
  none: number;
  fallback: number;
  /** Signalling decoded by the fast path (with `signalling`). */
  pbu: number;
  pba: number;
  /** PBUs/PBAs the full path extracted that the fast path left to it. */
  signalFallback: number;
}

/**
 * Compares the fast path with the full path on every frame of a capture (the first `count`);
 * returns the counts. With `signalling`, PBU/PBA the fast path decodes must extract to the same
 * event, and dissect with no expert item at all, both fully and with the mask the correlator
 * and the linter dissect with.
 */
export async function compareCapture(bytes: Uint8Array | string, opts: { signalling?: boolean; count?: number } = {}): Promise<CompareCounts> {
  const reader = await openCapture(bytes);
  const pipeline = new Pipeline();
  const masked = new Pipeline({ want: extractorWant(), columns: false });
  const x = new Extractor();
  const fast = new FastPath({ signalling: opts.signalling === true });
  const counts: CompareCounts = { data: 0, none: 0, fallback: 0, pbu: 0, pba: 0, signalFallback: 0 };
  const max = opts.count ?? Infinity;
  let n = 0;
  outer: for (;;) {
    let rec;
    while ((rec = reader.next()) !== null) {
      if (n++ >= max) break outer;
      const k = fast.decode(rec);
      const fastEv = k === FAST_DATA ? fields(fast.data) : null;
      const p = pipeline.dissect(rec);
      const full = x.extract(p);
      const at = `frame ${rec.frameNumber}`;
      if (k === FAST_DATA) {
        counts.data++;
        assert.equal(full, EXTRACT_DATA, `${at}: fast path says data, full path does not`);
        assert.deepEqual(fastEv, fields(x.data), at);
      } else if (k === FAST_NONE) {
        counts.none++;
        assert.equal(full, EXTRACT_NONE, `${at}: fast path says nothing, full path extracts ${full}`);
      } else if (k === FAST_PBU || k === FAST_PBA) {
        if (k === FAST_PBU) counts.pbu++;
        else counts.pba++;
        assert.equal(full, k === FAST_PBU ? EXTRACT_PBU : EXTRACT_PBA, `${at}: fast path says ${k === FAST_PBU ? 'PBU' : 'PBA'}, full path extracts ${full}`);
        // the same event, apart from the fast path's MN-ID ref (a decoder's table id, not message content)
        const { mnIdRef, ...message } = fast.signal!;
        assert.deepEqual(message, x.signal, at);
        assert.ok(message.mnId === null ? mnIdRef === -1 : Number.isInteger(mnIdRef) && mnIdRef! >= 0, `${at}: MN-ID ref ${mnIdRef}`);
        assert.deepEqual(experts(p), [], `${at}: decoded by the fast path, but the full dissection raises expert items`);
        assert.deepEqual(experts(masked.dissect(rec)), [], `${at}: decoded by the fast path, but the masked dissection raises expert items`);
      } else {
        assert.equal(k, FAST_FALLBACK);
        counts.fallback++;
        if (full === EXTRACT_PBU || full === EXTRACT_PBA) counts.signalFallback++;
      }
    }
    if (!(await reader.fill())) break;
  }
  await reader.close();
  return counts;
}
