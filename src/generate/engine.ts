/**
 * The generator: plays a scenario's timeline for every mobile node (cloned for --sessions),
 * acting out the MAG and LMA behaviour of RFC 5213 / 5844 / 5845 (option choice, key allocation,
 * status codes 2 / 3 / 163, the retry after 163, the MAG that stops sending the option to an
 * LMA that ignores it), and writes the PBU/PBA exchanges and the tunnelled data in time order.
 *
 * Everything is merged through one time queue (./queue.ts) keyed by (time, insertion order), so
 * memory stays bounded by the number of live flows and sessions, not by the number of frames.
 * Frames come from compiled templates shared by every session with the same shape (per flow,
 * packet kind, size and tunnel class for data; per message shape for PBU/PBA): the values that
 * differ between sessions (keys, addresses, ports, NAI, prefix) and between frames (IP ids, GRE
 * sequence numbers, TCP seq/ack, ICMP sequence numbers, timestamps) are patched in place with
 * incremental checksums (./layer.ts Template). A frame with an override or a fault is built from
 * its own spec instead; both paths give the same bytes (test/generate/scale.test.ts).
 *
 * Deterministic: all randomness comes from one seeded Rng, forked per node and per session in
 * a fixed order; times come from the scenario and the start time, never from the clock.
 */
import { Rng, hash32 } from './rng.js';
import { CalendarQueue, type Entry as QueueEntry } from './queue.js';

/** A source of frames or actions in time order. `fire` returns its next time, or -1 when done. */
interface Entry extends QueueEntry {
  fire(e: Engine): number;
}
import { applyOverrides, buildFrame, compileFrame, type FrameSpec, type LayerSpec } from './frames.js';
import type { Addr6Words, Template } from './layer.js';
import { ipv4Bytes, ipv6Bytes, put16, put32 } from './layer.js';
import { faultByName, isDataFault, isSessionFault, isSignalFault, unmetNeed, type DataContext, type DataFault, type ExchangeKind, type Quirks, type SignalContext, type SignalFault } from './faults.js';
import { lifetimeUnits, pbaFrame, pbuFrame, tunnelLayers, type Endpoint, type MnIdentity, type PbaParams, type PbuParams, type TunnelState } from './messages.js';
import type {
  AttachEvent,
  FlowDef,
  GreMode,
  HandoffEvent,
  LinkKind,
  LmaDef,
  MagDef,
  MobileNodeDef,
  Overrides,
  ReregisterEvent,
  ResponseDef,
  Scenario,
  ScenarioEvent,
  Transport,
} from './model.js';
import { ICMP_TYPE } from '../dissectors/icmp/build.js';
import { ICMPV6_TYPE } from '../dissectors/icmpv6/build.js';
import { TCP_FLAG } from '../dissectors/tcp/build.js';
import { GretoolError } from '../errors.js';

const NS = 1e9;
/** 2026-01-01T00:00:00Z */
export const DEFAULT_START_SEC = 1767225600;

export interface GenerateOptions {
  seed?: number;
  /** Start time: seconds since 1970 and nanoseconds. */
  startSec?: number;
  startNsec?: number;
  link?: LinkKind;
  /** Fault names applied wherever they apply. */
  faults?: readonly string[];
  /** Total number of mobile nodes (the scenario's are cloned). */
  sessions?: number;
  /** Stretch the timeline to this many seconds. */
  duration?: number;
  /** Write exactly this many frames (the timeline is stretched to have enough data). */
  packets?: number;
  /**
   * Share compiled templates between sessions (default true). The output is the same either
   * way; false builds every frame from its own spec (a cross-check for tests).
   */
  shareTemplates?: boolean;
}

/** Where frames go (a CaptureWriter fits). */
export interface FrameSink {
  write(data: Uint8Array, offset: number, caplen: number, origlen: number, tsSec: number, tsNsec: number): boolean;
  drain(): Promise<void>;
}

export interface GenerateStats {
  frames: number;
  signalling: number;
  data: number;
  /** Seconds of capture time covered (last frame − start). */
  spanSeconds: number;
  /** Faults that changed at least one frame (or session). */
  faultsApplied: Set<string>;
  /**
   * Faults that were due on a frame (their `when` held) but could not change it because it lacks
   * what they need (FaultBase.needs): fault name → the first such need's text.
   */
  faultsUnmet: Map<string, string>;
}

// ------------------------------------------------------------------ heap

// ------------------------------------------------------------------ nodes and sessions

const LINK_CODE: Record<LinkKind, number> = { ethernet: 0, raw: 1, sll: 2 };
const GRE_CODE: Record<GreMode, number> = { none: 0, keys: 1, 'gre-only': 2 };

class NodeInst implements Endpoint {
  readonly name: string;
  /** Position in the scenario's node list. */
  index = 0;
  readonly mac: string;
  readonly ipv6?: string;
  readonly ipv4?: string;
  readonly capturePoint: boolean;
  ipId: number;
  /** Keys this node handed out (downlink keys for a MAG, uplink keys for an LMA). */
  readonly keys = new Set<number>();
  /** The first two sessions this node allocated a key for, in order (for the duplicate-key faults). */
  readonly keyOwners: Session[] = [];
  readonly firstKeyOf = new Map<Session, number>();
  /** LMAs this MAG treats as not supporting RFC 5845 (§4.2). */
  readonly noSupport = new Set<string>();
  constructor(
    readonly def: MagDef | LmaDef,
    readonly rng: Rng,
  ) {
    this.name = def.name;
    this.ipv6 = def.ipv6;
    this.ipv4 = def.ipv4;
    this.capturePoint = def.role === 'lma';
    const h = hash32(def.name);
    this.mac = def.mac ?? ['02', ...[h >>> 24, (h >>> 16) & 255, (h >>> 8) & 255, h & 255, def.role === 'lma' ? 0x0a : 0x01].map((x) => x.toString(16).padStart(2, '0'))].join(':');
    this.ipId = rng.below(0x10000);
  }
  nextIpId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }
}

const utf8 = new TextEncoder();

/** UTF-8 octets of an identifier: ASCII by hand (a small on-heap array), anything else by TextEncoder. */
function encodeId(id: string): Uint8Array {
  const b = new Uint8Array(id.length);
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c > 0x7f) return utf8.encode(id);
    b[i] = c;
  }
  return b;
}

/**
 * What the clones of one scenario mobile node share: its NAI in UTF-8 (and where a clone's
 * ".c" goes), its home network prefix and interface identifier as octets, made once per base
 * mobile node instead of once per session.
 */
class BaseIdentity {
  readonly idBytes: Uint8Array;
  /** Octet offset of the first "@" in idBytes (a clone's ".c" goes there), or its length. */
  readonly at: number;
  readonly hnp: Uint8Array;
  /** The interface identifier: octets 8-15 of the address as four 16-bit words. */
  readonly iw4: number;
  readonly iw5: number;
  readonly iw6: number;
  readonly iw7: number;
  constructor(base: MobileNodeDef) {
    this.idBytes = encodeId(base.id);
    const at = this.idBytes.indexOf(0x40);
    this.at = at < 0 ? this.idBytes.length : at;
    this.hnp = Uint8Array.from(ipv6Bytes(base.hnp));
    const iid = ipv6Bytes(base.iid);
    this.iw4 = (iid[8]! << 8) | iid[9]!;
    this.iw5 = (iid[10]! << 8) | iid[11]!;
    this.iw6 = (iid[12]! << 8) | iid[13]!;
    this.iw7 = (iid[14]! << 8) | iid[15]!;
  }
}

/** Scratch octets for a session's prefix (Session constructor, text forms). */
const hnpScratch = new Uint8Array(16);

/**
 * One mobile node (a clone of a scenario mobile node for --sessions): identity and binding state.
 * Clone c gets the NAI "user.c@realm", the home network prefix + c and the IPv4 home address + c
 * (so the overlapping-address clones still overlap). Identity is kept as small integers, and
 * written as octets into a template from what the clones share (BaseIdentity) when a message
 * needs it; the text forms are made only when a frame is built from its spec. (Tens of
 * thousands of sessions live through the whole run: every octet array or string less per
 * session is work less for the garbage collector.)
 */
class Session implements MnIdentity, Addr6Words {
  // identity
  readonly hnpLength: number;
  readonly ipv4PrefixLength: number;
  readonly att: number;
  readonly cn4: string;
  readonly cn6: string;
  /** Octets of the NAI. */
  readonly idLength: number;
  /** The home address as eight 16-bit words (Addr6Words, for Template.setWords): the prefix part, then the interface identifier. */
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;
  readonly w4: number;
  readonly w5: number;
  readonly w6: number;
  readonly w7: number;
  readonly ipv4Int: number;
  readonly routerInt: number;
  readonly hasIpv4: boolean;
  private idText: string | undefined = undefined;
  private hnpText: string | undefined = undefined;
  private addr6Text: string | undefined = undefined;
  private ipv4Text: string | undefined = undefined;
  private routerText: string | undefined = undefined;
  /** Small id of (transport, GRE mode, TLV, UDP, MAG, LMA): sessions in one class share data templates. */
  tunnelClass = 0;
  // binding state (what both ends agreed, fault-free)
  mag: NodeInst | null = null;
  transport: Transport = 'ipv6';
  bound = false;
  gre: GreMode = 'none';
  dlKey?: number;
  ulKey?: number;
  tlv = false;
  status3 = false;
  udp = false;
  pbuT = false;
  greNotRequired = false;
  /** Downlink key offered by the retry after status 163. */
  pendingDlKey?: number;
  bulSeq: number;
  version = 0;
  ulGreSeq = 0;
  dlGreSeq = 0;
  ulGreCount = 0;
  constructor(
    readonly index: number,
    readonly clone: number,
    readonly base: MobileNodeDef,
    readonly ident: BaseIdentity,
    readonly lma: NodeInst,
    readonly rng: Rng,
    readonly offset: number,
  ) {
    this.idLength = ident.idBytes.length + (clone === 0 ? 0 : 1 + decimalDigits(clone));
    this.hnpLength = base.hnpLength;
    const h = hnpScratch;
    this.hnpInto(h);
    this.w0 = (h[0]! << 8) | h[1]!;
    this.w1 = (h[2]! << 8) | h[3]!;
    this.w2 = (h[4]! << 8) | h[5]!;
    this.w3 = (h[6]! << 8) | h[7]!;
    this.w4 = ident.iw4;
    this.w5 = ident.iw5;
    this.w6 = ident.iw6;
    this.w7 = ident.iw7;
    this.ipv4PrefixLength = base.ipv4PrefixLength;
    this.hasIpv4 = base.ipv4 !== undefined;
    this.ipv4Int = base.ipv4 ? (ipv4ToInt(base.ipv4) + clone) >>> 0 : 0;
    this.routerInt = !base.ipv4 ? 0 : base.ipv4Router ? ipv4ToInt(base.ipv4Router) : defaultRouterInt(this.ipv4Int, base.ipv4PrefixLength);
    this.att = base.att;
    this.cn4 = base.cn4;
    this.cn6 = base.cn6;
    this.bulSeq = rng.below(0x10000);
  }

  /** The NAI's octets into b[0, idLength): the base's, with ".clone" before the "@". */
  idInto(b: Uint8Array): void {
    const src = this.ident.idBytes;
    if (this.clone === 0) {
      b.set(src);
      return;
    }
    const at = this.ident.at;
    let o = 0;
    for (let i = 0; i < at; i++) b[o++] = src[i]!;
    b[o++] = 0x2e; // "."
    const digits = decimalDigits(this.clone);
    for (let i = digits - 1, c = this.clone; i >= 0; i--, c = Math.floor(c / 10)) b[o + i] = 0x30 + (c % 10);
    o += digits;
    for (let i = at; i < src.length; i++) b[o++] = src[i]!;
  }

  /** The home network prefix's 16 octets into b. */
  hnpInto(b: Uint8Array): void {
    b.set(this.ident.hnp);
    if (this.clone > 0) addShifted(b, this.clone, 128 - this.hnpLength);
  }

  get id(): string {
    return (this.idText ??= this.clone === 0 ? this.base.id : cloneId(this.base.id, this.clone));
  }
  get hnp(): string {
    if (this.hnpText === undefined) {
      const b = new Uint8Array(16);
      this.hnpInto(b);
      this.hnpText = bytesToIpv6(b);
    }
    return this.hnpText;
  }
  get addr6(): string {
    if (this.addr6Text === undefined) {
      const b = new Uint8Array(16);
      [this.w0, this.w1, this.w2, this.w3, this.w4, this.w5, this.w6, this.w7].forEach((w, k) => put16(b, 2 * k, w));
      this.addr6Text = bytesToIpv6(b);
    }
    return this.addr6Text;
  }
  get ipv4(): string | undefined {
    return this.hasIpv4 ? (this.ipv4Text ??= intToIpv4(this.ipv4Int)) : undefined;
  }
  get ipv4Router(): string | undefined {
    return this.hasIpv4 ? (this.routerText ??= intToIpv4(this.routerInt)) : undefined;
  }
}

/** Number of decimal digits of a positive integer. */
function decimalDigits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Adds `value` · 2^shift to the 128-bit big-endian number in `b` (mod 2^128). */
function addShifted(b: Uint8Array, value: number, shift: number): void {
  let byte = 15 - Math.floor(shift / 8);
  let carry = value * 2 ** (shift % 8);
  while (carry > 0 && byte >= 0) {
    const sum = b[byte]! + (carry % 256);
    b[byte] = sum & 255;
    carry = Math.floor(carry / 256) + (sum >> 8);
    byte--;
  }
}

function defaultRouterInt(a: number, len: number): number {
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  const r = (((a & mask) >>> 0) + 1) >>> 0;
  return r === a ? (r + 1) >>> 0 : r;
}

function cloneId(id: string, clone: number): string {
  const at = id.indexOf('@');
  return at < 0 ? `${id}.${clone}` : `${id.slice(0, at)}.${clone}${id.slice(at)}`;
}

function bytesToIpv6(b: Uint8Array): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  // compress the longest run of zero groups
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return g.join(':');
  return `${g.slice(0, best).join(':')}::${g.slice(best + bestLen).join(':')}`;
}



function ipv4ToInt(a: string): number {
  const b = ipv4Bytes(a);
  return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
}

function intToIpv4(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}



// ------------------------------------------------------------------ heap entries

class Script implements Entry {
  t = 0;
  ord = 0;
  private i = 0;
  constructor(
    readonly s: Session,
    readonly events: readonly ScenarioEvent[],
  ) {}
  fire(e: Engine): number {
    e.process(this.s, this.events[this.i++]!, this.t);
    return this.i < this.events.length ? this.s.offset + e.scaled(this.events[this.i]!.at) : -1;
  }
  start(e: Engine): void {
    if (this.events.length === 0) return;
    this.t = this.s.offset + e.scaled(this.events[0]!.at);
    e.schedule(this);
  }
}

/** What a PBU/PBA exchange needs to be written later. */
interface SigExchange {
  s: Session;
  x: Exchange;
  resp: Response;
  seq: number;
  /** Time of the PBU (the Timestamp option of both messages). */
  t: number;
  pbuId: number;
  pbaId: number;
}

/**
 * A one-shot entry: a PBU or PBA written from a shared template at its time (`ex` set; the PBA
 * also applies the binding), or a frame built from its spec (`bytes`) and / or an action
 * (`apply`). One class for all of them keeps the queue's entries to three classes (Script,
 * Flow, Pending): V8 caches property reads (`t`, `ord`, `fire`) for up to four shapes and goes
 * through its slower megamorphic path beyond that.
 */
class Pending implements Entry {
  ord = 0;
  constructor(
    public t: number,
    readonly bytes: Uint8Array | null,
    readonly apply: (() => void) | null,
    readonly ex: SigExchange | null = null,
    readonly pba = false,
  ) {}
  fire(e: Engine): number {
    if (this.ex !== null) e.emitSignal(this, this.ex);
    else {
      if (this.apply !== null) this.apply();
      if (this.bytes !== null) e.writeSignal(this.bytes, this.t);
    }
    return -1;
  }
}

// packet kinds of a flow (array indexes, no strings on the hot path)
const UP = 0; // UDP MN → CN
const DOWN = 1; // UDP CN → MN
const REQ_UP = 2; // ICMP echo request MN → CN
const REP_DOWN = 3;
const REQ_DOWN = 4; // ICMP echo request CN → MN
const REP_UP = 5;
const SYN = 6; // TCP handshake, MN is the client
const SYNACK = 7;
const ACK = 8;
const DATA_UP = 9;
const DATA_DOWN = 10;
const IS_UP = [true, false, true, false, false, true, true, false, true, true, false];
const IS_HANDSHAKE = [false, false, false, false, false, false, true, true, true, false, false];

/**
 * A compiled data frame and the indexes of its patchable fields. Shared by every session that
 * plays the same flow of the same traffic event in the same tunnel class: the fields that differ
 * between sessions (GRE key, the MN's address, its port, the ICMP identifier) are patched when
 * the template last served another flow.
 */
interface SigShape {
  tmpl: Template;
  seq: number;
  key: number;
  ts: number;
  nai: number;
  hnp: number;
  hoa: number;
  dra: number;
  ipId: number;
}

interface Shape {
  tmpl: Template;
  outerId: number;
  innerId: number;
  greSeq: number;
  tcpSeq: number;
  tcpAck: number;
  icmpSeq: number;
  greKey: number;
  mnAddr: number;
  mnPort: number;
  icmpId: number;
  v6: boolean;
  /** Payload octets (TCP sequence space). */
  payload: number;
  lastFlow: Flow | null;
}

/** One flow of one traffic event of one base mobile node: what its clones share. */
class FlowSlot {
  readonly headOff: number[] = [];
  readonly headKind: number[] = [];
  readonly roundOff: number[] = [];
  readonly roundKind: number[] = [];
  readonly iv: number;
  /** Templates shared by all sessions: [tunnel class][kind · sizes + size index]. */
  readonly shapes: (Shape | undefined)[][] = [];
  /** Sessions may share templates unless a data fault could depend on session values. */
  readonly shareable: boolean;
  readonly payloadShift: number;
  /** gre-seq-repeat named on this traffic event. */
  readonly seqRepeat: boolean;
  constructor(
    readonly def: FlowDef,
    readonly overrides: Overrides,
    readonly faults: readonly DataFault[],
    index: number,
    rtt: number,
    anyDataFault: boolean,
  ) {
    this.iv = Math.max(1, Math.round(NS / def.rate));
    const iv = this.iv;
    const up = def.direction !== 'downlink';
    const down = def.direction !== 'uplink';
    const d = Math.max(1, Math.min(Math.round(rtt / 2), Math.floor(iv / 4)));
    const head = (off: number, k: number) => (this.headOff.push(off), this.headKind.push(k));
    const round = (off: number, k: number) => (this.roundOff.push(off), this.roundKind.push(k));
    switch (def.proto) {
      case 'udp':
        if (up) round(0, UP);
        if (down) round(up ? Math.floor(iv / 2) : 0, DOWN);
        break;
      case 'icmp':
        if (def.direction === 'downlink') round(0, REQ_DOWN), round(d, REP_UP);
        else round(0, REQ_UP), round(d, REP_DOWN);
        break;
      case 'tcp':
        head(0, SYN), head(d, SYNACK), head(2 * d, ACK);
        if (up) round(iv, DATA_UP);
        if (down) round(iv + (up ? Math.floor(iv / 2) : 0), DATA_DOWN);
        break;
    }
    this.shareable = !anyDataFault && faults.length === 0;
    this.seqRepeat = faults.some((f) => f.quirk === 'greSeqRepeat');
    this.payloadShift = (index * 7) % 26;
  }
}

class Flow implements Entry {
  t: number;
  ord = 0;
  /** Frames left, the current step (in the handshake or in the round) and the round's start time. */
  private left: number;
  private inHead: boolean;
  private pos = 0;
  private base: number;
  /** Templates of this flow alone (when the slot's cannot be shared), indexed like the slot's. */
  private readonly own: (Shape | undefined)[][] | null;
  private ownVersion = -1;
  // per-flow state
  readonly mnPort: number;
  readonly icmpId: number;
  private idUp: number;
  private idDown: number;
  private icmpSeq = 0;
  private seqC: number;
  private seqS: number;
  private sizeIdx = 0;
  /**
   * The session values a shared template is re-patched with whenever it changes hands (almost
   * every frame with many sessions), kept here as small integers (16-bit halves / words) so
   * that patching touches no other object than this one and its session (a Uint8Array or a
   * number above 2^31 would be one more heap object, often one more cache miss per frame). The
   * IPv6 address words are the session's (Session.w0..w7), shared by its flows.
   */
  private keyVersion = -1;
  private ulHi = 0;
  private ulLo = 0;
  private dlHi = 0;
  private dlLo = 0;
  private readonly v4Hi: number;
  private readonly v4Lo: number;

  constructor(
    readonly s: Session,
    readonly slot: FlowSlot,
    t0: number,
    rounds: number,
  ) {
    this.left = slot.headKind.length + rounds * slot.roundKind.length;
    this.inHead = slot.headKind.length > 0;
    this.base = t0;
    const rng = s.rng;
    this.mnPort = 49152 + rng.below(16384);
    this.icmpId = rng.below(0x10000);
    this.v4Hi = s.ipv4Int >>> 16;
    this.v4Lo = s.ipv4Int & 0xffff;
    this.idUp = rng.below(0x10000);
    this.idDown = rng.below(0x10000);
    // int32 (the same 32 bits as the unsigned value): a small integer in V8, never a boxed number
    this.seqC = rng.nextU32() | 0;
    this.seqS = rng.nextU32() | 0;
    this.own = slot.shareable ? null : [];
    this.t = t0 + (this.inHead ? slot.headOff[0]! : slot.roundOff[0]!);
  }

  fire(e: Engine): number {
    const sl = this.slot;
    if (this.s.bound && e.dataAllowed()) this.emit(e, this.inHead ? sl.headKind[this.pos]! : sl.roundKind[this.pos]!);
    if (--this.left <= 0 || e.dataExhausted()) return -1;
    this.pos++;
    if (this.inHead) {
      if (this.pos === sl.headKind.length) {
        this.inHead = false;
        this.pos = 0;
      }
    } else if (this.pos === sl.roundKind.length) {
      this.pos = 0;
      this.base += sl.iv;
    }
    return this.base + (this.inHead ? sl.headOff[this.pos]! : sl.roundOff[this.pos]!);
  }

  private shape(e: Engine, kind: number): Shape {
    const sizes = this.slot.def.sizes;
    const si = IS_HANDSHAKE[kind] ? 0 : this.sizeIdx % sizes.length;
    const s = this.s;
    let cache: (Shape | undefined)[][];
    if (this.own) {
      // fault mutations may read session values (keys): rebuild when the session's state changes
      if (this.ownVersion !== s.version) {
        this.own.length = 0;
        this.ownVersion = s.version;
      }
      cache = this.own;
    } else cache = this.slot.shapes;
    const byClass = cache[s.tunnelClass] ?? (cache[s.tunnelClass] = []);
    const idx = kind * sizes.length + si;
    let sh = byClass[idx];
    if (sh === undefined) {
      sh = this.compile(e, kind, IS_HANDSHAKE[kind] ? 0 : sizes[si]!);
      byClass[idx] = sh;
    }
    return sh;
  }

  private compile(e: Engine, kind: number, size: number): Shape {
    const s = this.s;
    const def = this.slot.def;
    const dirUp = IS_UP[kind]!;
    const mag = s.mag!;
    const from: NodeInst = dirUp ? mag : s.lma;
    const to: NodeInst = dirUp ? s.lma : mag;
    const key = dirUp ? s.ulKey : s.dlKey;
    const st: TunnelState = {
      transport: s.transport,
      gre: s.gre,
      tlv: s.tlv,
      udp: s.udp,
      key,
      greChecksum: from.def.greChecksum,
      greSequence: from.def.greSequence,
    };
    const layers: LayerSpec[] = tunnelLayers(e.link, st, from, to);
    const v6 = def.ip === 6;
    const mnAddr = v6 ? s.addr6 : s.ipv4;
    if (!mnAddr) throw new GretoolError('SCENARIO', `${e.scenario.source}: mobile node "${s.base.name}" has no IPv4 address (ipv4:) for its ${def.proto}4 traffic`);
    const cnAddr = v6 ? s.cn6 : s.cn4;
    const src = dirUp ? mnAddr : cnAddr;
    const dst = dirUp ? cnAddr : mnAddr;
    const ipHdr = v6 ? 40 : 20;
    const inner: LayerSpec = v6 ? { kind: 'ipv6', spec: { src, dst, hopLimit: 64 } } : { kind: 'ipv4', spec: { src, dst, ttl: 64 } };
    layers.push(inner);
    let l4: LayerSpec;
    let l4len = 8;
    const mnPortSrc = dirUp;
    switch (kind) {
      case UP:
      case DOWN:
        l4 = { kind: 'udp', spec: { srcPort: dirUp ? this.mnPort : def.port, dstPort: dirUp ? def.port : this.mnPort } };
        break;
      case REQ_UP:
      case REQ_DOWN:
      case REP_UP:
      case REP_DOWN: {
        const req = kind === REQ_UP || kind === REQ_DOWN;
        l4 = v6
          ? { kind: 'icmpv6', spec: { type: req ? ICMPV6_TYPE.ECHO_REQUEST : ICMPV6_TYPE.ECHO_REPLY, id: this.icmpId } }
          : { kind: 'icmp', spec: { type: req ? ICMP_TYPE.ECHO_REQUEST : ICMP_TYPE.ECHO_REPLY, id: this.icmpId } };
        break;
      }
      default: {
        l4len = 20;
        const flags = kind === SYN ? TCP_FLAG.SYN : kind === SYNACK ? TCP_FLAG.SYN | TCP_FLAG.ACK : kind === ACK ? TCP_FLAG.ACK : TCP_FLAG.PSH | TCP_FLAG.ACK;
        l4 = { kind: 'tcp', spec: { srcPort: dirUp ? this.mnPort : def.port, dstPort: dirUp ? def.port : this.mnPort, flags, window: 64240 } };
      }
    }
    layers.push(l4);
    const payload = IS_HANDSHAKE[kind] ? 0 : Math.max(0, size - ipHdr - l4len);
    if (payload > 0) layers.push({ kind: 'raw', spec: { data: e.payload(payload, this.slot.payloadShift) } });
    const frame: FrameSpec = { layers };
    const dir = dirUp ? 'uplink' : 'downlink';
    e.applyEventOverrides(frame, dirUp ? this.slot.overrides.uplink : this.slot.overrides.downlink, `${dir} data of ${s.base.name}`, true);
    const ctx: DataContext = { msg: dir, transport: s.transport, gre: s.gre, tlv: s.tlv, status3: s.status3, greNotRequired: s.greNotRequired, dlKey: s.dlKey, ulKey: s.ulKey };
    for (const f of e.dataFaults) e.applyDataFault(f, frame, ctx);
    for (const f of this.slot.faults) e.applyDataFault(f, frame, ctx);
    const tmpl = compileFrame(frame);
    const specOf = (kind: string, occ = 0): Record<string, unknown> | undefined => {
      let n = 0;
      for (const l of frame.layers) if (l.kind === kind && n++ === occ) return l.spec as unknown as Record<string, unknown>;
      return undefined;
    };
    // A field an override or a fault set is never patched: patch only what still holds the
    // value put there here.
    const ipv4Count = frame.layers.filter((l) => l.kind === 'ipv4').length;
    const ipv6Count = frame.layers.filter((l) => l.kind === 'ipv6').length;
    const outerIsV4 = frame.layers.find((l) => l.kind === 'ipv4' || l.kind === 'ipv6')?.kind === 'ipv4';
    const innerOcc = v6 ? ipv6Count - 1 : ipv4Count - 1;
    // the inner IP header and the transport header this method made (unless a fault removed them)
    const innerSpec = frame.layers.includes(inner) ? (inner.spec as unknown as Record<string, unknown>) : undefined;
    const outerSpec = outerIsV4 && ipv4Count > (v6 ? 0 : 1) ? specOf('ipv4', 0) : undefined;
    const greSpec = specOf('gre');
    const l4Spec = frame.layers.includes(l4) ? (l4.spec as unknown as Record<string, unknown>) : undefined;
    const unchanged = (x: Record<string, unknown> | undefined, k: string, v: unknown) => x !== undefined && x[k] === v;
    const mnAddrField = dirUp ? 'src' : 'dst';
    const mnPortField = mnPortSrc ? 'srcPort' : 'dstPort';
    const icmpKind = v6 ? 'icmpv6' : 'icmp';
    return {
      tmpl,
      outerId: outerSpec && outerSpec.id === undefined ? tmpl.field('ip.id', 0) : -1,
      innerId: !v6 && innerSpec && innerSpec.id === undefined ? tmpl.field('ip.id', innerOcc) : -1,
      greSeq: greSpec && greSpec.seq === undefined ? tmpl.field('gre.sequence_number') : -1,
      tcpSeq: l4.kind === 'tcp' && unchanged(l4Spec, 'seq', undefined) ? tmpl.field('tcp.seq') : -1,
      tcpAck: l4.kind === 'tcp' && unchanged(l4Spec, 'ack', undefined) ? tmpl.field('tcp.ack') : -1,
      icmpSeq: l4.kind === icmpKind && unchanged(l4Spec, 'seq', undefined) ? tmpl.field(v6 ? 'icmpv6.echo.sequence_number' : 'icmp.seq') : -1,
      greKey: greSpec && key !== undefined && greSpec.key === key ? tmpl.field('gre.key') : -1,
      mnAddr: unchanged(innerSpec, mnAddrField, mnAddr) ? tmpl.field(`${v6 ? 'ipv6' : 'ip'}.${mnAddrField}`, innerOcc) : -1,
      mnPort: (l4.kind === 'udp' || l4.kind === 'tcp') && unchanged(l4Spec, mnPortField, this.mnPort) ? tmpl.field(`${l4.kind}.${mnPortSrc ? 'srcport' : 'dstport'}`, l4.kind === 'udp' ? frame.layers.filter((l) => l.kind === 'udp').length - 1 : 0) : -1,
      icmpId: l4.kind === icmpKind && unchanged(l4Spec, 'id', this.icmpId) ? tmpl.field(v6 ? 'icmpv6.echo.identifier' : 'icmp.ident') : -1,
      v6,
      payload,
      lastFlow: this,
    };
  }

  private emit(e: Engine, kind: number): void {
    const sh = this.shape(e, kind);
    if (!IS_HANDSHAKE[kind]) this.sizeIdx++;
    const tm = sh.tmpl;
    const s = this.s;
    const dirUp = IS_UP[kind]!;
    if (sh.lastFlow !== this) {
      // the template last served another session / flow: put this one's values in
      if (sh.greKey >= 0) {
        if (this.keyVersion !== s.version) {
          const ul = s.ulKey ?? 0;
          const dl = s.dlKey ?? 0;
          this.ulHi = ul >>> 16;
          this.ulLo = ul & 0xffff;
          this.dlHi = dl >>> 16;
          this.dlLo = dl & 0xffff;
          this.keyVersion = s.version;
        }
        tm.set(sh.greKey, dirUp ? (this.ulHi << 16) | this.ulLo : (this.dlHi << 16) | this.dlLo);
      }
      if (sh.mnAddr >= 0) {
        if (sh.v6) tm.setWords(sh.mnAddr, s);
        else tm.set(sh.mnAddr, (this.v4Hi << 16) | this.v4Lo);
      }
      if (sh.mnPort >= 0) tm.set(sh.mnPort, this.mnPort);
      if (sh.icmpId >= 0) tm.set(sh.icmpId, this.icmpId);
      sh.lastFlow = this;
    }
    const sender = dirUp ? s.mag! : s.lma;
    if (sh.outerId >= 0) tm.set(sh.outerId, sender.nextIpId());
    else if (s.transport === 'ipv4-udp') sender.nextIpId();
    if (sh.innerId >= 0) tm.set(sh.innerId, dirUp ? (this.idUp = (this.idUp + 1) & 0xffff) : (this.idDown = (this.idDown + 1) & 0xffff));
    if (sh.greSeq >= 0) {
      let v: number;
      if (dirUp) {
        if ((e.quirks.greSeqRepeat || this.slot.seqRepeat) && s.ulGreCount === 2) {
          v = (s.ulGreSeq - 1) >>> 0;
          e.faultsApplied.add('gre-seq-repeat');
        } else v = s.ulGreSeq++ >>> 0;
        s.ulGreCount++;
      } else v = s.dlGreSeq++ >>> 0;
      tm.set(sh.greSeq, v);
    }
    if (sh.icmpSeq >= 0) {
      if (kind === REQ_UP || kind === REQ_DOWN) this.icmpSeq = (this.icmpSeq + 1) & 0xffff;
      tm.set(sh.icmpSeq, this.icmpSeq);
    }
    if (sh.tcpSeq >= 0 || sh.tcpAck >= 0) {
      // client (MN) sequence seqC, server (CN) sequence seqS; each SYN consumes one
      let seq: number;
      let ack: number;
      switch (kind) {
        case SYN:
          seq = this.seqC;
          ack = 0;
          this.seqC = (this.seqC + 1) | 0;
          break;
        case SYNACK:
          seq = this.seqS;
          ack = this.seqC;
          this.seqS = (this.seqS + 1) | 0;
          break;
        case ACK:
          seq = this.seqC;
          ack = this.seqS;
          break;
        case DATA_UP:
          seq = this.seqC;
          ack = this.seqS;
          this.seqC = (this.seqC + sh.payload) | 0;
          break;
        default:
          seq = this.seqS;
          ack = this.seqC;
          this.seqS = (this.seqS + sh.payload) | 0;
      }
      if (sh.tcpSeq >= 0) tm.set(sh.tcpSeq, seq);
      if (sh.tcpAck >= 0) tm.set(sh.tcpAck, ack);
    }
    e.writeData(tm.bytes, tm.length, this.t);
  }
}

// ------------------------------------------------------------------ the engine

const NO_RESPONSE: ResponseDef = Object.freeze({});

/** The LMA's answer to a PBU (fault-free). */
interface Response {
  status: number;
  gre: GreMode;
  ulKey?: number;
  t: boolean;
  lifetime: number;
}

interface Exchange {
  kind: ExchangeKind;
  mag: NodeInst;
  transport: Transport;
  gre: GreMode;
  dlKey?: number;
  /** The scenario's dl_key even when the PBU carries none (used by a retry after status 163). */
  requestedDlKey?: number;
  t: boolean;
  f: boolean;
  hi: number;
  lifetime: number;
  overrides: Overrides;
  faults: readonly string[];
  response?: ResponseDef;
}

export class Engine {
  readonly link: LinkKind;
  readonly events: ScenarioEvent[];
  readonly quirks: Quirks = {};
  readonly faultsApplied = new Set<string>();
  readonly faultsUnmet = new Map<string, string>();
  readonly dataFaults: DataFault[] = [];
  private readonly signalFaults: SignalFault[] = [];
  private readonly slots = new Map<FlowDef, FlowSlot>();
  private readonly classes = new Map<number, number>();
  private readonly payloads = new Map<number, Uint8Array>();
  /** Signalling templates keyed by everything that shapes the message except per-session values. */
  private readonly sigShapes = new Map<number, Map<number, SigShape>>();
  private needDrain = false;
  private readonly share: boolean;
  private readonly tsScratch = new Uint8Array(8);
  private idScratch = new Uint8Array(64);
  private readonly hnpScratch = new Uint8Array(16);
  private readonly heap: CalendarQueue<Entry>;
  private ord = 0;
  private readonly nodes = new Map<string, NodeInst>();
  /** Every explicit downlink / uplink key of the scenario: derived and random keys avoid them. */
  private readonly dlReserved = new Set<number>();
  private readonly ulReserved = new Set<number>();
  private readonly sessions: Session[] = [];
  private readonly startSec: number;
  private readonly startNsec: number;
  private readonly k: number;
  private dataBudget = Infinity;
  private frameLimit = Infinity;
  private frames = 0;
  private sigFrames = 0;
  private dataFrames = 0;
  private lastT = 0;
  onProgress?: (frames: number) => void;

  constructor(
    readonly scenario: Scenario,
    private readonly sink: FrameSink,
    opts: GenerateOptions,
    plan: { stretch: number; dataBudget?: number; frameLimit?: number },
  ) {
    this.link = opts.link ?? 'ethernet';
    this.share = opts.shareTemplates ?? true;
    this.events = scenario.timeline;
    this.startSec = opts.startSec ?? DEFAULT_START_SEC;
    this.startNsec = opts.startNsec ?? 0;
    this.k = plan.stretch;
    if (plan.dataBudget !== undefined) this.dataBudget = plan.dataBudget;
    if (plan.frameLimit !== undefined) this.frameLimit = plan.frameLimit;
    for (const name of opts.faults ?? []) {
      const f = faultByName(name);
      if (!f) throw new GretoolError('USAGE', `unknown fault "${name}" (see gretool generate --list-faults)`);
      if (isSessionFault(f)) this.quirks[f.quirk] = true;
      else if (isSignalFault(f)) this.signalFaults.push(f);
      else {
        this.dataFaults.push(f);
        if (f.quirk) this.quirks[f.quirk] = true;
      }
    }
    this.heap = new CalendarQueue<Entry>(bucketWidth(scenario, opts.sessions ?? scenario.mobileNodes.size, this.k));
    const rng = new Rng(opts.seed ?? 1);
    for (const def of scenario.nodes.values()) {
      const n = new NodeInst(def, rng.fork());
      n.index = this.nodes.size;
      this.nodes.set(def.name, n);
    }
    for (const ev of this.events) {
      if ((ev.kind === 'attach' || ev.kind === 'handoff' || ev.kind === 'reregister') && ev.dlKey !== undefined) this.dlReserved.add(ev.dlKey);
      if ((ev.kind === 'attach' || ev.kind === 'handoff' || ev.kind === 'reregister' || ev.kind === 'detach') && ev.response?.ulKey !== undefined) this.ulReserved.add(ev.response.ulKey);
    }
    const bases = [...scenario.mobileNodes.values()];
    const total = opts.sessions ?? bases.length;
    const perBase = Math.ceil(total / bases.length);
    const span = this.scaled(scenarioEnd(scenario));
    const spread = perBase > 1 ? Math.max(span * 0.1, 1e6) / perBase : 0;
    const idents = new Map<MobileNodeDef, BaseIdentity>();
    for (let c = 0; c < total; c++) {
      const base = bases[c % bases.length]!;
      const clone = Math.floor(c / bases.length);
      let ident = idents.get(base);
      if (!ident) idents.set(base, (ident = new BaseIdentity(base)));
      const s = new Session(c, clone, base, ident, this.nodes.get(base.lma)!, rng.fork(), Math.round(clone * spread));
      this.sessions.push(s);
    }
    // each session plays the timeline events that name its base mobile node
    const byMn = new Map<string, ScenarioEvent[]>();
    for (const ev of this.events) {
      if (!byMn.has(ev.mn)) byMn.set(ev.mn, []);
      byMn.get(ev.mn)!.push(ev);
    }
    for (const s of this.sessions) new Script(s, byMn.get(s.base.name) ?? []).start(this);
  }

  /** A scenario time (ns) stretched by the plan. */
  scaled(t: number): number {
    return Math.round(t * this.k);
  }

  schedule(x: Entry): void {
    x.ord = this.ord++;
    this.heap.push(x);
  }

  dataAllowed(): boolean {
    return this.dataFrames < this.dataBudget;
  }

  dataExhausted(): boolean {
    return this.dataFrames >= this.dataBudget;
  }

  /** Runs to the end (or the frame budget). */
  async run(): Promise<GenerateStats> {
    const heap = this.heap;
    let nextProgress = 1 << 16;
    while (heap.size > 0 && this.frames < this.frameLimit) {
      const x = heap.peek()!;
      const next = x.fire(this);
      if (next >= 0) {
        // new entries scheduled by fire() are not earlier than x, so x is still the top
        x.t = next;
        x.ord = this.ord++;
        heap.fixTop();
      } else heap.pop();
      if (this.needDrain) {
        this.needDrain = false;
        await this.sink.drain();
      }
      if (this.onProgress && this.frames >= nextProgress) {
        this.onProgress(this.frames);
        nextProgress = this.frames + (1 << 16);
      }
    }
    if (this.onProgress) this.onProgress(this.frames);
    return { frames: this.frames, signalling: this.sigFrames, data: this.dataFrames, spanSeconds: this.lastT / NS, faultsApplied: this.faultsApplied, faultsUnmet: this.faultsUnmet };
  }

  private write(bytes: Uint8Array, len: number, t: number): void {
    const ns = this.startNsec + t;
    const whole = Math.floor(ns / NS);
    this.frames++;
    this.lastT = t;
    if (!this.sink.write(bytes, 0, len, len, this.startSec + whole, ns - whole * NS)) this.needDrain = true;
  }

  writeSignal(bytes: Uint8Array, t: number): void {
    this.sigFrames++;
    this.write(bytes, bytes.length, t);
  }

  writeData(bytes: Uint8Array, len: number, t: number): void {
    this.dataFrames++;
    this.write(bytes, len, t);
  }

  /** Shared payload octets: a lower-case letter pattern no heuristic dissector takes for a protocol. */
  payload(len: number, shift: number): Uint8Array {
    const key = len * 32 + shift;
    let p = this.payloads.get(key);
    if (!p) {
      p = new Uint8Array(len);
      for (let i = 0; i < len; i++) p[i] = 0x61 + ((i + shift) % 26);
      this.payloads.set(key, p);
    }
    return p;
  }

  applyDataFault(f: DataFault, frame: FrameSpec, ctx: DataContext): void {
    if ((f.target === ctx.msg || f.target === 'data') && f.when(ctx) && this.canApply(f, frame)) {
      if (f.mutate) f.mutate(frame, ctx);
      this.faultsApplied.add(f.name);
    }
  }

  /** The frame has what the fault needs; if not, the fault is noted as unmet and skips it. */
  private canApply(f: DataFault | SignalFault, frame: FrameSpec): boolean {
    const miss = unmetNeed(f, frame);
    if (miss === undefined) return true;
    if (!this.faultsUnmet.has(f.name)) this.faultsUnmet.set(f.name, miss.text);
    return false;
  }

  /** The tunnel class id of a session's current state. */
  private classOf(s: Session): number {
    const key = ((((((s.mag?.index ?? 1023) * 1024 + s.lma.index) * 2 + (s.transport === 'ipv6' ? 0 : 1)) * 4 + GRE_CODE[s.gre]) * 2 + (s.tlv ? 1 : 0)) * 2 + (s.udp ? 1 : 0));
    let id = this.classes.get(key);
    if (id === undefined) {
      id = this.classes.size;
      this.classes.set(key, id);
    }
    return id;
  }

  applyEventOverrides(f: FrameSpec, fields: Record<string, unknown> | undefined, what: string, lenient = false): void {
    if (!fields) return;
    try {
      applyOverrides(f, fields, lenient);
    } catch (err) {
      throw new GretoolError('SCENARIO', `${this.scenario.source}: override in ${what}: ${(err as Error).message}`);
    }
  }

  // ---------------------------------------------------------------- timeline

  process(s: Session, ev: ScenarioEvent, t: number): void {
    switch (ev.kind) {
      case 'attach':
        this.register(s, this.exchangeFor(s, 'initial', ev, this.nodes.get(ev.mag)!), t);
        break;
      case 'handoff':
        this.register(s, this.exchangeFor(s, 'handoff', ev, this.nodes.get(ev.mag)!), t);
        break;
      case 'reregister':
        if (!s.mag) return;
        this.register(s, this.exchangeFor(s, 'reregister', ev, s.mag), t);
        break;
      case 'detach':
        if (!s.mag) return;
        this.register(
          s,
          { kind: 'deregister', mag: s.mag, transport: s.transport, gre: 'none', t: false, f: s.transport === 'ipv4-udp' && (s.mag.def as MagDef).forceUdp, hi: 4, lifetime: 0, overrides: ev.overrides, faults: ev.faults, response: ev.response },
          t,
        );
        break;
      case 'traffic': {
        const n = ev.flows.length;
        ev.flows.forEach((def, j) => {
          const iv = NS / def.rate;
          const t0 = t + Math.round(j * Math.min(1e6, iv / (n + 1)));
          const rounds = Math.max(1, Math.ceil(def.count * this.k - 1e-9));
          let slot = this.slots.get(def);
          if (!slot) {
            const faults = ev.faults.map((name) => faultByName(name)).filter((f): f is DataFault => !!f && isDataFault(f));
            slot = new FlowSlot(def, ev.overrides, faults, this.slots.size, this.scenario.rtt, this.dataFaults.length > 0 || !this.share);
            this.slots.set(def, slot);
          }
          this.schedule(new Flow(s, slot, t0, rounds));
        });
        break;
      }
    }
  }

  private exchangeFor(s: Session, kind: ExchangeKind, ev: AttachEvent | HandoffEvent | ReregisterEvent, mag: NodeInst): Exchange {
    const md = mag.def as MagDef;
    const transport = ev.transport ?? (kind === 'reregister' ? s.transport : md.transport);
    let gre: GreMode;
    if (ev.gre) gre = ev.gre;
    else if (s.greNotRequired || mag.noSupport.has(s.lma.name)) gre = 'none';
    else if (kind === 'reregister') gre = s.gre === 'none' ? 'none' : s.dlKey !== undefined ? 'keys' : 'gre-only';
    else gre = md.gre;
    let dlKey: number | undefined;
    if (gre === 'keys') {
      if (kind === 'reregister' && ev.dlKey === undefined && s.dlKey !== undefined) dlKey = s.dlKey;
      else dlKey = this.allocDl(mag, s, ev.dlKey);
    }
    const t = kind === 'reregister' ? s.pbuT && gre !== 'none' : transport === 'ipv4-udp' && gre !== 'none' && (ev.tlv ?? md.tlv);
    return {
      kind,
      mag,
      transport,
      gre,
      dlKey,
      requestedDlKey: ev.dlKey,
      t: ev.tlv !== undefined && kind === 'reregister' ? ev.tlv && gre !== 'none' : t,
      f: transport === 'ipv4-udp' && md.forceUdp,
      hi: kind === 'initial' ? (ev as AttachEvent).hi ?? 1 : kind === 'handoff' ? (ev as HandoffEvent).hi ?? 3 : 5,
      lifetime: ev.lifetime ?? this.scenario.lifetime,
      overrides: ev.overrides,
      faults: ev.faults,
      response: ev.response,
    };
  }

  /** A downlink key from the MAG: the scenario's (made unique per clone) or a random unused one. */
  private allocDl(mag: NodeInst, s: Session, explicit?: number): number {
    const k = this.allocKey(mag, s, explicit);
    // dup-dl-key: the second session gets the first one's key (drawn the same way, so nothing else moves)
    if (this.quirks.dupDlKey && mag.keyOwners[1] === s) {
      this.faultsApplied.add('dup-dl-key');
      return mag.firstKeyOf.get(mag.keyOwners[0]!)!;
    }
    return k;
  }

  private allocUl(s: Session, explicit?: number): number {
    const lma = s.lma;
    const k = this.allocKey(lma, s, explicit);
    if (this.quirks.dupUlKey && lma.keyOwners[1] === s) {
      this.faultsApplied.add('dup-ul-key');
      return lma.firstKeyOf.get(lma.keyOwners[0]!)!;
    }
    return k;
  }

  /**
   * A key from `node` for session `s`: the scenario's explicit key for a base mobile node; for a
   * clone, the explicit key + clone · 0x10001 unless that is taken or is one of the scenario's
   * explicit keys (which a base mobile node may claim later); otherwise a random unused one.
   */
  private allocKey(node: NodeInst, s: Session, explicit?: number): number {
    const reserved = node.def.role === 'lma' ? this.ulReserved : this.dlReserved;
    let k: number | undefined;
    if (explicit !== undefined) {
      k = s.clone === 0 ? explicit : (explicit + Math.imul(s.clone, 0x10001)) >>> 0;
      if (s.clone > 0 && (k === 0 || node.keys.has(k) || reserved.has(k))) k = undefined;
    }
    if (k === undefined) {
      do k = node.rng.nextU32();
      while (k === 0 || node.keys.has(k) || reserved.has(k));
    }
    node.keys.add(k);
    // only the first two owners matter (the dup-*-key faults); not a map of every session
    if (node.keyOwners.length < 2 && !node.firstKeyOf.has(s)) {
      node.firstKeyOf.set(s, k);
      node.keyOwners.push(s);
    }
    return k;
  }

  /** The LMA's answer (RFC 5213 §5.3, RFC 5844 §4.1, RFC 5845 §5.2 and §7.4), fault-free. */
  private respond(s: Session, x: Exchange): Response {
    const pol = s.lma.def as LmaDef;
    let status = 0;
    let gre: GreMode = 'none';
    let t = false;
    if (x.kind === 'deregister') {
      // nothing negotiated in a de-registration
    } else if (pol.gre === 'ignore') {
      // an LMA without RFC 5845 skips the unknown option (RFC 6275 §6.2.1) and knows no T flag
    } else if (x.gre === 'none') {
      status = pol.gre === 'require' ? 163 : 0;
    } else if (pol.gre === 'not-required') {
      status = 2;
    } else {
      gre = x.gre;
      if (x.t) {
        if (pol.tlv) t = true;
        else status = 3;
      }
    }
    const r = x.response ?? NO_RESPONSE;
    if (r.status !== undefined) status = r.status;
    if (r.grekey) gre = r.grekey === 'key' ? 'keys' : r.grekey === 'no-key' ? 'gre-only' : 'none';
    if (r.t !== undefined) t = r.t;
    let ulKey: number | undefined;
    if (gre === 'keys') {
      if (r.ulKey !== undefined) ulKey = this.allocUl(s, r.ulKey);
      else if (s.ulKey !== undefined && s.bound) ulKey = s.ulKey;
      else ulKey = this.allocUl(s);
    }
    const lifetime = r.lifetime ?? (status < 128 && x.lifetime > 0 ? Math.min(x.lifetime, pol.maxLifetime) : 0);
    return { status, gre, ulKey, t, lifetime };
  }

  private register(s: Session, x: Exchange, t: number): void {
    const lma = s.lma;
    const mag = x.mag;
    if (x.transport === 'ipv6' ? !mag.ipv6 || !lma.ipv6 : !mag.ipv4 || !lma.ipv4) {
      throw new GretoolError('SCENARIO', `${this.scenario.source}: transport ${x.transport} needs ${x.transport === 'ipv6' ? 'IPv6' : 'IPv4'} addresses on ${mag.name} and ${lma.name}`);
    }
    // a new MAG starts a new Binding Update List entry
    s.bulSeq = x.kind === 'handoff' ? mag.rng.below(0x10000) : (s.bulSeq + 1) & 0xffff;
    const seq = s.bulSeq;
    const resp = this.respond(s, x);
    if (resp.status === 163 && x.gre === 'none' && (mag.def as MagDef).retryOn163 && x.kind !== 'retry') {
      s.pendingDlKey = this.allocDl(mag, s, x.requestedDlKey);
    }
    const ctx: SignalContext | null = this.signalFaults.length === 0 && x.faults.length === 0 ? null : {
      msg: 'pbu',
      exchange: x.kind,
      transport: x.transport,
      status: resp.status,
      pbuGre: x.gre,
      pbuT: x.t,
      pbaGre: resp.gre,
      pbaT: resp.t,
      pbuSeq: seq,
      dlKey: x.dlKey ?? s.dlKey,
      ulKey: resp.ulKey,
      greNotRequired: s.greNotRequired,
      magNoSupport: mag.noSupport.has(lma.name),
      pendingDlKey: s.pendingDlKey,
      srcIpv4: mag.ipv4,
      dstIpv4: lma.ipv4,
    };
    const faults = x.faults.length ? [...this.signalFaults, ...x.faults.map((n) => faultByName(n)).filter((f): f is SignalFault => !!f && isSignalFault(f))] : this.signalFaults;
    const drop = this.quirks.dropInitialSignalling && x.kind === 'initial';
    if (drop) this.faultsApplied.add('capture-started-late');
    const pbuId = x.transport === 'ipv4-udp' ? mag.nextIpId() : -1;
    const pbaId = x.transport === 'ipv4-udp' ? lma.nextIpId() : -1;
    const ex: SigExchange = { s, x, resp, seq, t, pbuId, pbaId };
    const tPba = t + this.scenario.rtt;
    // A message with an override or a fault is built from its spec now; the others come from a
    // shared template when their time comes (written straight from it, nothing copied).
    const slow = (msg: 'pbu' | 'pba'): boolean =>
      !this.share || (msg === 'pbu' ? x.overrides.pbu : x.overrides.pba) !== undefined || (ctx !== null && faults.some((f) => f.target === msg && f.when({ ...ctx, msg })));
    if (drop) this.schedule(new Pending(t, null, null));
    else if (slow('pbu')) this.schedule(new Pending(t, this.buildSignal(ex, 'pbu', faults, ctx), null));
    else this.schedule(new Pending(t, null, null, ex, false));
    if (drop) this.schedule(new Pending(tPba, null, () => this.apply(s, x, resp)));
    else if (slow('pba')) this.schedule(new Pending(tPba, this.buildSignal(ex, 'pba', faults, ctx), () => this.apply(s, x, resp)));
    else this.schedule(new Pending(tPba, null, null, ex, true));
    if (resp.status === 163 && x.gre === 'none' && (mag.def as MagDef).retryOn163 && x.kind !== 'retry') {
      const retryAt = t + Math.max(this.scenario.retryDelay, this.scenario.rtt + 1);
      this.schedule(
        new Pending(retryAt, null, () =>
          this.register(s, { ...x, kind: 'retry', gre: 'keys', dlKey: s.pendingDlKey, t: x.transport === 'ipv4-udp' && (mag.def as MagDef).tlv, overrides: {}, faults: [], response: x.response ? { ...x.response, status: undefined } : undefined }, retryAt),
        ),
      );
    }
  }

  /** The PBU / PBA parameters of an exchange (for building from a spec). */
  private signalParams(ex: SigExchange, msg: 'pbu' | 'pba'): PbuParams | PbaParams {
    const { s, x, resp, seq, t } = ex;
    const abs = this.startSec + (this.startNsec + t) / NS;
    const tsSeconds = Math.floor(abs);
    const tsFraction = Math.floor((abs - tsSeconds) * 65536);
    const requestIpv4 = s.ipv4 === undefined ? undefined : x.kind === 'initial' || x.kind === 'retry' ? '0.0.0.0' : s.ipv4;
    const common = { link: this.link, transport: x.transport, mag: x.mag, lma: s.lma, mn: s, seq, hi: x.hi, tsSeconds, tsFraction };
    if (msg === 'pbu') return { ...common, lifetime: x.lifetime, gre: x.gre, dlKey: x.dlKey, t: x.t, f: x.f, requestIpv4 };
    return {
      ...common,
      status: resp.status,
      lifetime: resp.lifetime,
      gre: resp.gre,
      ulKey: resp.ulKey,
      t: resp.t,
      ipv4Reply: requestIpv4 !== undefined,
      natDetected: x.transport === 'ipv4-udp' && x.f && resp.status < 128 && x.kind !== 'deregister',
    };
  }

  /** Builds a PBU / PBA from its spec, with the event's overrides and the faults that apply. */
  private buildSignal(ex: SigExchange, msg: 'pbu' | 'pba', faults: readonly SignalFault[], ctx: SignalContext | null): Uint8Array {
    const params = this.signalParams(ex, msg);
    const frame = msg === 'pbu' ? pbuFrame(params as PbuParams) : pbaFrame(params as PbaParams);
    this.applyEventOverrides(frame, msg === 'pbu' ? ex.x.overrides.pbu : ex.x.overrides.pba, `the ${msg.toUpperCase()} (${ex.x.kind} of ${ex.s.base.name})`);
    if (ctx) {
      for (const f of faults) {
        if (f.target !== msg) continue;
        const c = { ...ctx, msg };
        if (f.when(c) && this.canApply(f, frame)) {
          f.mutate(frame, c);
          this.faultsApplied.add(f.name);
        }
      }
    }
    const ipId = msg === 'pbu' ? ex.pbuId : ex.pbaId;
    if (ipId >= 0) setIpId(frame, ipId);
    return buildFrame(frame);
  }

  /**
   * Writes a PBU or PBA from a template shared by every message of the same shape (same nodes,
   * options, flags, status, lengths), patched with this exchange's sequence number, key,
   * timestamp, NAI, prefix and IPv4 addresses. Gives the same bytes as buildSignal().
   */
  emitSignal(o: Pending, ex: SigExchange): void {
    if (o.pba) this.apply(ex.s, ex.x, ex.resp);
    const { s, x, resp } = ex;
    const pbu = !o.pba;
    const hasIpv4 = s.hasIpv4;
    // 0: no IPv4 option; 1: request 0.0.0.0; 2: request the HoA; 3: reply (+ router)
    const requestKind = !hasIpv4 ? 0 : pbu ? (x.kind === 'initial' || x.kind === 'retry' ? 1 : 2) : 3;
    const status = resp.status;
    const natd = !pbu && x.transport === 'ipv4-udp' && x.f && status < 128 && x.kind !== 'deregister';
    const lifetime = lifetimeUnits(pbu ? x.lifetime : resp.lifetime);
    // everything that shapes the message, as two integers
    const k1 =
      ((((((x.mag.index * 1024 + s.lma.index) * 4 + LINK_CODE[this.link]) * 2 + (x.transport === 'ipv6' ? 0 : 1)) * 4 + GRE_CODE[pbu ? x.gre : resp.gre]) * 2 + ((pbu ? x.t : resp.t) ? 1 : 0)) * 4 + requestKind) * 65536 +
      lifetime;
    const k2 = ((((((pbu ? (x.f ? 1 : 0) : 2 + (natd ? 1 : 0)) * 256 + x.hi) * 256 + s.idLength) * 256 + s.hnpLength) * 256 + s.att) * 256 + (pbu ? 0 : status)) * 64 + s.ipv4PrefixLength;
    let inner = this.sigShapes.get(k1);
    if (!inner) this.sigShapes.set(k1, (inner = new Map()));
    let sh = inner.get(k2);
    const ipId = pbu ? ex.pbuId : ex.pbaId;
    if (!sh) {
      const params = this.signalParams(ex, pbu ? 'pbu' : 'pba');
      const frame = pbu ? pbuFrame(params as PbuParams) : pbaFrame(params as PbaParams);
      if (ipId >= 0) setIpId(frame, ipId);
      const tmpl = compileFrame(frame);
      sh = {
        tmpl,
        seq: tmpl.field(pbu ? 'mip6.bu.seqnr' : 'mip6.ba.seqnr'),
        key: tmpl.field('mip6.gre_key'),
        ts: tmpl.field('gretool.mip6.timestamp.raw'),
        nai: tmpl.field('mip6.mnid.identifier'),
        hnp: tmpl.field('gretool.mip6.hnp.prefix'),
        hoa: requestKind === 2 || requestKind === 3 ? tmpl.field('mip6.ipv4ha.ha') : -1,
        dra: tmpl.field('mip6.ipv4dra.dra'),
        ipId: ipId >= 0 ? tmpl.field('ip.id') : -1,
      };
      inner.set(k2, sh);
    }
    const tm = sh.tmpl;
    tm.set(sh.seq, ex.seq);
    if (sh.key >= 0) tm.set(sh.key, (pbu ? x.dlKey : resp.ulKey)!);
    if (sh.ts >= 0) {
      const abs = this.startSec + (this.startNsec + ex.t) / NS;
      const sec = Math.floor(abs);
      const b = this.tsScratch;
      put32(b, 0, Math.floor(sec / 65536));
      put16(b, 4, sec & 0xffff);
      put16(b, 6, Math.floor((abs - sec) * 65536));
      tm.setBytes(sh.ts, b);
    }
    if (sh.nai >= 0) {
      // the shape fixes the NAI's length; a longer scratch is fine (setBytes reads the field's width)
      if (this.idScratch.length < s.idLength) this.idScratch = new Uint8Array(s.idLength);
      s.idInto(this.idScratch);
      tm.setBytes(sh.nai, this.idScratch);
    }
    if (sh.hnp >= 0) {
      s.hnpInto(this.hnpScratch);
      tm.setBytes(sh.hnp, this.hnpScratch);
    }
    if (sh.hoa >= 0) tm.set(sh.hoa, s.ipv4Int);
    if (sh.dra >= 0) tm.set(sh.dra, s.routerInt);
    if (sh.ipId >= 0) tm.set(sh.ipId, ipId);
    this.writeSignal(tm.bytes, o.t);
  }

  /** State change when the PBA arrives (fault-free view). */
  private apply(s: Session, x: Exchange, r: { status: number; gre: GreMode; ulKey?: number; t: boolean }): void {
    if (r.status >= 128) return;
    const oldUl = s.ulKey;
    const oldDl = s.dlKey;
    if (x.kind === 'deregister') {
      s.bound = false;
      s.mag = null;
      s.gre = 'none';
      s.dlKey = s.ulKey = undefined;
      s.tlv = s.status3 = s.udp = false;
      s.version++;
      return;
    }
    s.bound = true;
    s.mag = x.mag;
    s.transport = x.transport;
    s.pbuT = x.t;
    if (r.status === 2) {
      s.gre = 'none';
      s.greNotRequired = true;
      s.dlKey = s.ulKey = undefined;
    } else if (r.gre !== 'none') {
      s.dlKey = x.gre === 'keys' ? x.dlKey : undefined;
      s.ulKey = r.gre === 'keys' ? r.ulKey : undefined;
      s.gre = s.dlKey !== undefined && s.ulKey !== undefined ? 'keys' : 'gre-only';
    } else {
      s.gre = 'none';
      s.dlKey = s.ulKey = undefined;
      if (x.gre !== 'none') x.mag.noSupport.add(s.lma.name);
    }
    s.tlv = x.transport === 'ipv4-udp' && r.t && r.gre !== 'none' && r.status !== 3;
    s.status3 = r.status === 3;
    s.udp = x.transport === 'ipv4-udp' && s.gre === 'none' && x.f;
    if (s.ulKey !== oldUl) {
      s.ulGreSeq = 0;
      s.ulGreCount = 0;
    }
    if (s.dlKey !== oldDl) s.dlGreSeq = 0;
    s.tunnelClass = this.classOf(s);
    s.version++;
  }
}

function setIpId(f: FrameSpec, id: number): void {
  const l = f.layers.find((x) => x.kind === 'ipv4');
  if (l && l.kind === 'ipv4' && l.spec.id === undefined) l.spec.id = id;
}

/**
 * Calendar bucket width: about four frames per bucket on average, from the scenario's frame
 * rate (all flows of all sessions) and the stretch.
 */
function bucketWidth(sc: Scenario, sessions: number, stretch: number): number {
  let frames = 0;
  for (const ev of sc.timeline) if (ev.kind === 'traffic') for (const f of ev.flows) frames += f.count * 2 + (f.proto === 'tcp' ? 3 : 0);
  frames = Math.max(1, (frames * sessions * stretch) / Math.max(1, sc.mobileNodes.size));
  const span = Math.max(1e6, scenarioEnd(sc) * stretch * 1.1);
  return Math.min(1e9, Math.max(1000, Math.round((span / frames) * 8)));
}

/** The scenario's last moment (ns): its last event, or the end of its last flow. */
export function scenarioEnd(sc: Scenario): number {
  let end = 0;
  for (const ev of sc.timeline) {
    let e = ev.at + sc.rtt;
    if (ev.kind === 'traffic') for (const f of ev.flows) e = Math.max(e, ev.at + Math.round((f.count + 1) * (NS / f.rate)));
    end = Math.max(end, e);
  }
  return end;
}

/** Counts the frames the scenario makes with the given options and stretch (a dry run, nothing written). */
export async function countFrames(sc: Scenario, opts: GenerateOptions, stretch: number): Promise<GenerateStats> {
  const sink: FrameSink = { write: () => true, drain: async () => {} };
  return new Engine(sc, sink, { ...opts, packets: undefined }, { stretch }).run();
}
