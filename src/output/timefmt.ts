/**
 * The Time column of the summary, in tshark's `-t` formats. Precision follows the capture's
 * timestamp resolution (tshark's "auto"): 6 decimals for microsecond files, 9 for nanosecond.
 */
import { fixedDec, int32Dec, TextBuf } from '../engine/textbuf.js';
import type { CaptureInfo } from '../capture/types.js';
import type { Packet } from '../engine/packet.js';
import { writeRelTime } from './format.js';
import { reserve } from './buf.js';

export const TIME_FORMATS = ['a', 'ad', 'adoy', 'd', 'dd', 'e', 'r', 'u', 'ud', 'udoy'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export function isTimeFormat(s: string): s is TimeFormat {
  return (TIME_FORMATS as readonly string[]).includes(s);
}

/** Decimal digits that show a timestamp of `unitsPerSecond` resolution exactly (0..9). */
export function precisionDigits(unitsPerSecond: number): number {
  if (!(unitsPerSecond > 1)) return 0;
  return Math.min(9, Math.ceil(Math.log10(unitsPerSecond) - 1e-9));
}

/** Time precision per interface id of a capture (pcap: one entry). */
export function precisionTable(info: CaptureInfo): number[] {
  if (info.format === 'pcap') return [info.nanosecond ? 9 : 6];
  const out: number[] = [];
  for (const i of info.interfaces) out[i.id] = precisionDigits(i.tsUnitsPerSecond);
  return out;
}

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

function putUint(b: Uint8Array, o: number, v: number): number {
  let digits = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
  let i = o + digits - 1;
  do {
    const q = Math.floor(v / 10);
    b[i--] = 48 + (v - q * 10);
    v = q;
  } while (v > 0);
  return o + digits;
}

export class TimeColumn {
  private prevDispSec = NaN;
  private prevDispNsec = 0;
  private cacheSec = NaN;
  private readonly prefix = new TextBuf(32);
  /** Digits per interface; refreshed by the caller when interfaces appear (pcapng). */
  digits: number[];

  constructor(
    readonly format: TimeFormat,
    digits: number[] = [6],
    /** Unused (kept for compatibility): `-t d` reads Packet.deltaNs. */
    readonly deltaFid = -1,
  ) {
    this.digits = digits;
  }

  /** Sets the previously displayed frame's time (`dd`; NaN: none), for a run that starts mid-capture. */
  setPrevious(sec: number, nsec: number): void {
    this.prevDispSec = sec;
    this.prevDispNsec = nsec;
  }

  /** Appends the time of `p` (call once per displayed frame: `dd` remembers it). */
  write(out: TextBuf, p: Packet): void {
    const digits = this.digits[p.interfaceId] ?? this.digits[0] ?? 6;
    switch (this.format) {
      case 'r': {
        // the fast path: plain stores into the buffer
        if (out.len + 40 > out.buf.length) reserve(out, 40);
        const b = out.buf;
        let o = out.len;
        // the usual case in integers: at or after the first frame, less than 2^31 s later
        let sec = p.tsSec - p.firstSec;
        let nsec = p.tsNsec - p.firstNsec;
        if (nsec < 0) {
          sec--;
          nsec += 1e9;
        }
        if (sec >= 0 && sec < 2147483648 && nsec >= 0 && nsec < 1e9) {
          o = int32Dec(b, o, sec);
          if (digits > 0) {
            b[o++] = 46;
            o = fixedDec(b, o, Math.floor(nsec / POW10[9 - digits]!), digits); // (nsec may have a fraction: pcapng resolutions)
          }
          out.len = o;
          break;
        }
        let ns = sec * 1e9 + nsec;
        if (ns < 0) {
          b[o++] = 45;
          ns = -ns;
        }
        const s = Math.floor(ns / 1e9);
        o = putUint(b, o, s);
        if (digits > 0) {
          b[o++] = 46;
          let f = Math.floor((ns - s * 1e9) / POW10[9 - digits]!);
          for (let i = o + digits - 1; i >= o; i--) {
            const q = (f / 10) >>> 0;
            b[i] = 48 + (f - q * 10);
            f = q;
          }
          o += digits;
        }
        out.len = o;
        break;
      }
      case 'd':
        writeRelTime(out, this.delta(p), digits);
        break;
      case 'dd': {
        const ns = Number.isNaN(this.prevDispSec) ? 0 : (p.tsSec - this.prevDispSec) * 1e9 + (p.tsNsec - this.prevDispNsec);
        writeRelTime(out, ns, digits);
        break;
      }
      case 'e':
        out.dec(p.tsSec);
        this.frac(out, p.tsNsec, digits);
        break;
      default:
        if (p.tsSec !== this.cacheSec) this.makePrefix(p.tsSec);
        out.append(this.prefix);
        this.frac(out, p.tsNsec, digits);
    }
    this.prevDispSec = p.tsSec;
    this.prevDispNsec = p.tsNsec;
  }

  private frac(out: TextBuf, nsec: number, digits: number): void {
    if (digits <= 0) return;
    out.byte(46);
    out.decPad(Math.floor(nsec / POW10[9 - digits]!), digits);
  }

  private delta(p: Packet): number {
    // frame.time_delta, kept by the pipeline whether or not the frame's fields are materialised
    return p.deltaNs;
  }

  private makePrefix(sec: number): void {
    const d = new Date(sec * 1000);
    const utc = this.format[0] === 'u';
    const Y = utc ? d.getUTCFullYear() : d.getFullYear();
    const M = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
    const D = utc ? d.getUTCDate() : d.getDate();
    const h = utc ? d.getUTCHours() : d.getHours();
    const m = utc ? d.getUTCMinutes() : d.getMinutes();
    const s = utc ? d.getUTCSeconds() : d.getSeconds();
    const b = this.prefix.clear();
    const rest = this.format.slice(1);
    if (rest === 'd') b.decPad(Y, 4).byte(45).decPad(M, 2).byte(45).decPad(D, 2).byte(32);
    else if (rest === 'doy') {
      const start = utc ? Date.UTC(Y, 0, 1) : new Date(Y, 0, 1).getTime();
      const local = utc ? Date.UTC(Y, M - 1, D) : new Date(Y, M - 1, D).getTime();
      const doy = Math.round((local - start) / 86400000) + 1;
      b.decPad(Y, 4).byte(47).decPad(doy, 3).byte(32);
    }
    b.decPad(h, 2).byte(58).decPad(m, 2).byte(58).decPad(s, 2);
    this.cacheSec = sec;
  }
}
