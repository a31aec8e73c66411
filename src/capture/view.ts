/**
 * A DataView over a byte array, indexed as the array is: the reader, the fast path and the
 * correlator read 16- and 32-bit fields of the same capture chunk through it. One view is kept
 * (the last array asked for), so the frames of a chunk share one; asking is an identity check.
 */
let lastBytes: Uint8Array | null = null;
let lastView: DataView = new DataView(new ArrayBuffer(0));

export function viewOf(bytes: Uint8Array): DataView {
  if (bytes !== lastBytes) {
    lastBytes = bytes;
    lastView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return lastView;
}
