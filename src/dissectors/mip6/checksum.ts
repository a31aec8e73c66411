/**
 * The Mobility Header checksum (RFC 6275 §6.1.1): the 16-bit one's complement of the one's
 * complement sum over the IPv6 pseudo-header of RFC 2460 §8.1 (source, destination, upper-layer
 * length = the MH length, three zero octets, next header 135) followed by the whole MH with its
 * checksum field taken as zero. Shared by the dissector (verification) and the generator's
 * builder (computation). No allocation.
 */
import { IPPROTO_MH, MH_OFF_CSUM } from './layout.js';

/** Adds the 16-bit big-endian words of buf[start, end) to `sum` (odd tail padded with zero). */
export function sumWords(buf: Uint8Array, start: number, end: number, sum: number): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) sum += buf[i]! << 8;
  // fold now and then so the sum stays a small integer
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** One's-complement sum of the pseudo-header (not complemented). */
export function pseudoHeaderSum(buf: Uint8Array, srcIdx: number, dstIdx: number, mhLen: number, src2?: Uint8Array, dst2?: Uint8Array): number {
  let s = sumWords(src2 ?? buf, srcIdx, srcIdx + 16, 0);
  s = sumWords(dst2 ?? buf, dstIdx, dstIdx + 16, s);
  s += Math.floor(mhLen / 0x10000) + (mhLen & 0xffff);
  s += IPPROTO_MH;
  return fold(s);
}

/**
 * Sum of the pseudo-header and the MH as it is on the wire (checksum field included), folded.
 * A correct checksum makes this 0xffff.
 */
export function mhVerifySum(buf: Uint8Array, srcIdx: number, dstIdx: number, mhIdx: number, mhLen: number): number {
  const s = pseudoHeaderSum(buf, srcIdx, dstIdx, mhLen);
  return fold(sumWords(buf, mhIdx, mhIdx + mhLen, s));
}

/**
 * The checksum a sender puts in the MH: computed with the checksum field taken as zero.
 * All indexes are absolute positions in `buf` (the source and destination IPv6 addresses and
 * the MH may sit in one frame buffer).
 */
export function mhChecksum(buf: Uint8Array, srcIdx: number, dstIdx: number, mhIdx: number, mhLen: number): number {
  let s = pseudoHeaderSum(buf, srcIdx, dstIdx, mhLen);
  s = sumWords(buf, mhIdx, mhIdx + MH_OFF_CSUM, s);
  s = sumWords(buf, mhIdx + MH_OFF_CSUM + 2, mhIdx + mhLen, s);
  return ~fold(s) & 0xffff;
}

/**
 * Builder form: the checksum of the MH bytes `mh` (its checksum field is ignored) between the
 * 16-octet IPv6 addresses `src` and `dst`.
 */
export function mhChecksumOf(src: Uint8Array, dst: Uint8Array, mh: Uint8Array): number {
  let s = pseudoHeaderSum(src, 0, 0, mh.length, src, dst);
  s = sumWords(mh, 0, MH_OFF_CSUM, s);
  s = sumWords(mh, MH_OFF_CSUM + 2, mh.length, s);
  return ~fold(s) & 0xffff;
}
