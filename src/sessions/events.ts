/**
 * The data-frame event (reused, zero-copy: addresses are offsets into the frame's bytes) and
 * helpers that build events by hand, for tests and for callers that do not dissect.
 */
import { canonicalAddr, parseAddr } from './addr.js';
import { ENCAP_GRE, type HomePrefix, type SignallingEvent } from './types.js';

/**
 * One tunnelled data frame. The extractor fills one instance per frame and reuses it: valid
 * only during the call that receives it. Addresses are read at data[off, off + len).
 */
export class DataEvent {
  frame = 0;
  tsSec = 0;
  tsNsec = 0;
  /** Frame length on the wire (frame.len): what the binding's byte counters add up. */
  bytes = 0;
  /** Buffer holding the addresses (the frame's buffer). */
  data: Uint8Array = new Uint8Array(0);
  /** Outer (tunnel) header: address length 4 or 16 and offsets of source and destination. */
  outerLen = 0;
  outerSrc = 0;
  outerDst = 0;
  /** Inner header right after the tunnel header: 0 when absent/truncated, else 4 or 16. */
  innerLen = 0;
  innerSrc = 0;
  innerDst = 0;
  /** ENCAP_* */
  encap = 0;
  /** GRE present (directly, or after the TLV header); key and sequence number when K/S set. */
  gre = false;
  hasKey = false;
  key = 0;
  hasSeq = false;
  seq = 0;
  /** Outer UDP ports (ENCAP_UDP, ENCAP_UDP_TLV), else 0. */
  sport = 0;
  dport = 0;

  reset(): void {
    this.innerLen = 0;
    this.encap = 0;
    this.gre = false;
    this.hasKey = false;
    this.key = 0;
    this.hasSeq = false;
    this.seq = 0;
    this.sport = 0;
    this.dport = 0;
  }

  /**
   * Builds a standalone event (allocates; for tests and hand-fed correlation).
   * `src`/`dst` are the tunnel endpoints, `inner` the encapsulated packet's addresses.
   */
  static of(o: {
    frame: number;
    time?: number; // epoch seconds (fraction allowed)
    bytes?: number;
    src: string;
    dst: string;
    innerSrc?: string;
    innerDst?: string;
    encap?: number;
    key?: number | null;
    seq?: number | null;
    gre?: boolean;
    sport?: number;
    dport?: number;
  }): DataEvent {
    const e = new DataEvent();
    const parts = [parseAddr(o.src), parseAddr(o.dst)];
    if (o.innerSrc !== undefined && o.innerDst !== undefined) parts.push(parseAddr(o.innerSrc), parseAddr(o.innerDst));
    let n = 0;
    for (const p of parts) n += p.length;
    const buf = new Uint8Array(n);
    let off = 0;
    const offs: number[] = [];
    for (const p of parts) {
      offs.push(off);
      buf.set(p, off);
      off += p.length;
    }
    e.data = buf;
    e.frame = o.frame;
    const t = o.time ?? 1700000000 + o.frame / 1000;
    e.tsSec = Math.floor(t);
    e.tsNsec = Math.round((t - e.tsSec) * 1e9);
    e.bytes = o.bytes ?? 100;
    e.outerLen = parts[0]!.length;
    e.outerSrc = offs[0]!;
    e.outerDst = offs[1]!;
    if (parts.length === 4) {
      e.innerLen = parts[2]!.length;
      e.innerSrc = offs[2]!;
      e.innerDst = offs[3]!;
    }
    e.encap = o.encap ?? ENCAP_GRE;
    e.gre = o.gre ?? (e.encap === ENCAP_GRE || o.key != null);
    if (o.key != null) {
      e.hasKey = true;
      e.key = o.key >>> 0;
    }
    if (o.seq != null) {
      e.hasSeq = true;
      e.seq = o.seq >>> 0;
    }
    e.sport = o.sport ?? 0;
    e.dport = o.dport ?? 0;
    return e;
  }
}

/** Builds a SignallingEvent from a partial description (tests, hand-fed correlation). */
export function signalling(
  o: Partial<Omit<SignallingEvent, 'hnp'>> & {
    type: 'pbu' | 'pba';
    frame: number;
    src: string;
    dst: string;
    seq: number;
    time?: number;
    hnp?: (HomePrefix | string)[];
  },
): SignallingEvent {
  const t = o.time ?? (o.tsSec !== undefined ? o.tsSec + (o.tsNsec ?? 0) / 1e9 : 1700000000 + o.frame / 1000);
  const tsSec = o.tsSec ?? Math.floor(t);
  const tsNsec = o.tsNsec ?? Math.round((t - tsSec) * 1e9);
  const src = canonicalAddr(o.src);
  const dst = canonicalAddr(o.dst);
  const v = src.includes(':') ? 6 : 4;
  const udp = o.udp ?? v === 4;
  return {
    type: o.type,
    frame: o.frame,
    tsSec,
    tsNsec,
    src,
    dst,
    ipVersion: v,
    udp,
    sport: o.sport ?? (udp ? 5436 : 0),
    dport: o.dport ?? (udp ? 5436 : 0),
    seq: o.seq,
    lifetime: o.lifetime ?? (o.type === 'pbu' ? 900 : 900),
    status: o.type === 'pba' ? (o.status ?? 0) : -1,
    aFlag: o.aFlag ?? o.type === 'pbu',
    hFlag: o.hFlag ?? o.type === 'pbu',
    pFlag: o.pFlag ?? true,
    fFlag: o.fFlag ?? false,
    tFlag: o.tFlag ?? false,
    mnId: o.mnId ?? null,
    greKeyLen: o.greKeyLen ?? (o.greKey != null ? 6 : -1),
    greKey: o.greKey ?? null,
    greKeyCount: o.greKeyCount ?? (o.greKeyLen !== undefined && o.greKeyLen >= 0 ? 1 : o.greKey != null ? 1 : 0),
    hnp: (o.hnp ?? []).map((h) => {
      if (typeof h !== 'string') return { prefix: canonicalAddr(h.prefix), len: h.len };
      const [p, l] = h.split('/');
      return { prefix: canonicalAddr(p!), len: l ? Number(l) : 64 };
    }),
    hi: o.hi ?? -1,
    att: o.att ?? -1,
    ipv4Hoa: o.ipv4Hoa ?? null,
    ipv4HoaStatus: o.ipv4HoaStatus ?? -1,
  };
}
