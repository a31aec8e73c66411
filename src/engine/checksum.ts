/**
 * The Internet checksum (RFC 1071), shared by IPv4, UDP, TCP, ICMP(v6), GRE and the Mobility
 * Header, on the dissecting and on the building side. Works on any byte range without copying.
 */

/** One's-complement sum of the 16-bit big-endian words of data[start, end), added to `sum`. */
export function onesSum(data: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start;
  const even = end - ((end - start) & 1);
  for (; i < even; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (i < end) sum += data[i]! << 8; // odd length: pad with a zero octet
  // fold occasionally is not needed: 2^53 headroom is enough for any frame
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
