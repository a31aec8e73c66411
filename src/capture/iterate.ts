/** Helpers that drive a CaptureReader's next()/fill() loop. */
import type { CaptureReader, PacketRecord } from './types.js';

/**
 * Calls `onRecord` for every record, awaiting only between chunks (the fast path). Return
 * `false` from the callback to stop early. Resolves to the number of records delivered; rejects
 * with the reader's GretoolError after every complete record before the problem was delivered.
 * The record object and its bytes are reused: copy what you keep.
 */
export async function forEachRecord(reader: CaptureReader, onRecord: (rec: PacketRecord) => unknown): Promise<number> {
  let n = 0;
  for (;;) {
    let rec: PacketRecord | null;
    while ((rec = reader.next()) !== null) {
      n++;
      if (onRecord(rec) === false) return n;
    }
    if (!(await reader.fill())) return n;
  }
}

/**
 * All records as an async iterable (convenient, but one promise per record: prefer
 * `forEachRecord` or `next()`/`fill()` in hot loops). The yielded object is reused.
 */
export async function* records(reader: CaptureReader): AsyncGenerator<PacketRecord, void, undefined> {
  for (;;) {
    let rec: PacketRecord | null;
    while ((rec = reader.next()) !== null) yield rec;
    if (!(await reader.fill())) return;
  }
}
