/**
 * The one-line summary of a frame, laid out as tshark 4.0 does: No. (right, width 5), Time
 * (right, width 10), Source (right, width 12) " → " Destination (left, width 12), Protocol,
 * Length, Info, separated by single spaces. This is the fast path: the line is written as
 * bytes into the sink's buffer straight from the Packet's column TextBufs, no strings per frame.
 */
import type { Packet } from '../engine/packet.js';
import { copyText, decDigits, int32Dec, TextBuf } from '../engine/textbuf.js';
import { SEVERITY_RANK, expertDef } from '../engine/expert.js';
import type { TimeColumn } from './timefmt.js';
import { reserve } from './buf.js';

/** ANSI open/close sequences for the summary's colouring (from chalk, decided once). */
export interface SummaryColors {
  error: readonly [string, string];
  warning: readonly [string, string];
}

/** Highest expert severity of a frame (-1: none; 3: error). Malformed frames count as errors. */
export function frameSeverity(p: Packet): number {
  let worst = p.cols.malformed ? 3 : -1;
  const ex = p.experts;
  for (let i = 0; i < ex.count && worst < 3; i++) {
    const r = severityOf(ex.id[i]!);
    if (r > worst) worst = r;
  }
  return worst;
}

let sevCache = new Int8Array(64).fill(-2);
function severityOf(id: number): number {
  if (id >= sevCache.length) {
    const n = new Int8Array(Math.max(id + 1, sevCache.length * 2)).fill(-2);
    n.set(sevCache);
    sevCache = n;
  }
  let r = sevCache[id]!;
  if (r === -2) {
    r = SEVERITY_RANK[expertDef(id).severity];
    sevCache[id] = r;
  }
  return r;
}

export class SummaryWriter {
  private readonly tb = new TextBuf(64);
  private readonly colors: { error: [Uint8Array, Uint8Array]; warning: [Uint8Array, Uint8Array] } | null;

  constructor(
    private readonly time: TimeColumn,
    colors?: SummaryColors | null,
  ) {
    const enc = (s: string) => new TextEncoder().encode(s);
    this.colors = colors
      ? { error: [enc(colors.error[0]), enc(colors.error[1])], warning: [enc(colors.warning[0]), enc(colors.warning[1])] }
      : null;
  }

  /** Appends the summary line of `p` (with its newline) to `out`. */
  write(out: TextBuf, p: Packet): void {
    let close: Uint8Array | null = null;
    if (this.colors !== null) {
      const sev = frameSeverity(p);
      const c = sev >= 3 ? this.colors.error : sev === 2 ? this.colors.warning : null;
      if (c) {
        out.bytes(c[0], 0, c[0].length);
        close = c[1];
      }
    }
    this.line(out, p);
    if (close) out.bytes(close, 0, close.length);
    out.byte(10);
  }

  /** The line without newline or colour. */
  line(out: TextBuf, p: Packet): void {
    // Time first, into a small scratch buffer, to know its width.
    const tb = this.tb;
    tb.len = 0;
    this.time.write(tb, p);
    const c = p.cols;
    const src = c.src;
    const dst = c.dst;
    const info = c.info;
    const proto = c.proto;
    // One capacity check per line, then plain stores (no calls, no views per frame).
    const need = 48 + tb.len + src.len + dst.len + 3 * proto.length + info.len;
    if (out.len + need > out.buf.length) reserve(out, need);
    const b = out.buf;
    const dv = out.view();
    let o = out.len;
    // No. (right-aligned, width 5)
    const n = p.number;
    if (n < 2147483648) {
      for (let i = decDigits(n); i < 5; i++) b[o++] = 32;
      o = int32Dec(b, o, n);
    } else {
      let digits = 1;
      for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
      o = putDec(b, o, n, digits);
    }
    b[o++] = 32;
    // Time (right-aligned, width 10)
    for (let i = tb.len; i < 10; i++) b[o++] = 32;
    o = copyText(b, dv, o, tb);
    b[o++] = 32;
    // Source (right-aligned, 12) → Destination (left-aligned, 12)
    for (let i = src.len; i < 12; i++) b[o++] = 32;
    o = copyText(b, dv, o, src);
    b[o++] = 0x20;
    b[o++] = 0xe2;
    b[o++] = 0x86;
    b[o++] = 0x92;
    b[o++] = 0x20;
    o = copyText(b, dv, o, dst);
    for (let i = dst.len; i < 12; i++) b[o++] = 32;
    b[o++] = 32;
    // Protocol, Length, Info
    const pl = proto.length;
    let ascii = true;
    for (let i = 0; i < pl; i++) {
      const ch = proto.charCodeAt(i);
      if (ch >= 0x80) {
        ascii = false;
        break;
      }
      b[o + i] = ch;
    }
    if (ascii) o += pl;
    else {
      out.len = o;
      out.str(proto);
      return this.tail(out, p);
    }
    b[o++] = 32;
    const len = p.origlen;
    if (len < 2147483648) o = int32Dec(b, o, len);
    else {
      let ld = 1;
      for (let x = len; x >= 10; x = (x / 10) | 0) ld++;
      o = putDec(b, o, len, ld);
    }
    b[o++] = 32;
    o = copyText(b, dv, o, info);
    out.len = o;
  }

  /** Slow path after a non-ASCII protocol name. */
  private tail(out: TextBuf, p: Packet): void {
    out.byte(32).dec(p.origlen).byte(32).bytes(p.cols.info.buf, 0, p.cols.info.len);
  }
}

/** Writes `v` (with `digits` decimal digits) at b[o]; returns the new offset. */
function putDec(b: Uint8Array, o: number, v: number, digits: number): number {
  let i = o + digits - 1;
  if (v < 4294967296) {
    let x = v >>> 0;
    do {
      const q = (x / 10) >>> 0;
      b[i--] = 48 + (x - q * 10);
      x = q;
    } while (x > 0);
  } else {
    let x = v;
    do {
      const q = Math.floor(x / 10);
      b[i--] = 48 + (x - q * 10);
      x = q;
    } while (x > 0);
  }
  return o + digits;
}
