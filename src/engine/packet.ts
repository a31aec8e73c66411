/**
 * The per-frame state, reused from frame to frame: the frame's bytes, a flat field table
 * (field id, offset, length, parent, flags, cached number) pointing into those bytes, expert
 * items, summary columns and the protocol stack. Values are decoded only when read.
 */
import { fieldDef } from './fields.js';
import type { Dissector } from './dispatch.js';
import { TextBuf } from './textbuf.js';
import { BUILTIN, EXPERT } from './builtin.js';

/** Node flags. */
export const GENERATED = 1; // not in the bytes: computed ("[...]" in the tree)
export const HIDDEN = 2;    // filterable but not shown
export const HAS_NUM = 4;   // numeric value cached in `num`
export const HAS_STR = 8;   // string value in `strs`
export const HAS_BYTES = 16; // value is the bytes at [off, off+len) verbatim (no decode needed)

/** Thrown (preallocated, no allocation) when a read passes the captured length. */
export class Truncated {
  readonly kind = 'truncated';
}
/** Thrown when a read passes a length the packet itself declared, or a length is impossible. */
export class Malformed {
  readonly kind = 'malformed';
  /** Optional reason, set just before throwing. */
  reason = '';
}
export const TRUNCATED = new Truncated();
export const MALFORMED = new Malformed();

/** Field id used for text-only tree items (labels without a field). */
export const TEXT_FIELD = -1;

export class FieldTable {
  count = 0;
  fid: Int32Array;
  off: Int32Array;
  len: Int32Array;
  parent: Int32Array;
  flags: Uint8Array;
  num: Float64Array;
  /**
   * Layer number of each node (Wireshark's `field#2`): which occurrence in the frame of the
   * protocol whose dissector added it (0: added outside any dissector call). Kept per node so it
   * does not depend on which ancestors were materialised.
   */
  layer: Uint8Array;
  /** Sparse: string values and text labels, indexed by node. */
  strs: (string | undefined)[] = [];
  constructor(cap = 256) {
    this.fid = new Int32Array(cap);
    this.off = new Int32Array(cap);
    this.len = new Int32Array(cap);
    this.parent = new Int32Array(cap);
    this.flags = new Uint8Array(cap);
    this.num = new Float64Array(cap);
    this.layer = new Uint8Array(cap);
  }
  reset(): void {
    if (this.strs.length) this.strs.length = 0;
    this.count = 0;
  }
  grow(): void {
    const cap = this.fid.length * 2;
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(cap);
      b.set(a);
      return b;
    };
    this.fid = g(this.fid, Int32Array);
    this.off = g(this.off, Int32Array);
    this.len = g(this.len, Int32Array);
    this.parent = g(this.parent, Int32Array);
    this.flags = g(this.flags, Uint8Array);
    this.num = g(this.num, Float64Array);
    this.layer = g(this.layer, Uint8Array);
  }
}

export class ExpertTable {
  count = 0;
  id = new Int32Array(16);
  node = new Int32Array(16);
  args: (string | number | undefined)[] = [];
  reset(): void {
    this.count = 0;
    if (this.args.length) this.args.length = 0;
  }
  push(id: number, node: number, a0?: string | number, a1?: string | number): void {
    if (this.count === this.id.length) {
      const id2 = new Int32Array(this.count * 2);
      id2.set(this.id);
      this.id = id2;
      const n2 = new Int32Array(this.count * 2);
      n2.set(this.node);
      this.node = n2;
    }
    const i = this.count++;
    this.id[i] = id;
    this.node[i] = node;
    if (a0 !== undefined || a1 !== undefined) {
      this.args[2 * i] = a0;
      this.args[2 * i + 1] = a1;
    }
  }
}

/** Summary columns, built as bytes. */
export class Columns {
  /** Protocol column: the name of the topmost protocol that set it. */
  proto = '';
  src = new TextBuf(64);
  dst = new TextBuf(64);
  info = new TextBuf(256);
  /** Set when "[Malformed Packet]" etc. has been appended. */
  malformed = false;
  reset(): void {
    this.proto = '';
    this.src.len = 0;
    this.dst.len = 0;
    this.info.len = 0;
    this.malformed = false;
  }
}

export class Packet {
  // --- frame identity
  number = 0;
  tsSec = 0;
  tsNsec = 0;
  interfaceId = 0;
  linkType = 0;
  comments: string[] | undefined;
  // --- bytes: the frame is data[base, base + caplen)
  data: Uint8Array = new Uint8Array(0);
  base = 0;
  caplen = 0;
  origlen = 0;
  // --- results
  readonly tree = new FieldTable();
  readonly experts = new ExpertTable();
  readonly cols = new Columns();
  /** Protocol stack as field ids (frame.protocols), plus pseudo-protocol names by id. */
  protos = new Int32Array(32);
  nprotos = 0;
  /** Tunnel depth (number of IP headers seen); dissectors may use it to label inner layers. */
  ipDepth = 0;
  /** Scratch for pseudo-header checksums: offset of the innermost IP header's addresses. */
  netVersion = 0;
  netSrc = 0;
  netDst = 0;
  /**
   * pcapng input: the capture's interfaces so far (frame.interface_id and the Frame label name
   * them, as tshark does); null for pcap, which has no interface blocks. Set by whoever opens
   * the capture; kept from frame to frame.
   */
  interfaces: readonly { name?: string }[] | null = null;
  /** Set by the pipeline for --debug: rethrow dissector bugs. */
  debug = false;
  // --- capture-wide time references, maintained by the pipeline
  firstSec = 0;
  firstNsec = 0;
  prevSec = 0;
  prevNsec = 0;
  /**
   * The previous displayed frame's time (frame.time_delta_displayed), set by whoever decides what
   * is displayed (dissectCapture); dispKnown false: no frame displayed yet (the delta is 0).
   */
  dispKnown = false;
  dispSec = 0;
  dispNsec = 0;
  /**
   * Which fields to materialise: null = all (tree views); otherwise a mask indexed by field id
   * (bits WANT_NODE, WANT_FIELDS; build it with wantMask / wantForFields in fields.ts). Nodes of
   * other fields are not added: `add` returns a negative handle (see `add`), and every node
   * operation ignores negative nodes. This is how a run that needs three fields skips the rest.
   * Dissectors skip all their `add` calls when `wantsFields(protocol)` is false, and groups of
   * fields with FieldGroup.
   */
  want: Uint8Array | null = null;
  /**
   * Whether the summary columns (p.cols) are wanted. Dissectors skip column text when false
   * (a cheap branch); `cols.malformed` is kept either way (Frame.malformed reads it).
   */
  colsOn = true;
  /** Nanoseconds since the previous frame (frame.time_delta), set by the pipeline. */
  deltaNs = 0;
  /** Layer number of the dissector running now (see FieldTable.layer); 0 outside any call. */
  layer = 0;
  /** Calls per protocol in this frame (layer numbers), by protocol id; valid where the stamp is this frame's. */
  private layerStamp = new Int32Array(1024);
  private layerCount = new Uint8Array(1024);
  /** Frame sequence for the stamps (advanced by reset()). */
  private frameSeq = 1;
  /** Per-frame scratch slots that protocols may use to pass small facts up or down (zeroed by reset()). */
  readonly scratch = new Float64Array(16);

  reset(): void {
    this.tree.reset();
    this.experts.reset();
    this.cols.reset();
    this.nprotos = 0;
    this.ipDepth = 0;
    this.netVersion = 0;
    this.netSrc = 0;
    this.netDst = 0;
    this.comments = undefined;
    // a loop, not fill(0): the builtin call costs more than sixteen stores
    const sc = this.scratch;
    for (let i = 0; i < sc.length; i++) sc[i] = 0;
    this.layer = 0;
    this.frameSeq = this.frameSeq === 0x7fffffff ? 1 : this.frameSeq + 1;
    if (this.frameSeq === 1) this.layerStamp.fill(0);
  }

  // ---------------------------------------------------------------- bytes
  /** Byte at frame offset `o` (caller has checked bounds with need()). */
  u8(o: number): number {
    return this.data[this.base + o]!;
  }
  u16(o: number): number {
    const d = this.data;
    const i = this.base + o;
    return (d[i]! << 8) | d[i + 1]!;
  }
  u24(o: number): number {
    const d = this.data;
    const i = this.base + o;
    return (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
  }
  u32(o: number): number {
    const d = this.data;
    const i = this.base + o;
    return ((d[i]! << 24) >>> 0) + ((d[i + 1]! << 16) | (d[i + 2]! << 8) | d[i + 3]!);
  }
  /** Little-endian readers (BSD null header, some link layers). */
  u16le(o: number): number {
    const i = this.base + o;
    return this.data[i]! | (this.data[i + 1]! << 8);
  }
  u32le(o: number): number {
    const d = this.data;
    const i = this.base + o;
    return ((d[i + 3]! << 24) >>> 0) + ((d[i + 2]! << 16) | (d[i + 1]! << 8) | d[i]!);
  }
  /** Captured bytes available from `o` up to `end` (reported end), never negative. */
  avail(o: number, end: number): number {
    const lim = end < this.caplen ? end : this.caplen;
    return lim > o ? lim - o : 0;
  }
  /**
   * Ensures `n` bytes at `o` can be read within the layer ending at `end` (reported).
   * Throws MALFORMED past `end`, TRUNCATED past the captured length.
   */
  need(o: number, n: number, end: number): void {
    if (o + n > end) throw MALFORMED;
    if (o + n > this.caplen) throw TRUNCATED;
  }
  /** True when `n` bytes at `o` are captured and within `end`. */
  has(o: number, n: number, end: number): boolean {
    return o + n <= end && o + n <= this.caplen;
  }

  // ---------------------------------------------------------------- tree
  /** True when field (or protocol) `fid` is materialised in this run. */
  wants(fid: number): boolean {
    const w = this.want;
    return w === null || (w[fid]! & 1) !== 0;
  }

  /**
   * True when some field of protocol `proto` (other than the protocol node itself) is
   * materialised in this run: when false, the protocol's dissector skips its `add` calls
   * (the protocol node is added, or not, by `add` as usual).
   */
  wantsFields(proto: number): boolean {
    const w = this.want;
    return w === null || (w[proto]! & 2) !== 0;
  }

  /**
   * Adds a field whose value is decoded from the bytes [off, off+len). Returns the node.
   *
   * Under a want mask a field that is not wanted is not added and a negative handle comes back:
   * -1 when `parent` is the root, else -2 - (its nearest materialised ancestor). Children added
   * under a skipped node thus hang off the nearest ancestor that is there (the protocol node),
   * which keeps layers (`ip.src#2`) right; every node operation treats a negative node as absent,
   * and expert items pointing at one attach to the frame.
   */
  add(fid: number, off: number, len: number, parent: number, flags = 0): number {
    // (kept small so that it is inlined into the dissectors: a skipped field is a load and a compare)
    const w = this.want;
    if (w !== null && (w[fid]! & 1) === 0) return parent >= 0 ? -2 - parent : parent;
    return this.put(fid, off, len, parent < -1 ? -2 - parent : parent, flags);
  }

  /** Appends a node (add() without the want check). */
  private put(fid: number, off: number, len: number, parent: number, flags: number): number {
    const t = this.tree;
    if (t.count === t.fid.length) t.grow();
    const i = t.count++;
    t.fid[i] = fid;
    t.off[i] = off;
    t.len[i] = len;
    t.parent[i] = parent;
    t.flags[i] = flags;
    t.layer[i] = this.layer;
    return i;
  }
  /** Adds a field with an explicit numeric value (booleans as 0/1). */
  addNum(fid: number, off: number, len: number, parent: number, value: number, flags = 0): number {
    const i = this.add(fid, off, len, parent, flags | HAS_NUM);
    if (i >= 0) this.tree.num[i] = value;
    return i;
  }
  /** Adds a generated numeric field (not in the bytes). */
  addGen(fid: number, parent: number, value: number, off = -1, len = 0): number {
    return this.addNum(fid, off, len, parent, value, GENERATED);
  }
  /** Adds a field with an explicit string value. */
  addStr(fid: number, off: number, len: number, parent: number, s: string, flags = 0): number {
    const i = this.add(fid, off, len, parent, flags | HAS_STR);
    if (i >= 0) this.tree.strs[i] = s;
    return i;
  }
  /** Adds a text-only tree item (a label or subtree header with no field). */
  addText(off: number, len: number, parent: number, label: string): number {
    const i = this.add(TEXT_FIELD, off, len, parent, HAS_STR);
    if (i >= 0) this.tree.strs[i] = label;
    return i;
  }
  /** Sets the byte length of a node once known (e.g. a protocol node after its header). */
  setLen(node: number, len: number): void {
    if (node >= 0) this.tree.len[node] = len;
  }
  /** Replaces a node's text label (text items) or string value. */
  setStr(node: number, s: string): void {
    if (node >= 0) this.tree.strs[node] = s;
  }
  /** Adds an expert item attached to `node` (-1, or a node that was not materialised: the frame). */
  expert(id: number, node: number, a0?: string | number, a1?: string | number): void {
    this.experts.push(id, node >= 0 ? node : -1, a0, a1);
  }
  /** Appends a protocol to frame.protocols. */
  pushProto(protoField: number): void {
    if (this.nprotos < this.protos.length) this.protos[this.nprotos++] = protoField;
  }

  // ---------------------------------------------------------------- layering
  /**
   * Calls a sub-dissector for [off, end). Truncation, malformation and dissector bugs are
   * caught here, at the layer boundary: the tree built so far is kept and the item recorded.
   * Returns false if the sub-dissector stopped on an exception.
   */
  call(d: Dissector, off: number, end: number, parent: number): boolean {
    const saved = this.layer;
    this.layer = this.enterLayer(d.proto);
    try {
      d.dissect(this, off, end, parent);
      this.layer = saved;
      return true;
    } catch (e) {
      this.layer = saved;
      this.caught(e, d, parent);
      return false;
    }
  }

  /**
   * Counts one more layer of protocol `proto` in this frame and returns its number (the caller
   * sets `layer` to it while that protocol's dissector runs, and restores it after). For
   * dissectors that call another protocol without `call()` (ICMP's quoted datagram).
   */
  enterLayer(proto: number): number {
    if (proto >= this.layerStamp.length) this.growLayers(proto);
    if (this.layerStamp[proto] !== this.frameSeq) {
      this.layerStamp[proto] = this.frameSeq;
      this.layerCount[proto] = 1;
      return 1;
    }
    const c = this.layerCount[proto]!;
    return c < 255 ? (this.layerCount[proto] = c + 1) : 255;
  }

  private growLayers(proto: number): void {
    const n = Math.max(proto + 1, this.layerStamp.length * 2);
    const st = new Int32Array(n);
    st.set(this.layerStamp);
    const ct = new Uint8Array(n);
    ct.set(this.layerCount);
    this.layerStamp = st;
    this.layerCount = ct;
  }

  /** Records an exception caught at a layer boundary. Public for the pipeline's top level. */
  caught(e: unknown, d: Dissector | undefined, parent: number): void {
    const name = d ? fieldDef(d.proto).short : 'Frame';
    if (e === TRUNCATED) {
      const n = this.add(EXPERT_NODE_SHORT, -1, 0, parent, GENERATED);
      this.expert(EXPERT.short, n, name);
      if (this.colsOn) this.cols.info.str('[Packet size limited during capture]');
    } else if (e === MALFORMED) {
      const reason = MALFORMED.reason;
      MALFORMED.reason = '';
      const n = this.add(EXPERT_NODE_MALFORMED, -1, 0, parent, GENERATED);
      this.expert(EXPERT.malformed, n, name, reason ? ': ' + reason : '');
      if (!this.cols.malformed) {
        this.cols.malformed = true;
        if (this.colsOn) this.cols.info.str('[Malformed Packet]');
      }
    } else {
      if (this.debug) throw e;
      const n = this.add(EXPERT_NODE_MALFORMED, -1, 0, parent, GENERATED);
      const msg = e instanceof Error ? e.message : String(e);
      this.expert(EXPERT.bug, n, name, msg);
      if (!this.cols.malformed) {
        this.cols.malformed = true;
        if (this.colsOn) this.cols.info.str('[Dissector bug]');
      }
    }
  }

  /** Throws MALFORMED with a reason (for impossible lengths and the like). */
  malformed(reason: string): never {
    MALFORMED.reason = reason;
    throw MALFORMED;
  }
}

/**
 * Fields a dissector adds together (the flag bits of a header, an address with its hidden
 * companions): `wanted(p)` tells whether any of them is materialised in p's run, so the
 * dissector skips the whole group with one test instead of one rejected `add` per field.
 * The answer is cached per want mask (one comparison per frame).
 */
export class FieldGroup {
  private mask: Uint8Array | null | undefined = undefined;
  private any = true;
  constructor(private readonly fids: readonly number[]) {}
  wanted(p: Packet): boolean {
    const w = p.want;
    if (w === null) return true;
    if (w !== this.mask) {
      this.mask = w;
      this.any = this.fids.some((f) => (w[f]! & 1) !== 0);
    }
    return this.any;
  }
}

const EXPERT_NODE_SHORT = BUILTIN.short;
const EXPERT_NODE_MALFORMED = BUILTIN.malformed;
