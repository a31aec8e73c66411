/**
 * Packet stacking with computed fields (scapy's idea), and compiled templates for the scale path.
 *
 * A frame is a list of layers, outermost first (link, IP, transport, ..., payload). Each
 * protocol's builder (src/dissectors/<proto>/build.ts) turns a spec into a `Layer`. A field left
 * unset in the spec is computed here (lengths, header lengths, next header / protocol / EtherType,
 * checksums with the right pseudo-header, option padding); a field set explicitly is written as
 * given, even when wrong. That is how one builder makes valid and deliberately broken packets.
 *
 * Building is two passes over one buffer: `encode` (outer to inner, payload sizes known from
 * `headerLen`) writes headers; then checksum regions are summed innermost first, so an outer
 * checksum (GRE, UDP) covers inner checksums already filled in.
 *
 * `compile` keeps the built bytes as a template plus the few fields that change per frame
 * (IP id, GRE sequence, TCP seq/ack, ICMP sequence) and every computed checksum that covers
 * them. `Template.set` patches a field and updates the covering checksums incrementally
 * (RFC 1624 eqn. 3), so the scale path never rebuilds a packet from objects.
 */
import { finish, onesSum, pseudoHeaderSum } from '../engine/checksum.js';

/** A computed checksum: the field at `field` is the checksum of [start, end) plus `pseudo`. */
export interface ChecksumRegion {
  field: number;
  start: number;
  end: number;
  /** Sum of the pseudo-header (0 when there is none). */
  pseudo: number;
  /**
   * The pseudo-header's source and destination addresses in the frame (absolute offsets), so
   * a template that patches an address also updates this checksum; `proto`/`version` let it
   * recompute the pseudo-header sum when needed.
   */
  pseudoHeader?: { version: 4 | 6; src: number; dst: number; proto: number };
  /** UDP: a computed 0 is sent as 0xFFFF (RFC 768), since 0 means "no checksum". */
  udp: boolean;
  /** Non-zero: the value written is the computed checksum XOR this mask (deliberately wrong). */
  corrupt?: number;
}

/**
 * A field the template may change per frame: absolute offset and width in octets (2 or 4 for
 * numbers; any width for octet strings such as an IPv6 address or an NAI).
 */
export interface MutableField {
  name: string;
  off: number;
  width: number;
}

/** Offsets of the layers of the frame being built; layers look at their neighbours through it. */
export interface BuildContext {
  readonly layers: readonly Layer[];
  /** Start offset of each layer's header. */
  readonly offs: readonly number[];
  /** End of the frame (every layer's data runs to the frame's end). */
  readonly end: number;
  /** The layer being built. */
  readonly index: number;
}

export interface Layer {
  /** Builder kind ('eth', 'ipv4', 'gre', 'mip6', ...). */
  readonly kind: string;
  /** Octets of header this layer writes before the next layer. */
  headerLen(): number;
  /** Writes the header at `off`; the payload, at [off + headerLen(), end), is already laid out. */
  encode(b: Uint8Array, off: number, ctx: BuildContext): void;
  /** The checksum this layer computes, or null (none, disabled, or set explicitly). */
  checksum?(b: Uint8Array, off: number, ctx: BuildContext): ChecksumRegion | null;
  /** Fields the scale path may patch per frame. */
  mutable?(off: number, ctx: BuildContext): MutableField[];
  /** What this layer is, for the computed next-protocol field of the layer before it. */
  readonly etherType?: number;
  readonly ipProto?: number;
  /** For a UDP layer with unset ports: the port this payload defaults to. */
  readonly udpPort?: number;
  /** For IP layers: version and address offsets (relative to the layer start) for pseudo-headers. */
  readonly ip?: { version: 4 | 6; src: number; dst: number };
}

// ------------------------------------------------------------------ helpers for builders

/** The layer after `ctx.index`, if any. */
export function nextLayer(ctx: BuildContext): Layer | undefined {
  return ctx.layers[ctx.index + 1];
}

/** The layer before `ctx.index`, if any. */
export function prevLayer(ctx: BuildContext): Layer | undefined {
  return ctx.layers[ctx.index - 1];
}

/** Offset of the layer after this one (= start of this layer's payload). */
export function payloadOffset(ctx: BuildContext): number {
  return ctx.index + 1 < ctx.offs.length ? ctx.offs[ctx.index + 1]! : ctx.end;
}

/** The nearest enclosing IP layer (for pseudo-headers): absolute address offsets, or null. */
export function enclosingIp(ctx: BuildContext): { version: 4 | 6; src: number; dst: number } | null {
  for (let i = ctx.index - 1; i >= 0; i--) {
    const l = ctx.layers[i]!;
    if (l.ip) return { version: l.ip.version, src: ctx.offs[i]! + l.ip.src, dst: ctx.offs[i]! + l.ip.dst };
  }
  return null;
}

export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

export function get16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

export function get32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}

const parsed4 = new Map<string, Uint8Array>();
const parsed6 = new Map<string, Uint8Array>();
const parsedMac = new Map<string, Uint8Array>();
function cached(m: Map<string, Uint8Array>, a: string, parse: (a: string) => Uint8Array): Uint8Array {
  let v = m.get(a);
  if (v === undefined) {
    v = parse(a);
    if (m.size > 1 << 16) m.clear();
    m.set(a, v);
  }
  return v;
}

/**
 * Parses an IPv4 address "a.b.c.d" (or passes 4 octets through). Parsed text is cached: the
 * returned array is shared and must not be modified.
 */
export function ipv4Bytes(a: string | Uint8Array | readonly number[]): Uint8Array {
  if (typeof a === 'string') return cached(parsed4, a, parse4);
  return parse4(a);
}

function parse4(a: string | Uint8Array | readonly number[]): Uint8Array {
  if (typeof a !== 'string') {
    if (a.length !== 4) throw new Error(`IPv4 address needs 4 octets, got ${a.length}`);
    return Uint8Array.from(a);
  }
  const parts = a.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${a}"`);
  const out = new Uint8Array(4);
  parts.forEach((p, i) => {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Error(`invalid IPv4 address "${a}"`);
    out[i] = Number(p);
  });
  return out;
}

/** Parses an IPv6 address (RFC 4291 text forms, incl. "::" and a dotted IPv4 tail); cached and shared. */
export function ipv6Bytes(a: string | Uint8Array | readonly number[]): Uint8Array {
  if (typeof a === 'string') return cached(parsed6, a, parse6);
  return parse6(a);
}

function parse6(a: string | Uint8Array | readonly number[]): Uint8Array {
  if (typeof a !== 'string') {
    if (a.length !== 16) throw new Error(`IPv6 address needs 16 octets, got ${a.length}`);
    return Uint8Array.from(a);
  }
  const bad = (): never => {
    throw new Error(`invalid IPv6 address "${a}"`);
  };
  let s = a;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.slice(lastColon + 1).includes('.')) {
    const v4 = ipv4Bytes(s.slice(lastColon + 1));
    s = s.slice(0, lastColon + 1) + ((v4[0]! << 8) | v4[1]!).toString(16) + ':' + ((v4[2]! << 8) | v4[3]!).toString(16);
  }
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) bad();
  const parse = (x: string): number[] => (x === '' ? [] : x.split(':').map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : bad())));
  let groups: number[];
  if (dbl >= 0) {
    const head = parse(s.slice(0, dbl));
    const rest = parse(s.slice(dbl + 2));
    const fill = 8 - head.length - rest.length;
    if (fill < 1) bad();
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    groups = parse(s);
  }
  if (groups.length !== 8) bad();
  const out = new Uint8Array(16);
  groups.forEach((g, i) => put16(out, 2 * i, g));
  return out;
}

/** Parses a MAC address "aa:bb:cc:dd:ee:ff" (or "-" separated); cached and shared. */
export function macBytes(a: string | Uint8Array | readonly number[]): Uint8Array {
  if (typeof a === 'string') return cached(parsedMac, a, parseMac);
  return parseMac(a);
}

function parseMac(a: string | Uint8Array | readonly number[]): Uint8Array {
  if (typeof a !== 'string') {
    if (a.length !== 6) throw new Error(`MAC address needs 6 octets, got ${a.length}`);
    return Uint8Array.from(a);
  }
  const parts = a.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new Error(`invalid MAC address "${a}"`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

// ------------------------------------------------------------------ generic layers

/** Raw payload octets (the innermost application data, or deliberately odd bytes). */
export interface RawSpec {
  data: Uint8Array;
  /** What the layer before should see as its next protocol, if anything. */
  etherType?: number;
  ipProto?: number;
}

export function raw(spec: RawSpec): Layer {
  return {
    kind: 'raw',
    etherType: spec.etherType,
    ipProto: spec.ipProto,
    headerLen: () => spec.data.length,
    encode(b, off) {
      b.set(spec.data, off);
    },
  };
}

// ------------------------------------------------------------------ building

function layout(layers: readonly Layer[]): { offs: number[]; end: number } {
  const offs: number[] = [];
  let o = 0;
  for (const l of layers) {
    offs.push(o);
    o += l.headerLen();
  }
  return { offs, end: o };
}

interface Built {
  bytes: Uint8Array;
  offs: number[];
  regions: ChecksumRegion[];
  ctxs: BuildContext[];
}

function buildInternal(layers: readonly Layer[]): Built {
  const { offs, end } = layout(layers);
  const b = new Uint8Array(end);
  const ctxs: BuildContext[] = layers.map((_, index) => ({ layers, offs, end, index }));
  // Headers are written innermost first: a computed next-protocol or length may read the
  // layer after it, never the layer before it.
  for (let i = layers.length - 1; i >= 0; i--) layers[i]!.encode(b, offs[i]!, ctxs[i]!);
  const regions: ChecksumRegion[] = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (!l.checksum) continue;
    const r = l.checksum(b, offs[i]!, ctxs[i]!);
    if (!r) continue;
    b[r.field] = 0;
    b[r.field + 1] = 0;
    let c = finish(onesSum(b, r.start, r.end, r.pseudo));
    if (r.udp && c === 0) c = 0xffff;
    put16(b, r.field, c ^ (r.corrupt ?? 0));
    regions.push(r);
  }
  return { bytes: b, offs, regions, ctxs };
}

/** Builds one frame from its layers (outermost first). */
export function build(layers: readonly Layer[]): Uint8Array {
  return buildInternal(layers).bytes;
}

// ------------------------------------------------------------------ templates

/** An IPv6 address as eight 16-bit words (big-endian order: w0 is octets 0-1). */
export interface Addr6Words {
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;
  readonly w4: number;
  readonly w5: number;
  readonly w6: number;
  readonly w7: number;
}

/** Int32 words per field in Template.fx, and the number of affected checksums it holds inline. */
const FX_STRIDE = 16;
const FX_MAX = 3;

/**
 * A built frame whose mutable fields can be changed cheaply. A word that changes by δ (one's
 * complement) changes the sum of every region covering it, directly or through a pseudo-header
 * address; a region's checksum field is itself covered by the regions around it. Since all of
 * this is linear, the effect of a field on each checksum is a fixed multiple k·δ, computed once
 * here: an outer GRE or UDP checksum over an inner packet whose own checksums absorb a change
 * has k = 0 and is not touched at all. `set` then updates each affected checksum once
 * (RFC 1624 eqn. 3 generalised to k·δ). Explicitly set checksums are not regions, so a fault that
 * fixes a bad checksum keeps it bad. Nothing is allocated per change.
 */
export class Template {
  readonly bytes: Uint8Array;
  readonly length: number;
  readonly fields: readonly MutableField[];
  private readonly regions: ChecksumRegion[];
  /** Per field: the regions whose checksum it changes, and the multiplier k of each. */
  private readonly effRegion: Int32Array[];
  private readonly effK: Int32Array[];
  /** Fields whose words do not share one effect vector: recompute everything after a change (never for gretool's layouts). */
  private readonly slow: Uint8Array;
  /** Field offsets and widths (flat, for the hot path). */
  private readonly fOff: Int32Array;
  private readonly fWidth: Int32Array;
  /** Per region: checksum field offset, XOR mask, UDP zero rule (flat, for the hot path). */
  private readonly rField: Int32Array;
  private readonly rCorrupt: Int32Array;
  private readonly rUdp: Uint8Array;
  /**
   * The same, flat, FX_STRIDE int32 per field (one cache line): [offset, width, 0 when set()
   * may take its fast path, number of affected checksums n, then for each of up to FX_MAX of
   * them: checksum field offset, k, XOR mask, UDP zero rule]; with n > FX_MAX, apply() goes
   * through the per-field arrays above.
   */
  private readonly fx: Int32Array;

  constructor(bytes: Uint8Array, fields: MutableField[], regions: ChecksumRegion[]) {
    this.bytes = bytes;
    this.length = bytes.length;
    this.fields = fields;
    this.regions = regions;
    const n = regions.length;
    this.rField = Int32Array.from(regions.map((r) => r.field));
    this.rCorrupt = Int32Array.from(regions.map((r) => r.corrupt ?? 0));
    this.rUdp = Uint8Array.from(regions.map((r) => (r.udp ? 1 : 0)));
    /** Does region r cover word w (in its range, not its own field; or in its pseudo-header)? 0/1; -1 when off-grid. */
    const covers = (r: ChecksumRegion, w: number): number => {
      if (w === r.field) return 0;
      const within = (a: number, e: number): number => {
        if (w >= a && w + 2 <= e) return ((w - a) & 1) === 0 ? 1 : -1;
        return w < e && w + 2 > a ? -1 : 0; // straddles an edge
      };
      const c = within(r.start, r.end);
      if (c !== 0) return c;
      const ph = r.pseudoHeader;
      if (!ph) return 0;
      const alen = ph.version === 6 ? 16 : 4;
      const s1 = within(ph.src, ph.src + alen);
      return s1 !== 0 ? s1 : within(ph.dst, ph.dst + alen);
    };
    /** k per region for a change of word w: k_R = cover_R(w) − Σ k_R' over inner regions R' whose checksum field R covers. */
    const effect = (w: number): number[] | null => {
      const k = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) {
        const c = covers(regions[i]!, w);
        if (c < 0) return null;
        let v = c;
        for (let j = 0; j < i; j++) if (k[j] !== 0 && covers(regions[i]!, regions[j]!.field) === 1) v -= k[j]!;
        k[i] = v;
      }
      return k;
    };
    this.effRegion = [];
    this.effK = [];
    this.slow = new Uint8Array(fields.length);
    this.fOff = Int32Array.from(fields.map((f) => f.off));
    this.fWidth = Int32Array.from(fields.map((f) => f.width));
    for (const [fi, f] of fields.entries()) {
      let vec: number[] | null = null;
      let uniform = true;
      for (let w = f.off & ~1; w < f.off + f.width; w += 2) {
        const e = effect(w);
        if (!e || (vec && e.some((x, i) => x !== vec![i]))) uniform = false;
        vec ??= e;
      }
      const ok = uniform && vec !== null;
      this.slow[fi] = ok ? 0 : 1;
      const ri: number[] = [];
      const ks: number[] = [];
      if (ok) vec!.forEach((k, i) => k !== 0 && (ri.push(i), ks.push(k)));
      this.effRegion.push(Int32Array.from(ri));
      this.effK.push(Int32Array.from(ks));
    }
    this.fx = new Int32Array(fields.length * FX_STRIDE);
    fields.forEach((f, fi) => {
      const q = fi * FX_STRIDE;
      const rs = this.effRegion[fi]!;
      const ks = this.effK[fi]!;
      this.fx[q] = f.off;
      this.fx[q + 1] = f.width;
      this.fx[q + 2] = this.slow[fi] === 0 && (f.width === 2 || f.width === 4) && (f.off & 1) === 0 ? 0 : 1;
      this.fx[q + 3] = rs.length;
      if (rs.length > FX_MAX) return;
      rs.forEach((ri, i) => {
        const e = q + 4 + 4 * i;
        this.fx[e] = this.rField[ri]!;
        this.fx[e + 1] = ks[i]!;
        this.fx[e + 2] = this.rCorrupt[ri]!;
        this.fx[e + 3] = this.rUdp[ri]!;
      });
    });
  }

  /** Index of the `occurrence`-th (0 = outermost) mutable field called `name`, or -1. */
  field(name: string, occurrence = 0): number {
    let n = 0;
    for (let i = 0; i < this.fields.length; i++) {
      if (this.fields[i]!.name === name && n++ === occurrence) return i;
    }
    return -1;
  }

  /** Current value of a 2- or 4-octet mutable field. */
  get(index: number): number {
    return this.fWidth[index] === 2 ? get16(this.bytes, this.fOff[index]!) : get32(this.bytes, this.fOff[index]!);
  }

  /**
   * Sets a 2- or 4-octet mutable field (an IPv4 address as a 32-bit number) and updates every
   * computed checksum it affects. A 32-bit value may be given unsigned or as the int32 with the
   * same bits (`x | 0`: a small integer in V8, where an unsigned value ≥ 2^31 is a boxed number).
   */
  set(index: number, value: number): void {
    const fx = this.fx;
    const q = index * FX_STRIDE;
    const o = fx[q]!;
    const width = fx[q + 1]!;
    if (fx[q + 2] !== 0) {
      const tmp = new Uint8Array(width);
      const v = width === 4 && value < 0 ? value >>> 0 : value;
      for (let i = 0; i < width; i++) tmp[i] = Math.floor(v / 2 ** (8 * (width - 1 - i))) & 0xff;
      this.setBytes(index, tmp);
      return;
    }
    const b = this.bytes;
    let up: number; // Σ (~old + new)
    let down: number; // Σ (old + ~new)
    if (width === 2) {
      const old = (b[o]! << 8) | b[o + 1]!;
      const nw = value & 0xffff;
      if (old === nw) return;
      b[o] = nw >>> 8;
      b[o + 1] = nw & 0xff;
      up = (~old & 0xffff) + nw;
      down = old + (~nw & 0xffff);
    } else {
      const oh = (b[o]! << 8) | b[o + 1]!;
      const ol = (b[o + 2]! << 8) | b[o + 3]!;
      const nh = (value >>> 16) & 0xffff;
      const nl = value & 0xffff;
      if (oh === nh && ol === nl) return;
      b[o] = nh >>> 8;
      b[o + 1] = nh & 0xff;
      b[o + 2] = nl >>> 8;
      b[o + 3] = nl & 0xff;
      up = (~oh & 0xffff) + nh + (~ol & 0xffff) + nl;
      down = oh + (~nh & 0xffff) + ol + (~nl & 0xffff);
    }
    this.apply(index, up, down);
  }

  /** Sets a mutable field from octets (`value.length` = the field's width: an IPv6 address, an NAI). */
  setBytes(index: number, value: Uint8Array): void {
    const off = this.fOff[index]!;
    const width = this.fWidth[index]!;
    const b = this.bytes;
    if (this.slow[index] === 1) {
      b.set(value.subarray(0, width), off);
      this.recomputeAll();
      return;
    }
    let up = 0;
    let down = 0;
    let changed = false;
    const end = off + width;
    if (((off | width) & 1) === 0) {
      for (let w = off, v = 0; w < end; w += 2, v += 2) {
        const hi = value[v]!;
        const lo = value[v + 1]!;
        const bh = b[w]!;
        const bl = b[w + 1]!;
        if (bh === hi && bl === lo) continue;
        const old = (bh << 8) | bl;
        const nw = (hi << 8) | lo;
        changed = true;
        b[w] = hi;
        b[w + 1] = lo;
        up += (~old & 0xffff) + nw;
        down += old + (~nw & 0xffff);
      }
      if (changed) this.apply(index, up, down);
      return;
    }
    // 16-bit words on the frame's even grid; a field at an odd offset or of odd width shares its
    // first / last word with the octet beside it, which stays as it is
    for (let w = off & ~1; w < end; w += 2) {
      const old = (b[w]! << 8) | b[w + 1]!;
      const hi = w >= off ? value[w - off]! : b[w]!;
      const lo = w + 1 < end ? value[w + 1 - off]! : b[w + 1]!;
      const nw = (hi << 8) | lo;
      if (old === nw) continue;
      changed = true;
      b[w] = hi;
      b[w + 1] = lo;
      up += (~old & 0xffff) + nw;
      down += old + (~nw & 0xffff);
    }
    if (changed) this.apply(index, up, down);
  }

  /**
   * setBytes() of a 16-octet field (an IPv6 address) given as eight 16-bit words; the words are
   * an object of small integers the caller keeps near its other hot state (see engine.ts Flow).
   */
  setWords(index: number, a: Addr6Words): void {
    const q = index * FX_STRIDE;
    const off = this.fx[q]!;
    if (this.slow[index] === 1 || this.fx[q + 1] !== 16 || (off & 1) !== 0) {
      const v = new Uint8Array(16);
      [a.w0, a.w1, a.w2, a.w3, a.w4, a.w5, a.w6, a.w7].forEach((x, i) => put16(v, 2 * i, x));
      this.setBytes(index, v);
      return;
    }
    const b = this.bytes;
    let up = 0;
    let down = 0;
    let o: number;
    let old: number;
    let nw: number;
    o = off + 0;
    old = (b[o]! << 8) | b[o + 1]!;
    nw = a.w0;
    if (old !== nw) {
      b[o] = nw >>> 8;
      b[o + 1] = nw & 0xff;
      up += (~old & 0xffff) + nw;
      down += old + (~nw & 0xffff);
    }
    o = off + 2;
    old = (b[o]! << 8) | b[o + 1]!;
    nw = a.w1;
    if (old !== nw) {
      b[o] = nw >>> 8;
      b[o + 1] = nw & 0xff;
      up += (~old & 0xffff) + nw;
      down += old + (~nw & 0xffff);
    }
    o = off + 4;
    old = (b[o]! << 8) | b[o + 1]!;
    nw = a.w2;
    if (old !== nw) {
      b[o] = nw >>> 8;
      b[o + 1] = nw & 0xff;
      up += (~old & 0xffff) + nw;
      down += old + (~nw & 0xffff);
    }
    o = off + 6;
    old = (b[o]! << 8) | b[o + 1]!;
    nw = a.w3;
    if (old !== nw) {
      b[o] = nw >>> 8;
      b[o + 1] = nw & 0xff;
      up += (~old & 0xffff) + nw;
      down += old + (~nw & 0xffff);
    }
    o = off + 8;
    old = (b[o]! << 8) | b[o + 1]!;
    nw = a.w4;
    if (old !== nw) {
      b[o] = nw >>> 8;
      b[o + 1] = nw & 0xff;
      up += (~old & 0xffff) + nw;
      down += old + (~nw & 0xffff);
    }
    o = off + 10;
    old = (b[o]! << 8) | b[o + 1]!;
    nw = a.w5;
    if (old !== nw) {
      b[o] = nw >>> 8;
      b[o + 1] = nw & 0xff;
      up += (~old & 0xffff) + nw;
      down += old + (~nw & 0xffff);
    }
    o = off + 12;
    old = (b[o]! << 8) | b[o + 1]!;
    nw = a.w6;
    if (old !== nw) {
      b[o] = nw >>> 8;
      b[o + 1] = nw & 0xff;
      up += (~old & 0xffff) + nw;
      down += old + (~nw & 0xffff);
    }
    o = off + 14;
    old = (b[o]! << 8) | b[o + 1]!;
    nw = a.w7;
    if (old !== nw) {
      b[o] = nw >>> 8;
      b[o + 1] = nw & 0xff;
      up += (~old & 0xffff) + nw;
      down += old + (~nw & 0xffff);
    }
    if (up !== 0) this.apply(index, up, down);
  }

  /** C' = C − k·δ for each affected checksum (δ given as Σ(~old + new) and its negation Σ(old + ~new)). */
  private apply(index: number, up: number, down: number): void {
    const b = this.bytes;
    const fx = this.fx;
    const q = index * FX_STRIDE;
    const n = fx[q + 3]!;
    if (n <= FX_MAX) {
      for (let e = q + 4, end = e + 4 * n; e < end; e += 4) {
        const fo = fx[e]!;
        const k = fx[e + 1]!;
        const corrupt = fx[e + 2]!;
        const c = ((b[fo]! << 8) | b[fo + 1]!) ^ corrupt;
        let nc = finish((~c & 0xffff) + (k > 0 ? k * up : -k * down));
        if (nc === 0 && fx[e + 3] === 1) nc = 0xffff;
        nc ^= corrupt;
        b[fo] = nc >>> 8;
        b[fo + 1] = nc & 0xff;
      }
      return;
    }
    const rs = this.effRegion[index]!;
    const ks = this.effK[index]!;
    for (let i = 0; i < rs.length; i++) {
      const ri = rs[i]!;
      const k = ks[i]!;
      const fo = this.rField[ri]!;
      const corrupt = this.rCorrupt[ri]!;
      const c = ((b[fo]! << 8) | b[fo + 1]!) ^ corrupt;
      let nc = finish((~c & 0xffff) + (k > 0 ? k * up : -k * down));
      if (nc === 0 && this.rUdp[ri] === 1) nc = 0xffff;
      nc ^= corrupt;
      b[fo] = nc >>> 8;
      b[fo + 1] = nc & 0xff;
    }
  }

  /** Full recomputation of every computed checksum, innermost first (fields off the 16-bit grid only). */
  private recomputeAll(): void {
    const b = this.bytes;
    for (const r of this.regions) {
      b[r.field] = 0;
      b[r.field + 1] = 0;
      const ph = r.pseudoHeader;
      const pseudo = ph ? pseudoHeaderSum(b, ph.version, ph.src, ph.dst, ph.proto, r.end - r.start) : r.pseudo;
      let c = finish(onesSum(b, r.start, r.end, pseudo));
      if (r.udp && c === 0) c = 0xffff;
      put16(b, r.field, c ^ (r.corrupt ?? 0));
    }
  }
}

/** Builds the layers once and returns the template with its mutable fields. */
export function compile(layers: readonly Layer[]): Template {
  const built = buildInternal(layers);
  const fields: MutableField[] = [];
  layers.forEach((l, i) => {
    if (l.mutable) fields.push(...l.mutable(built.offs[i]!, built.ctxs[i]!));
  });
  return new Template(built.bytes, fields, built.regions);
}

// ------------------------------------------------------------------ per-field overrides

/**
 * Setters for header-field overrides, keyed by the Wireshark field name ("ip.ttl", "gre.key",
 * "mip6.ba.status"), so a scenario file or a fault names a field exactly as a display filter
 * would. Each builder exports its table; values come from YAML (numbers, strings, booleans).
 */
export type FieldSetters<S> = Readonly<Record<string, (spec: S, value: unknown) => void>>;

/** A numeric override value: a number, "0x…"/decimal text, or a boolean (1/0). */
export function toNumber(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v.trim())) return Number(v.trim());
  throw new Error(`${field}: expected a number, got ${JSON.stringify(v)}`);
}

export function toBool(v: unknown, field: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  throw new Error(`${field}: expected true/false (or 1/0), got ${JSON.stringify(v)}`);
}

export function toText(v: unknown, field: string): string {
  if (typeof v === 'string') return v;
  throw new Error(`${field}: expected text, got ${JSON.stringify(v)}`);
}

/** Sets or clears `mask` in a numeric flags value. */
export function withBit(flags: number, mask: number, on: boolean): number {
  return on ? flags | mask : flags & ~mask;
}
