/**
 * Exact timestamp arithmetic. pcapng timestamps are 64-bit tick counts (two 32-bit halves) at a
 * per-interface resolution; nanosecond counts exceed 2^53, so they are divided with 16-bit limb
 * long division in plain doubles (every intermediate stays below 2^53). BigInt is used only for
 * resolutions finer than one nanosecond.
 */

const TWO32 = 4294967296;

/** Resolution kinds of a TimestampConverter. */
const DECIMAL = 0; // 10^-e, e <= 9
const BINARY = 1; // 2^-e, e <= 29
const FINE = 2; // finer than 1 ns (BigInt)

/**
 * Converts 64-bit tick counts at one interface's resolution to (seconds, nanoseconds). The
 * result is left in `sec` and `nsec` (no allocation per call).
 */
export class TimestampConverter {
  /** Result of the last `convert()`: whole seconds. */
  sec = 0;
  /** Result of the last `convert()`: nanoseconds within the second (floor). */
  nsec = 0;
  /** Ticks per second (approximate for very fine resolutions). */
  readonly unitsPerSecond: number;
  /** "microseconds", "nanoseconds", "10^-3 s", "2^-20 s". */
  readonly label: string;
  private readonly kind: number;
  private readonly binary: boolean;
  private readonly exp: number;
  private readonly div: number;
  private readonly mul: number;
  private readonly scratch = new Uint8Array(8);

  /**
   * @param tsresol the pcapng if_tsresol byte (default 6: microseconds). High bit set: 2^-n.
   * @param offsetSeconds if_tsoffset, added to every converted time.
   */
  constructor(
    tsresol = 6,
    readonly offsetSeconds = 0,
  ) {
    const binary = (tsresol & 0x80) !== 0;
    const e = tsresol & 0x7f;
    this.binary = binary;
    this.exp = e;
    if (binary) {
      this.unitsPerSecond = 2 ** e;
      this.label = `2^-${e} s`;
      this.kind = e <= 29 ? BINARY : FINE;
      this.div = 2 ** e;
      this.mul = 0;
    } else {
      this.unitsPerSecond = 10 ** e;
      this.label = e === 6 ? 'microseconds' : e === 9 ? 'nanoseconds' : e === 3 ? 'milliseconds' : `10^-${e} s`;
      this.kind = e <= 9 ? DECIMAL : FINE;
      this.div = 10 ** e;
      this.mul = e <= 9 ? 10 ** (9 - e) : 0;
    }
  }

  /**
   * Converts the tick count stored at b[p] as two 32-bit words, high word first, in the given
   * byte order (the pcapng layout). The decimal resolutions (all common ones) are computed
   * inline so that no 32-bit half is boxed in a call on the hot path.
   */
  convertAt(b: Uint8Array, p: number, le: boolean): void {
    const hi = le
      ? (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0
      : ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    const lo = le
      ? (b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24)) >>> 0
      : ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0;
    if (this.kind !== DECIMAL) {
      if (this.kind === BINARY) this.convertBinary(hi, lo);
      else this.convertFine(hi, lo);
      return;
    }
    const d = this.div;
    if (hi < 0x100000) {
      // hi * 2^32 + lo < 2^52: exact in a double; floor(v / d) may be one off, fix it.
      const v = hi * TWO32 + lo;
      let s = Math.floor(v / d);
      let r = v - s * d;
      if (r < 0) {
        s--;
        r += d;
      } else if (r >= d) {
        s++;
        r -= d;
      }
      this.sec = s + this.offsetSeconds;
      this.nsec = r * this.mul;
      return;
    }
    // Long division by d (<= 1e9 < 2^30) over four 16-bit limbs; each partial < 2^46.
    let c = hi >>> 16;
    const q3 = Math.floor(c / d);
    let r = c - q3 * d;
    c = r * 65536 + (hi & 0xffff);
    const q2 = Math.floor(c / d);
    r = c - q2 * d;
    c = r * 65536 + (lo >>> 16);
    const q1 = Math.floor(c / d);
    r = c - q1 * d;
    c = r * 65536 + (lo & 0xffff);
    const q0 = Math.floor(c / d);
    r = c - q0 * d;
    this.sec = ((q3 * 65536 + q2) * 65536 + q1) * 65536 + q0 + this.offsetSeconds;
    this.nsec = r * this.mul;
  }

  /** Converts the tick count hi * 2^32 + lo (both unsigned 32-bit). */
  convert(hi: number, lo: number): void {
    const t = this.scratch;
    t[0] = hi >>> 24;
    t[1] = hi >>> 16;
    t[2] = hi >>> 8;
    t[3] = hi;
    t[4] = lo >>> 24;
    t[5] = lo >>> 16;
    t[6] = lo >>> 8;
    t[7] = lo;
    this.convertAt(t, 0, false);
  }

  private convertBinary(hi: number, lo: number): void {
    const e = this.exp;
    // 2^e divides 2^32, so the remainder lives in lo alone.
    const r = lo % this.div;
    this.sec = hi * 2 ** (32 - e) + (lo - r) / this.div + this.offsetSeconds;
    if (e <= 23) {
      this.nsec = Math.floor((r * 1e9) / this.div);
    } else {
      // floor(r * 1e9 / 2^e) with r = a * 2^16 + b: (a * 1e9 + floor(b * 1e9 / 2^16)) / 2^(e-16)
      const a = Math.floor(r / 65536);
      const b = r - a * 65536;
      const t = a * 1e9 + Math.floor((b * 1e9) / 65536);
      this.nsec = Math.floor(t / 2 ** (e - 16));
    }
  }

  private convertFine(hi: number, lo: number): void {
    const v = (BigInt(hi) << 32n) | BigInt(lo);
    const units = this.binary ? 1n << BigInt(this.exp) : 10n ** BigInt(this.exp);
    const s = v / units;
    const r = v % units;
    this.sec = Number(s) + this.offsetSeconds;
    this.nsec = Number((r * 1_000_000_000n) / units);
  }
}

/** Result holder for ticks conversions in the writer (no allocation per call). */
export interface Ticks {
  hi: number;
  lo: number;
}

/**
 * Converts (seconds, nanoseconds) to a 64-bit tick count at microsecond or nanosecond
 * resolution, stored into `out.hi` / `out.lo`. Exact for seconds below 2^32.
 */
export function timeToTicks(sec: number, nsec: number, nanosecond: boolean, out: Ticks): void {
  if (!nanosecond) {
    const v = sec * 1e6 + Math.floor(nsec / 1000);
    const hi = Math.floor(v / TWO32);
    out.hi = hi;
    out.lo = v - hi * TWO32;
    return;
  }
  // v = sec * 1e9 + nsec = A * 2^16 + B with A = floor(sec / 2^16) * 1e9, B = (sec mod 2^16) * 1e9 + nsec
  const sHi = Math.floor(sec / 65536);
  const A = sHi * 1e9;
  const B = (sec - sHi * 65536) * 1e9 + nsec;
  const aHi = Math.floor(A / 65536);
  const t = (A - aHi * 65536) * 65536 + B; // < 2^48
  const carry = Math.floor(t / TWO32);
  out.hi = aHi + carry;
  out.lo = t - carry * TWO32;
}

/** Epoch time as "seconds.nnnnnnnnn" (exactly nine decimals), e.g. "1700000000.123456000". */
export function formatEpoch(sec: number, nsec: number): string {
  if (sec < 0 && nsec > 0) {
    // -1 s + 0.25 s = -0.75 s
    const s = -(sec + 1);
    return `-${s}.${String(1e9 - nsec).padStart(9, '0')}`;
  }
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

/** Difference b - a as "seconds.nnnnnnnnn". */
export function formatDuration(aSec: number, aNsec: number, bSec: number, bNsec: number): string {
  let s = bSec - aSec;
  let n = bNsec - aNsec;
  if (n < 0) {
    n += 1e9;
    s -= 1;
  }
  return formatEpoch(s, n);
}

/** UTC calendar time with nanoseconds: "2023-11-14 22:13:20.123456789 UTC". */
export function formatUtc(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return formatEpoch(sec, nsec);
  const iso = d.toISOString(); // 2023-11-14T22:13:20.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(nsec).padStart(9, '0')} UTC`;
}

/** Compares two times: negative, zero or positive. */
export function compareTime(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return aSec !== bSec ? aSec - bSec : aNsec - bNsec;
}
