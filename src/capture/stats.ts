/** Whole-capture statistics (what `gretool info` and capinfos report). */
import { forEachRecord } from './iterate.js';
import type { CaptureReader } from './types.js';

export interface CaptureStats {
  packets: number;
  /** Sum of captured lengths. */
  capturedBytes: number;
  /** Sum of original (on-the-wire) lengths: capinfos' "data size". */
  originalBytes: number;
  /** Earliest and latest timestamps (as capinfos), or null when no record has one. */
  first: { sec: number; nsec: number } | null;
  last: { sec: number; nsec: number } | null;
  /** True when every timestamp is >= the previous one. */
  chronological: boolean;
  /** Records per interface id. */
  perInterface: number[];
  /** Records without a timestamp (pcapng simple packet blocks). */
  withoutTimestamp: number;
}

export function emptyStats(): CaptureStats {
  return { packets: 0, capturedBytes: 0, originalBytes: 0, first: null, last: null, chronological: true, perInterface: [], withoutTimestamp: 0 };
}

/**
 * Reads the rest of the capture into `stats`. On a read error, `stats` holds the figures of
 * every record delivered before it and the error is rethrown.
 */
export async function collectStats(reader: CaptureReader, stats: CaptureStats = emptyStats()): Promise<CaptureStats> {
  let minS = Infinity;
  let minN = 0;
  let maxS = -Infinity;
  let maxN = 0;
  let prevS = -Infinity;
  let prevN = 0;
  let packets = 0;
  let bytes = 0;
  let orig = 0;
  const per = stats.perInterface;
  const save = (): void => {
    stats.packets += packets;
    stats.capturedBytes += bytes;
    stats.originalBytes += orig;
    if (minS !== Infinity) {
      stats.first = { sec: minS, nsec: minN };
      stats.last = { sec: maxS, nsec: maxN };
    }
  };
  try {
    await forEachRecord(reader, (r) => {
      packets++;
      bytes += r.caplen;
      orig += r.origlen;
      const id = r.interfaceId;
      per[id] = (per[id] ?? 0) + 1;
      if (r.hasTimestamp === false) {
        stats.withoutTimestamp++;
        return;
      }
      const s = r.tsSec;
      const n = r.tsNsec;
      if (s < minS || (s === minS && n < minN)) {
        minS = s;
        minN = n;
      }
      if (s > maxS || (s === maxS && n > maxN)) {
        maxS = s;
        maxN = n;
      }
      if (s < prevS || (s === prevS && n < prevN)) stats.chronological = false;
      prevS = s;
      prevN = n;
    });
  } finally {
    save();
  }
  for (let i = 0; i < per.length; i++) per[i] ??= 0;
  return stats;
}
