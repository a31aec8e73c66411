/**
 * The Mobility Header checksum (RFC 6275 §6.1.1): the Internet checksum over the IPv6
 * pseudo-header of RFC 2460 §8.1 (source, destination, upper-layer length = the MH length,
 * next header 135) followed by the whole MH with its checksum field taken as zero. Shared by the
 * dissector (verification) and the builder (computation), on the engine's checksum primitives.
 */
import { finish, onesSum, pseudoHeaderSum } from '../../engine/checksum.js';
import { IPPROTO_MH, MH_OFF_CSUM } from './layout.js';

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return sum;
}

/**
 * Sum of the pseudo-header and the MH as it is on the wire (checksum field included), folded.
 * A correct checksum makes this 0xffff. Indexes are absolute positions in `buf`.
 */
export function mhVerifySum(buf: Uint8Array, srcIdx: number, dstIdx: number, mhIdx: number, mhLen: number): number {
  const s = pseudoHeaderSum(buf, 6, srcIdx, dstIdx, IPPROTO_MH, mhLen);
  return fold(onesSum(buf, mhIdx, mhIdx + mhLen, s));
}

/** The checksum a sender puts in the MH: computed with the checksum field taken as zero. */
export function mhChecksum(buf: Uint8Array, srcIdx: number, dstIdx: number, mhIdx: number, mhLen: number): number {
  let s = pseudoHeaderSum(buf, 6, srcIdx, dstIdx, IPPROTO_MH, mhLen);
  s = onesSum(buf, mhIdx, mhIdx + MH_OFF_CSUM, s);
  s = onesSum(buf, mhIdx + MH_OFF_CSUM + 2, mhIdx + mhLen, s);
  return finish(s);
}

/** Builder form: the checksum of the MH bytes `mh` (its checksum field ignored) between `src` and `dst`. */
export function mhChecksumOf(src: Uint8Array, dst: Uint8Array, mh: Uint8Array): number {
  let s = onesSum(src, 0, 16);
  s = onesSum(dst, 0, 16, s);
  s += Math.floor(mh.length / 65536) + (mh.length & 0xffff) + IPPROTO_MH;
  s = onesSum(mh, 0, MH_OFF_CSUM, s);
  s = onesSum(mh, MH_OFF_CSUM + 2, mh.length, s);
  return finish(s);
}
