/**
 * The Internet checksum (RFC 1071), shared by IPv4, UDP, TCP, ICMP(v6), GRE and the Mobility
 * Header, on the dissecting and on the building side. Works on any byte range without copying.
 */

/** True on little-endian hosts (all that Node runs on in practice), where the word-wise sum applies. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Ranges shorter than this are summed byte pair by byte pair. */
const WORDWISE_MIN = 48;
/** The 32-bit view of the last buffer summed word-wise (frames of one capture share a chunk). */
let wordsOf: ArrayBufferLike | null = null;
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/**
 * One's-complement sum of the 16-bit big-endian words of data[start, end), added to `sum`.
 * The result is not folded; it is congruent modulo 0xffff to the RFC 1071 sum and zero only
 * when that sum is, which is all that `finish` needs.
 *
 * Long ranges are summed four bytes at a time through a 32-bit view (RFC 1071 §2: the sum is
 * independent of byte order up to a final byte swap, and a swap is a multiplication by 256
 * modulo 0xffff). A 32-bit word read little-endian is congruent to the sum of its two 16-bit
 * halves, so adding the words and reducing modulo 0xffff at the end gives the sum of the
 * little-endian 16-bit words of the aligned part.
 */
export function onesSum(data: Uint8Array, start: number, end: number, sum = 0): number {
  if (end - start < WORDWISE_MIN || !LITTLE_ENDIAN) return pairSum(data, start, end, sum);
  const abs = data.byteOffset + start;
  const head = (4 - (abs & 3)) & 3;
  const first = start + head; // first byte of the aligned part
  const nwords = (end - first) >>> 2;
  const last = first + 4 * nwords;
  sum = pairSum(data, start, first, sum);
  const buf = data.buffer;
  if (buf !== wordsOf) {
    wordsOf = buf;
    words = new Uint32Array(buf, 0, buf.byteLength >>> 2);
  }
  let w = 0;
  const w0 = (data.byteOffset + first) >>> 2;
  const w1 = w0 + nwords;
  for (let k = w0; k < w1; k++) w += words[k]!; // < 2^53 for any range under 2 MiB
  if (w !== 0) {
    let r = w % 0xffff;
    if (r === 0) r = 0xffff; // a non-zero sum stays non-zero
    // aligned part starting at an even distance from `start`: its bytes are byte-swapped
    sum += (head & 1) === 0 ? r * 256 : r;
  }
  // the tail continues the word parity of the range
  if (last === end || ((last - start) & 1) === 0) return pairSum(data, last, end, sum);
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
