/**
 * The Internet checksum (RFC 1071), shared by IPv4, UDP, TCP, ICMP(v6), GRE and the Mobility
 * Header, on the dissecting and on the building side. Works on any byte range without copying.
 */

/** True on little-endian hosts (all that Node runs on in practice), where the word-wise sum applies. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Ranges shorter than this are summed byte pair by byte pair (measured break-even: 24-32 bytes). */
const WORDWISE_MIN = 32;
/** Words summed per block: the high halves of a block stay under 2^31, the low halves under 2^32. */
const BLOCK_WORDS = 16384;
/**
 * The 32-bit view of the last buffer summed word-wise, and the last byte view seen over it with its
 * byteOffset. Frames of one capture share one chunk view, so the common case is one identity
 * comparison: reading `.buffer` and `.byteOffset` of a view costs more than summing 100 bytes.
 */
let wordsOf: ArrayBufferLike | null = null;
let words: Int32Array<ArrayBufferLike> = new Int32Array(0);
let lastView: Uint8Array | null = null;
let lastViewOffset = 0;

/**
 * One's-complement sum of the 16-bit big-endian words of data[start, end), added to `sum`.
 * The result is not folded; it is congruent modulo 0xffff to the RFC 1071 sum and zero only
 * when that sum is, which is all that `finish` needs.
 *
 * Long ranges are summed four bytes at a time through a 32-bit view (RFC 1071 §2: the sum is
 * independent of byte order up to a final byte swap, and a swap is a multiplication by 256
 * modulo 0xffff). A 32-bit word read little-endian is congruent to the sum of its two 16-bit
 * halves, so the sum of the halves reduced modulo 0xffff at the end gives the sum of the
 * little-endian 16-bit words of the aligned part.
 *
 * The loop stays in int32 arithmetic: per block it keeps `hi`, the exact sum of the high halves
 * (< 2^16 per word, so < 2^30 per block), and `all`, the sum of the whole words modulo 2^32
 * (wrapping, `| 0`). The sum of the low halves is then (all - hi * 2^16) mod 2^32, which is exact
 * because it is below 2^32 for a block of at most 65536 words.
 */
export function onesSum(data: Uint8Array, start: number, end: number, sum = 0): number {
  // (kept small so that it is inlined: short ranges are most calls)
  if (end - start < WORDWISE_MIN || !LITTLE_ENDIAN) return pairSum(data, start, end, sum);
  return wordSum(data, start, end, sum);
}

/** onesSum of a range of at least WORDWISE_MIN bytes, on a little-endian host. */
function wordSum(data: Uint8Array, start: number, end: number, sum: number): number {
  if (data !== lastView) {
    const buf = data.buffer;
    if (buf !== wordsOf) {
      wordsOf = buf;
      words = new Int32Array(buf, 0, buf.byteLength >>> 2);
    }
    lastView = data;
    lastViewOffset = data.byteOffset;
  }
  const abs = lastViewOffset + start;
  const head = (4 - (abs & 3)) & 3;
  const first = start + head; // first byte of the aligned part
  const nwords = (end - first) >>> 2;
  const last = first + 4 * nwords;
  if (head !== 0) sum = pairSum(data, start, first, sum);
  let k = (abs + head) >>> 2;
  const w1 = k + nwords;
  if (w1 > words.length) {
    // the buffer grew (a resizable ArrayBuffer) since the view was made
    wordsOf = data.buffer;
    words = new Int32Array(wordsOf, 0, wordsOf.byteLength >>> 2);
  }
  const ws = words;
  let r = 0;
  while (k < w1) {
    const stop = w1 - k > BLOCK_WORDS ? k + BLOCK_WORDS : w1;
    const stop4 = stop - 3;
    let all = 0;
    let hi = 0;
    let all2 = 0;
    let hi2 = 0;
    for (; k < stop4; k += 4) {
      const x = ws[k]!;
      const y = ws[k + 1]!;
      const z = ws[k + 2]!;
      const t = ws[k + 3]!;
      all = (all + x + y) | 0;
      hi = (hi + (x >>> 16) + (y >>> 16)) | 0;
      all2 = (all2 + z + t) | 0;
      hi2 = (hi2 + (z >>> 16) + (t >>> 16)) | 0;
    }
    for (; k < stop; k++) {
      const x = ws[k]!;
      all = (all + x) | 0;
      hi = (hi + (x >>> 16)) | 0;
    }
    all = (all + all2) | 0;
    hi += hi2;
    r += hi + ((all - (hi << 16)) >>> 0); // high halves + low halves, exact (< 2^33 per block)
  }
  if (r !== 0) {
    r %= 0xffff;
    if (r === 0) r = 0xffff; // a non-zero sum stays non-zero
    // aligned part starting at an even distance from `start`: its bytes are byte-swapped
    sum += (head & 1) === 0 ? r * 256 : r;
  }
  if (last === end) return sum;
  // the tail continues the word parity of the range
  if (((last - start) & 1) === 0) return pairSum(data, last, end, sum);
  return sum + data[last]! + pairSum(data, last + 1, end, 0);
}

/** The byte-pair loop (short ranges, unaligned heads and tails). */
function pairSum(data: Uint8Array, start: number, end: number, sum: number): number {
  let i = start;
  const even = end - ((end - start) & 1);
  for (; i < even; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (i < end) sum += data[i]! << 8; // odd length: pad with a zero octet
  return sum;
}

/** Folds a running sum to 16 bits and complements it: the checksum value. */
export function finish(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}

/** Internet checksum of data[start, end) (the checksum field must be zero or skipped). */
export function internetChecksum(data: Uint8Array, start: number, end: number, initial = 0): number {
  return finish(onesSum(data, start, end, initial));
}

/**
 * Sum of an IPv4 or IPv6 pseudo-header (RFC 768 / RFC 2460 §8.1). `src`/`dst` are offsets of
 * the addresses in `data`; `version` is 4 or 6.
 */
export function pseudoHeaderSum(data: Uint8Array, version: number, src: number, dst: number, proto: number, length: number): number {
  const alen = version === 6 ? 16 : 4;
  let sum = onesSum(data, src, src + alen);
  sum = onesSum(data, dst, dst + alen, sum);
  if (version === 6) sum += Math.floor(length / 65536) + (length & 0xffff) + proto;
  else sum += proto + length;
  return sum;
}
