/**
 * The session correlator: PBU↔PBA pairing, the binding table (RFC 5213 §5.1 binding cache
 * entry plus the RFC 5845 §5.1 GRE fields) with its history, and the attribution of every
 * tunnelled data frame to a binding and a direction.
 *
 * Fed in capture order with `pbu()`, `pba()` and `data()` (or `signalling()`), then `finish()`.
 * Memory grows with bindings, endpoints and signalling messages, not with data frames:
 *
 *   endpoint pair (MAG, LMA)  ──►  PairIndex { inner IPv4 HoA → bindings, inner HNP → bindings }
 *   (pair, direction, GRE key) ──►  binding (keyTable; staleKeys for keys bindings left)
 *   (pair, IPv4 HoA / HNP)     ──►  binding that left it (staleV4, staleV6)
 *
 * A data frame costs one probe of the endpoint-pair table (hashing the outer addresses where
 * they lie in the frame; it also gives the direction), one of the key table (or of the pair's
 * inner-address index when there is no key) and the update of the binding direction's counter
 * row. Nothing is allocated per frame, and the binding object is not touched.
 */
import { viewOf } from '../capture/view.js';
import { BA_STATUS, BA_STATUS_REJECT_MIN, LIFETIME_UNIT_S } from '../dissectors/mip6/layout.js';
import { AddrTable, EndpointPairs, hashBits, ipv4Number } from './addr.js';
import { IntPairMap, MULTIPLE, MultiIndex } from './intmap.js';
import type { DataEvent } from './events.js';
import {
  DIR_DOWN,
  DIR_NONE,
  DIR_UP,
  R_AMBIGUOUS,
  R_NO_BINDING,
  R_STALE,
  R_UNKNOWN_KEY,
  R_WRONG_DIRECTION,
  REASONS,
  type BindingChange,
  type BindingChangeType,
  type BindingState,
  type BindingView,
  type DataResult,
  type GreMode,
  type HistoryEntry,
  type HomePrefix,
  type MessageKind,
  type NegotiatedState,
  type PairOutcome,
  type PbuOutcome,
  type SessionListener,
  type SignallingEvent,
  type TrafficStats,
  type Transport,
} from './types.js';

/** Status names from the MH layout table (GRE_KEY_OPTION_REQUIRED, …). */
const STATUS_NAMES: Record<number, string> = {};
for (const [name, code] of Object.entries(BA_STATUS)) STATUS_NAMES[code] = name;
export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? (status >= BA_STATUS_REJECT_MIN ? `REJECTED_${status}` : `ACCEPTED_${status}`);
}

/** How many frame numbers an unattributed aggregate keeps. */
export const UNATTRIBUTED_FRAME_CAP = 32;
const TWO32 = 0x100000000;

/**
 * Per-binding traffic counters, structure-of-arrays: binding i, direction d (0 up, 1 down) is
 * row r = 2 i + d. Counting a frame reads and writes the row's four doubles at 4 r in `hot`:
 * frames, bytes, first frame, last frame (0 = none); the GRE sequence state, read only for
 * frames with a sequence number, is the row's four doubles at 4 r in `seq`: last sequence
 * number (-1 = none), gaps, missing, reordered. Counting touches neither the binding object
 * nor a line of the other direction, and the hot rows of 10k bindings take 640 KB.
 */
const S_FRAMES = 0;
const S_BYTES = 1;
const S_FIRST = 2;
const S_LAST = 3;
const Q_SEQ = 0;
const Q_GAPS = 1;
const Q_MISSING = 2;
const Q_REORDERED = 3;
const S_STRIDE = 4;

class StatsStore {
  hot = new Float64Array(S_STRIDE * 2 * 256);
  seq = new Float64Array(S_STRIDE * 2 * 256);
  ensure(bindings: number): void {
    const need = S_STRIDE * 2 * bindings;
    if (need <= this.hot.length) return;
    let cap = this.hot.length;
    while (cap < need) cap *= 2;
    this.hot = grown(this.hot, cap);
    this.seq = grown(this.seq, cap);
  }
  view(row: number): TrafficStats {
    const a = this.hot;
    const q = this.seq;
    const o = row * S_STRIDE;
    return {
      frames: a[o + S_FRAMES]!,
      bytes: a[o + S_BYTES]!,
      firstFrame: a[o + S_FIRST] || null,
      lastFrame: a[o + S_LAST] || null,
      seqGaps: q[o + Q_GAPS]!,
      seqMissing: q[o + Q_MISSING]!,
      seqReordered: q[o + Q_REORDERED]!,
    };
  }
}

function grown(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

class Binding implements BindingView {
  state: BindingState = 'pending';
  mag: string;
  transport: Transport = 'ipv6';
  greMode: GreMode = 'none';
  downlinkKey: number | null = null;
  uplinkKey: number | null = null;
  tlv = false;
  lastSuccessStatus = -1;
  lifetime = 0;
  hnp: HomePrefix[] = [];
  ipv4HomeAddress: string | null = null;
  history: HistoryEntry[] = [];
  /** Last signalling frame about this binding (data frames are in the stats store). */
  sigLastFrame: number;
  expiresAt = NaN;
  hi = -1;
  att = -1;
  // ---- internal
  /** Key of the live-binding table: LMA address id and MN identity id. */
  readonly lmaId: number;
  readonly identId: number;
  pair: PairIndex | null = null;
  /** Bumped on every renewal; stale heap entries carry an older value. */
  expiryEpoch = 0;
  /** PBUs that may renew this binding and are not answered yet: expiry waits for them. */
  pendingRenewals = 0;
  expiryDeferred = false;
  /** The home network prefixes' addresses (ids in the correlator's address table), as `hnp`. */
  hnpIds: number[] = [];
  hoaNum = -1;

  constructor(
    /** Index in the correlator's binding list (id − 1) and in the stats store. */
    readonly index: number,
    readonly mnId: string,
    readonly lma: string,
    mag: string,
    readonly firstFrame: number,
    lmaId: number,
    identId: number,
    private readonly store: StatsStore,
  ) {
    this.mag = mag;
    this.sigLastFrame = firstFrame;
    this.lmaId = lmaId;
    this.identId = identId;
    const q = store.seq;
    q[index * 2 * S_STRIDE + Q_SEQ] = -1;
    q[(index * 2 + 1) * S_STRIDE + Q_SEQ] = -1;
  }

  get id(): number {
    return this.index + 1;
  }
  get uplink(): TrafficStats {
    return this.store.view(this.index * 2);
  }
  get downlink(): TrafficStats {
    return this.store.view(this.index * 2 + 1);
  }
  get lastFrame(): number {
    const a = this.store.hot;
    const o = this.index * 2 * S_STRIDE;
    return Math.max(this.sigLastFrame, a[o + S_LAST]!, a[o + S_STRIDE + S_LAST]!);
  }
  /** Forgets the last GRE sequence number of a direction (its key changed). */
  resetSeq(dir: 0 | 1): void {
    this.store.seq[(this.index * 2 + dir) * S_STRIDE + Q_SEQ] = -1;
  }

  /**
   * Appends to the history. The new array holds exactly the entries: most histories are a
   * handful of entries, and an array grown by push() keeps room for 17 in each of thousands of
   * bindings, which the garbage collector then copies and marks.
   */
  addHistory(e: HistoryEntry): void {
    const h = this.history;
    const n = h.length;
    const a = new Array<HistoryEntry>(n + 1);
    for (let i = 0; i < n; i++) a[i] = h[i]!;
    a[n] = e;
    this.history = a;
  }

  get live(): boolean {
    return this.state === 'pending' || this.state === 'active' || this.state === 'rejected';
  }

  snapshot(): NegotiatedState {
    return {
      state: this.state,
      mag: this.mag,
      transport: this.transport,
      greMode: this.greMode,
      downlinkKey: this.downlinkKey,
      uplinkKey: this.uplinkKey,
      tlv: this.tlv,
      lastSuccessStatus: this.lastSuccessStatus,
      lifetime: this.lifetime,
    };
  }
}

/** Everything indexed for one (MAG, LMA) pair of tunnel endpoints. */
class PairIndex {
  // Live keys are in the correlator's keyTable: (id·2 + 0, uplink key) and (id·2 + 1,
  // downlink key) → binding index; the keys, IPv4 home addresses and prefixes that bindings of
  // the pair held and left are in its stale tables (staleKeys, staleV4, staleV6).
  /** IPv4 home address (as int32, 0) → live binding indexes (several: RFC 5845 Figure 1). */
  readonly v4 = new MultiIndex();
  /**
   * Home network prefixes, one table per prefix length: the prefix's first two 32-bit words,
   * masked to the length (64 bits at most) → live binding indexes. Prefixes longer than 64
   * bits are keyed by their first 64 and checked against the binding's prefix on a hit.
   */
  readonly v6: V6Table[] = [];
  /** The prefix lengths of the pair's entries in the correlator's staleV6 table, in first-use order. */
  readonly staleV6Lens: number[] = [];
  /** Live (active) bindings tunnelled between these endpoints. */
  readonly live = new Set<Binding>();
  constructor(
    /** Index in the correlator's pair list; direction codes are id·2 (up) and id·2 + 1 (down). */
    readonly id: number,
    readonly magId: number,
    readonly lmaId: number,
  ) {}
}

/** Unattributed aggregates of one ordered endpoint pair. */
class UnattributedBucket {
  readonly keyed = new Map<number, UnattributedAggregate>();
  unkeyed: UnattributedAggregate | null = null;
}

interface V6Table {
  len: number;
  m0: number;
  m1: number;
  /** Prefix longer than 64 bits: verify the rest on a hit. */
  verify: boolean;
  idx: MultiIndex;
}

/** Masks of the first two words for a prefix length (at most 64 bits used). */
function wordMasks(len: number): [number, number] {
  const bits = (n: number) => (n <= 0 ? 0 : n >= 32 ? -1 : (0xffffffff << (32 - n)) | 0);
  return [bits(len), bits(len - 32)];
}

function v6Table(list: V6Table[], len: number): V6Table {
  for (const e of list) if (e.len === len) return e;
  const [m0, m1] = wordMasks(len);
  const e: V6Table = { len, m0, m1, verify: len > 64, idx: new MultiIndex() };
  list.push(e);
  return e;
}

/** The retransmissions of a PBU that has none (shared; replaced by an array of its own on the first). */
const NO_RETRANS = Object.freeze([]) as unknown as number[];

interface Pending {
  ev: SignallingEvent;
  binding: Binding;
  kind: MessageKind;
  retrans: number[];
  /** This PBU counts in binding.pendingRenewals. */
  renewal: boolean;
}

/**
 * The reused result of `Correlator.data()`. `binding` is looked up from `bindingId` when read:
 * storing the binding object for every frame costs a load from the binding list and a write
 * barrier that reads the binding's heap page header, both cache misses on a large binding table,
 * and a pass without listeners never reads it.
 */
class Attribution implements DataResult {
  bindingId = 0;
  direction = DIR_NONE;
  reason = -1;
  candidate: BindingView | null = null;
  constructor(private readonly all: readonly Binding[]) {}
  get binding(): BindingView | null {
    return this.bindingId > 0 ? this.all[this.bindingId - 1]! : null;
  }
}

/** Traffic that matched no binding, aggregated per (key, outer source, outer destination). */
export class UnattributedAggregate {
  frames = 0;
  bytes = 0;
  firstFrame = 0;
  lastFrame = 0;
  /** Up to UNATTRIBUTED_FRAME_CAP frame numbers, in order. */
  readonly frameNumbers: number[] = [];
  /** Frames per reason (index: R_* / REASONS). */
  readonly reasons = new Int32Array(REASONS.length);
  /** ENCAP_* of the first frame. */
  encap = 0;
  /** Direction by endpoint roles, when the endpoints are a known MAG/LMA pair. */
  direction = DIR_NONE;
  /** Binding the frames probably concern (the last one seen), if any. */
  candidate: BindingView | null = null;
  constructor(
    readonly key: number | null,
    readonly src: string,
    readonly dst: string,
  ) {}
}

/** A PBA nobody asked for. */
export interface UnsolicitedPba {
  pba: SignallingEvent;
  candidate: BindingView | null;
}

/** A PBU never answered (known at finish()). */
export interface UnansweredPbu {
  pbu: SignallingEvent;
  binding: BindingView;
  kind: MessageKind;
  retransmissions: readonly number[];
}

/** Pair information per signalling frame (recorded with `recordPairs`, used by two-pass dissection). */
export interface PairMark {
  /** The other frame of the pair (PBU → its PBA; PBA → its PBU). */
  peer: number;
  /** Response time in ns (PBA time − PBU time). */
  responseNs: number;
}

export interface CorrelatorOptions {
  /** Keep a frame → pair map for every paired PBU/PBA (two-pass annotation). Default false. */
  recordPairs?: boolean;
}

export interface CorrelatorCounts {
  frames: number;
  pbus: number;
  pbas: number;
  dataFrames: number;
  attributedFrames: number;
  unattributedFrames: number;
}

const NO_PREV: NegotiatedState | null = null;

export class Correlator {
  private readonly addrs = new AddrTable(1024);
  /** (source id, destination id) → direction code: pair id·2 (MAG→LMA) or pair id·2 + 1 (LMA→MAG). */
  private readonly pairTable = new IntPairMap(256);
  /** pairTable by the tunnel endpoints' bytes as a data frame carries them (the pairs seen in data). */
  private readonly endpoints = new EndpointPairs();
  private readonly pairList: PairIndex[] = [];
  /** (MAG id, LMA id) → index in pairList. */
  private readonly pairIdx = new IntPairMap(256);
  /** (direction code, GRE key | 0) → index of the live binding using that key in that direction. */
  private readonly keyTable = new IntPairMap(1024);
  /**
   * What bindings held and left (they ended, changed keys or moved away), the latest binding
   * each: (direction code, GRE key | 0) → binding index; (pair id, IPv4 home address | 0) →
   * binding index; (pair id · 256 + prefix length, hashBits of the prefix) → binding index.
   */
  private readonly staleKeys = new IntPairMap(1024);
  private readonly staleV4 = new IntPairMap(256);
  private readonly staleV6 = new IntPairMap(256);
  /** (LMA address id, MN identity id) → index of the live binding (pending, active, rejected). */
  private readonly liveTable = new IntPairMap(1024);
  private liveCount = 0;
  /** MN identities (MN-ID option text, or a fallback) → small ids. */
  private readonly identities = new Map<string, number>();
  /** (LMA id, MAG id) → dense id of a signalling endpoint pair. */
  private readonly sigPairs = new IntPairMap(64);
  /** (signalling pair id, sequence number << 16 | UDP port) → index in pendingLists. */
  private readonly pendingTable = new IntPairMap(256);
  private readonly pendingLists: (Pending[] | null)[] = [];
  private readonly pendingFree: number[] = [];
  private readonly all: Binding[] = [];
  private readonly stats = new StatsStore();
  private readonly unsolicited: UnsolicitedPba[] = [];
  private unanswered: UnansweredPbu[] = [];
  /** Unattributed traffic: (source, destination) address ids → index in unattrBuckets. */
  private readonly unattrPairs = new IntPairMap(64);
  private readonly unattrBuckets: UnattributedBucket[] = [];
  private readonly unattrList: UnattributedAggregate[] = [];
  private readonly marks: Map<number, PairMark> | null;
  // expiry heap
  private heapT: number[] = [];
  private heapB: Binding[] = [];
  private heapE: number[] = [];
  private nextExpiry = Infinity;
  /** Time of the latest event (epoch seconds). */
  private now = -Infinity;
  private finished = false;
  private readonly result = new Attribution(this.all);
  // listeners, split per hook so the hot path tests one array length
  private readonly lPbu: SessionListener[] = [];
  private readonly lPair: SessionListener[] = [];
  private readonly lUnsol: SessionListener[] = [];
  private readonly lBinding: SessionListener[] = [];
  private readonly lData: SessionListener[] = [];
  private readonly lUnans: SessionListener[] = [];
  private readonly lFinish: SessionListener[] = [];
  readonly counts: CorrelatorCounts = { frames: 0, pbus: 0, pbas: 0, dataFrames: 0, attributedFrames: 0, unattributedFrames: 0 };

  constructor(opts: CorrelatorOptions = {}) {
    this.marks = opts.recordPairs ? new Map() : null;
  }

  /**
   * The address table of this correlator. A fast path that decodes the events fed here
   * interns their addresses in it (FastPathOptions.addresses), so that the correlator finds
   * them by their text without parsing it back.
   */
  get addressTable(): AddrTable {
    return this.addrs;
  }

  /** Subscribes a listener (see SessionListener); call before feeding. */
  addListener(l: SessionListener): void {
    if (l.onPbu) this.lPbu.push(l);
    if (l.onPair) this.lPair.push(l);
    if (l.onUnsolicitedPba) this.lUnsol.push(l);
    if (l.onBinding) this.lBinding.push(l);
    if (l.onData) this.lData.push(l);
    if (l.onUnansweredPbu) this.lUnans.push(l);
    if (l.onFinish) this.lFinish.push(l);
  }

  // ====================================================================== queries

  /** All bindings, in creation order (ids 1, 2, …). */
  bindings(): readonly BindingView[] {
    return this.all;
  }
  binding(id: number): BindingView | undefined {
    return this.all[id - 1];
  }
  /** The live binding (pending, active or rejected) of an MN at an LMA. */
  liveBinding(lma: string, mnId: string): BindingView | undefined {
    const lmaId = this.addrs.internText(lma);
    const ident = this.identities.get(mnId);
    if (ident === undefined) return undefined;
    const i = this.liveTable.get(lmaId, ident);
    return i >= 0 ? this.all[i] : undefined;
  }
  /**
   * The active bindings tunnelled between a MAG and an LMA (for checks across sessions, e.g.
   * two live bindings with the same downlink key: S-DUP-DL-KEY).
   */
  liveBindingsBetween(mag: string, lma: string): BindingView[] {
    const i = this.pairIdx.get(this.addrs.internText(mag), this.addrs.internText(lma));
    return i >= 0 ? [...this.pairList[i]!.live] : [];
  }
  unattributed(): readonly UnattributedAggregate[] {
    return this.unattrList;
  }
  unsolicitedPbas(): readonly UnsolicitedPba[] {
    return this.unsolicited;
  }
  /** PBUs without a PBA (complete after finish()). */
  unansweredPbus(): readonly UnansweredPbu[] {
    return this.finished ? this.unanswered : this.collectPending();
  }
  /** Pair mark of a signalling frame (only with recordPairs). */
  pairMark(frame: number): PairMark | undefined {
    return this.marks?.get(frame);
  }
  /** Epoch seconds of the latest event fed. */
  get time(): number {
    return this.now;
  }

  // ====================================================================== signalling

  signalling(ev: SignallingEvent): PbuOutcome | PairOutcome | null {
    return ev.type === 'pbu' ? this.pbu(ev) : this.pba(ev);
  }

  /** Feeds one PBU. Returns how it was classified. */
  pbu(ev: SignallingEvent): PbuOutcome {
    this.counts.frames++;
    this.counts.pbus++;
    this.tick(ev.tsSec + ev.tsNsec * 1e-9);
    const lmaId = this.addrs.internText(ev.dst);
    const identId = this.identity(ev);
    let b = this.live(lmaId, identId);
    let created = false;
    if (!b) {
      b = this.createBinding(ev, lmaId, identId);
      created = true;
    }
    b.sigLastFrame = ev.frame;
    const kind = classify(b, ev);
    const previous = b.lastSuccessStatus >= 0 ? b.snapshot() : NO_PREV;
    const sp = this.sigPair(lmaId, this.addrs.internText(ev.src));
    const sk = (ev.seq << 16) | (ev.udp ? ev.sport : 0);
    let li = this.pendingTable.get(sp, sk);
    let list = li >= 0 ? this.pendingLists[li]! : null;
    let retransmissionOf: number | null = null;
    if (list) {
      for (const p of list) {
        if (p.binding === b && sameMn(p.ev.mnId, ev.mnId)) {
          if (p.retrans === NO_RETRANS) p.retrans = [];
          p.retrans.push(ev.frame);
          retransmissionOf = p.ev.frame;
          break;
        }
      }
    }
    if (retransmissionOf === null) {
      const renewal = b.state === 'active' && kind !== 'initial';
      if (renewal) b.pendingRenewals++;
      const p: Pending = { ev, binding: b, kind, retrans: NO_RETRANS, renewal };
      if (list) list.push(p);
      else {
        // usually the only PBU with this sequence number: a one-element array, no spare room
        li = this.pendingFree.length ? this.pendingFree.pop()! : this.pendingLists.length;
        this.pendingLists[li] = [p];
        this.pendingTable.set(sp, sk, li);
      }
    }
    const out: PbuOutcome = { pbu: ev, binding: b, kind, previous, retransmissionOf, created };
    for (const l of this.lPbu) l.onPbu!(out);
    return out;
  }

  /** Feeds one PBA. Returns the completed pair, or null for an unsolicited PBA. */
  pba(ev: SignallingEvent): PairOutcome | null {
    this.counts.frames++;
    this.counts.pbas++;
    this.tick(ev.tsSec + ev.tsNsec * 1e-9);
    const lmaId = this.addrs.internText(ev.src);
    const sp = this.sigPair(lmaId, this.addrs.internText(ev.dst));
    const sk = (ev.seq << 16) | (ev.udp ? ev.dport : 0);
    const li = this.pendingTable.get(sp, sk);
    const list = li >= 0 ? this.pendingLists[li]! : null;
    let match: Pending | undefined;
    if (list) {
      let i = 0;
      while (i < list.length && !sameMn(list[i]!.ev.mnId, ev.mnId)) i++;
      if (i < list.length) {
        match = list[i]!;
        list.splice(i, 1);
        if (list.length === 0) {
          this.pendingTable.delete(sp, sk);
          this.pendingLists[li] = null;
          this.pendingFree.push(li);
        }
      }
    }
    if (!match) {
      const ident = ev.mnId !== null ? this.identities.get(ev.mnId) : undefined;
      const cand = ident !== undefined ? (this.live(lmaId, ident) ?? null) : null;
      if (cand) cand.sigLastFrame = ev.frame;
      this.unsolicited.push({ pba: ev, candidate: cand });
      for (const l of this.lUnsol) l.onUnsolicitedPba!(ev, cand);
      return null;
    }
    const pbu = match.ev;
    let b = match.binding;
    if (match.renewal) b.pendingRenewals--;
    const responseNs = (ev.tsSec - pbu.tsSec) * 1e9 + (ev.tsNsec - pbu.tsNsec);
    if (this.marks) {
      this.marks.set(pbu.frame, { peer: ev.frame, responseNs });
      for (const f of match.retrans) this.marks.set(f, { peer: ev.frame, responseNs });
      this.marks.set(ev.frame, { peer: pbu.frame, responseNs });
    }
    const accepted = ev.status >= 0 && ev.status < BA_STATUS_REJECT_MIN;
    // A binding that died (expired, de-registered) after the PBU was sent: an accepted
    // registration starts a new one, as the LMA would create a new cache entry.
    if (accepted && !b.live && pbu.lifetime !== 0) {
      const pl = this.addrs.internText(pbu.dst);
      const pi = this.identity(pbu);
      b = this.live(pl, pi) ?? this.createBinding(pbu, pl, pi);
    }
    b.sigLastFrame = ev.frame;
    const kind = classify(b, pbu);
    const previous = b.lastSuccessStatus >= 0 ? b.snapshot() : NO_PREV;
    const pair: PairOutcome = { pbu, pba: ev, retransmissions: match.retrans, binding: b, kind, accepted, responseNs, previous };
    for (const l of this.lPair) l.onPair!(pair);
    const t = ev.tsSec + ev.tsNsec * 1e-9;
    if (!accepted) {
      b.addHistory({
        frame: ev.frame, kind: 'rejected', time: t, status: ev.status, reason: statusName(ev.status),
        pbuFrame: pbu.frame, attempted: kind, mag: pbu.src, ...(pbu.hi >= 0 ? { hi: pbu.hi } : {}),
      });
      if (b.state === 'pending') b.state = 'rejected';
      this.emit('rejected', b, previous, ev.frame, pair);
      if (b.expiryDeferred && b.pendingRenewals === 0) this.expire(b);
    } else if (kind === 'deregistration') {
      b.addHistory({ frame: ev.frame, kind: 'deregistration', time: t, status: ev.status, pbuFrame: pbu.frame, mag: pbu.src });
      this.kill(b, 'deregistered');
      this.emit('deregistered', b, previous, ev.frame, pair);
    } else {
      this.applyAccepted(b, pbu, ev, kind, t);
      this.emit(kind === 'initial' ? 'registered' : kind === 'handoff' ? 'handoff' : 'extended', b, previous, ev.frame, pair);
    }
    return pair;
  }


  private live(lmaId: number, identId: number): Binding | undefined {
    const i = this.liveTable.get(lmaId, identId);
    return i >= 0 ? this.all[i] : undefined;
  }

  /** Identity ids by a decoder's MN-ID ref (SignallingEvent.mnIdRef), with the text they stand for. */
  private refText: (string | null)[] = [];
  private refId: number[] = [];

  /** Id of the MN identity of a PBU (see identityOf). */
  private identity(ev: SignallingEvent): number {
    const ref = ev.mnIdRef;
    if (ref !== undefined && ref >= 0 && ev.mnId !== null) {
      // the same ref with the same text (another decoder's ref, or a table that started over,
      // has other text): the id without hashing the text
      if (this.refText[ref] === ev.mnId) return this.refId[ref]!;
      const id = this.identityOfText(ev.mnId);
      while (this.refText.length <= ref) {
        this.refText.push(null);
        this.refId.push(-1);
      }
      this.refText[ref] = ev.mnId;
      this.refId[ref] = id;
      return id;
    }
    return this.identityOfText(identityOf(ev));
  }

  private identityOfText(s: string): number {
    let id = this.identities.get(s);
    if (id === undefined) {
      id = this.identities.size;
      this.identities.set(s, id);
    }
    return id;
  }

  private sigPair(lmaId: number, magId: number): number {
    let id = this.sigPairs.get(lmaId, magId);
    if (id < 0) {
      id = this.sigPairs.size;
      this.sigPairs.set(lmaId, magId, id);
    }
    return id;
  }

  private createBinding(ev: SignallingEvent, lmaId: number, identId: number): Binding {
    this.stats.ensure(this.all.length + 1);
    const b = new Binding(this.all.length, ev.mnId ?? '', ev.dst, ev.src, ev.frame, lmaId, identId, this.stats);
    this.all.push(b);
    this.liveTable.set(lmaId, identId, b.index);
    this.liveCount++;
    this.emit('created', b, null, ev.frame, undefined);
    return b;
  }

  private applyAccepted(b: Binding, pbu: SignallingEvent, pba: SignallingEvent, kind: MessageKind, t: number): void {
    const previousMag = b.mag;
    // GRE negotiation (RFC 5845 §3, §5.2): the LMA's answer decides the mode.
    let greMode: GreMode;
    if (pba.status === BA_STATUS.GRE_KEY_OPTION_NOT_REQUIRED || pba.greKeyLen < 0) greMode = 'none';
    else if (pba.greKey !== null) greMode = 'keys';
    else greMode = 'gre-only';
    const dl = greMode === 'none' ? null : pbu.greKey;
    const ul = greMode === 'none' ? null : pba.greKey;
    // TLV flag (RFC 5845 §5.1): true only when UDP tunnelling (RFC 5844) and GRE are both
    // enabled; the LMA grants it with T in a PBA whose status is not 3 (§7.3, §7.4).
    const tlv =
      pbu.ipVersion === 4 && pbu.udp && pba.tFlag && greMode !== 'none' &&
      pba.status !== BA_STATUS.GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED;
    // Transport (RFC 5844 §4.1.3.1): over IPv4, F without GRE gives IPv4-UDP; TLV is UDP too;
    // status 3 and plain GRE give IPv4 (IPv4-GRE).
    let transport: Transport;
    if (pbu.ipVersion === 6) transport = 'ipv6';
    else if (tlv || (pbu.udp && pbu.fFlag && greMode === 'none')) transport = 'ipv4-udp';
    else transport = 'ipv4';

    // Home network prefixes: the LMA's (PBA) when it sends them, else the PBU's non-zero ones.
    const given = pba.hnp.length ? pba.hnp : pbu.hnp;
    const hnps = sameHnps(b.hnp, given) ? null : specifiedPrefixes(given);
    const hoa = pba.ipv4Hoa !== null && pba.ipv4Hoa !== '0.0.0.0' && pba.ipv4HoaStatus <= 0 ? pba.ipv4Hoa
      : pbu.ipv4Hoa !== null && pbu.ipv4Hoa !== '0.0.0.0' ? pbu.ipv4Hoa : null;
    // A renewal that leaves everything the indexes hold as it is keeps b indexed (see keepIndexed)
    const keep =
      b.pair !== null && b.mag === pbu.src && b.downlinkKey === dl && b.uplinkKey === ul &&
      (hnps === null || hnps.length === 0) && (hoa === null || hoa === b.ipv4HomeAddress) && this.ownsKeys(b);
    if (keep) this.keepIndexed(b);
    else this.unindex(b);
    if (b.downlinkKey !== dl) b.resetSeq(1);
    if (b.uplinkKey !== ul) b.resetSeq(0);
    b.mag = pbu.src;
    b.greMode = greMode;
    b.downlinkKey = dl;
    b.uplinkKey = ul;
    b.tlv = tlv;
    b.transport = transport;
    b.lastSuccessStatus = pba.status;
    b.lifetime = pba.lifetime * LIFETIME_UNIT_S;
    if (pbu.hi >= 0) b.hi = pbu.hi;
    if (pbu.att >= 0) b.att = pbu.att;
    if (hnps !== null && hnps.length) {
      b.hnp = hnps; // a new array; the event's prefix objects are never changed
      b.hnpIds = hnps.map((h) => this.addrs.internText(h.prefix));
    }
    if (hoa !== null && hoa !== b.ipv4HomeAddress) {
      b.ipv4HomeAddress = hoa;
      b.hoaNum = this.addrs.ipv4(this.addrs.internText(hoa));
    }
    b.state = 'active';
    b.expiryDeferred = false;
    b.expiresAt = t + b.lifetime;
    b.expiryEpoch++;
    this.heapPush(b.expiresAt, b, b.expiryEpoch);
    if (!keep) this.index(b);
    // one shape for every entry of this kind (absent fields undefined, as HistoryEntry allows)
    b.addHistory({
      frame: pba.frame, kind, time: t, status: pba.status, pbuFrame: pbu.frame, mag: pbu.src,
      downlinkKey: dl, uplinkKey: ul, lifetime: b.lifetime,
      previousMag: kind === 'handoff' ? previousMag : undefined, hi: pbu.hi >= 0 ? pbu.hi : undefined,
    });
  }

  /** Ends a binding: not live any more, its keys and addresses move to the stale indexes. */
  private kill(b: Binding, state: 'deregistered' | 'expired'): void {
    this.unindex(b);
    b.state = state;
    b.expiresAt = NaN;
    b.expiryEpoch++;
    if (this.liveTable.get(b.lmaId, b.identId) === b.index) {
      this.liveTable.delete(b.lmaId, b.identId);
      this.liveCount--;
    }
  }

  private expire(b: Binding): void {
    const at = b.expiresAt;
    b.addHistory({ frame: null, kind: 'expired', time: at, status: null });
    const previous = b.snapshot();
    this.kill(b, 'expired');
    b.expiryDeferred = false;
    this.emit('expired', b, previous, null, undefined);
  }

  private emit(type: BindingChangeType, b: Binding, previous: NegotiatedState | null, frame: number | null, pair: PairOutcome | undefined): void {
    if (this.lBinding.length === 0) return;
    const c: BindingChange = { type, binding: b, previous, frame };
    if (pair) c.pair = pair;
    for (const l of this.lBinding) l.onBinding!(c);
  }

  // ====================================================================== indexes

  private pairFor(b: Binding): PairIndex {
    const magId = this.addrs.internText(b.mag);
    const lmaId = this.addrs.internText(b.lma);
    const i = this.pairIdx.get(magId, lmaId);
    if (i >= 0) return this.pairList[i]!;
    const idx = new PairIndex(this.pairList.length, magId, lmaId);
    this.pairList.push(idx);
    this.pairIdx.set(magId, lmaId, idx.id);
    // a node that is both MAG and LMA towards the other would clash; the first wins
    if (this.pairTable.get(magId, lmaId) < 0) this.pairTable.set(magId, lmaId, idx.id * 2);
    if (this.pairTable.get(lmaId, magId) < 0) this.pairTable.set(lmaId, magId, idx.id * 2 + 1);
    return idx;
  }

  private index(b: Binding): void {
    const idx = this.pairFor(b);
    b.pair = idx;
    idx.live.add(b);
    if (b.uplinkKey !== null) this.keyTable.set(idx.id * 2, b.uplinkKey | 0, b.index);
    if (b.downlinkKey !== null) this.keyTable.set(idx.id * 2 + 1, b.downlinkKey | 0, b.index);
    if (b.hoaNum >= 0) idx.v4.add(b.hoaNum | 0, 0, b.index);
    for (let i = 0; i < b.hnp.length; i++) {
      const e = v6Table(idx.v6, b.hnp[i]!.len);
      const id = b.hnpIds[i]!;
      e.idx.add(this.addrs.word(id, 0) & e.m0, this.addrs.word(id, 1) & e.m1, b.index);
    }
  }

  /** True when b holds its keys in the key table (another live binding may have taken one over). */
  private ownsKeys(b: Binding): boolean {
    const id = b.pair!.id;
    if (b.uplinkKey !== null && this.keyTable.get(id * 2, b.uplinkKey | 0) !== b.index) return false;
    return b.downlinkKey === null || this.keyTable.get(id * 2 + 1, b.downlinkKey | 0) === b.index;
  }

  /**
   * What `unindex(b); index(b)` does when nothing indexed changes (same endpoints, keys b owns,
   * prefixes, IPv4 home address), minus what can never be observed: the key table and the
   * live-address indexes end up as they were, so they are not touched; the stale key and stale
   * IPv4 entries it would write are read only for a key / address that no live binding of the
   * pair holds, and b holds them until its next unindex(), which writes them again. What stays:
   * the live set's order (liveBindingsBetween) and the stale IPv6 prefix entries (hashed, with
   * per-length maps made in first-use order, which staleInnerMatch follows).
   */
  private keepIndexed(b: Binding): void {
    const idx = b.pair!;
    idx.live.delete(b);
    idx.live.add(b);
    for (let k = 0; k < b.hnp.length; k++) {
      const len = b.hnp[k]!.len;
      this.setStaleV6(idx, len, this.addrs.hashBits(b.hnpIds[k]!, len), b.index);
    }
  }

  /** Records b (index) as the last binding of the pair that held a prefix (length, hash). */
  private setStaleV6(idx: PairIndex, len: number, hash: number, b: number): void {
    if (!idx.staleV6Lens.includes(len)) idx.staleV6Lens.push(len);
    this.staleV6.set((idx.id << 8) | len, hash, b);
  }

  private unindex(b: Binding): void {
    const idx = b.pair;
    if (!idx) return;
    b.pair = null;
    idx.live.delete(b);
    if (b.uplinkKey !== null && this.keyTable.get(idx.id * 2, b.uplinkKey | 0) === b.index) {
      this.keyTable.delete(idx.id * 2, b.uplinkKey | 0);
      this.staleKeys.set(idx.id * 2, b.uplinkKey | 0, b.index);
    }
    if (b.downlinkKey !== null && this.keyTable.get(idx.id * 2 + 1, b.downlinkKey | 0) === b.index) {
      this.keyTable.delete(idx.id * 2 + 1, b.downlinkKey | 0);
      this.staleKeys.set(idx.id * 2 + 1, b.downlinkKey | 0, b.index);
    }
    if (b.hoaNum >= 0) {
      idx.v4.remove(b.hoaNum | 0, 0, b.index);
      this.staleV4.set(idx.id, b.hoaNum | 0, b.index);
    }
    for (let k = 0; k < b.hnp.length; k++) {
      const len = b.hnp[k]!.len;
      const id = b.hnpIds[k]!;
      const e = v6Table(idx.v6, len);
      e.idx.remove(this.addrs.word(id, 0) & e.m0, this.addrs.word(id, 1) & e.m1, b.index);
      this.setStaleV6(idx, len, this.addrs.hashBits(id, len), b.index);
    }
  }

  // ====================================================================== time

  /** Advances the clock to `t` (epoch seconds), expiring bindings whose lifetime ran out before it. */
  private tick(t: number): void {
    if (t > this.now) this.now = t;
    if (t > this.nextExpiry) this.expireUntil(t);
  }

  private expireUntil(t: number): void {
    while (this.heapT.length && this.heapT[0]! < t) {
      const b = this.heapB[0]!;
      const epoch = this.heapE[0]!;
      this.heapPop();
      if (epoch !== b.expiryEpoch || b.state !== 'active') continue;
      // A renewal PBU sent before expiry and not yet answered keeps the entry until its PBA.
      if (b.pendingRenewals > 0) {
        b.expiryDeferred = true;
        continue;
      }
      this.expire(b);
    }
    this.nextExpiry = this.heapT.length ? this.heapT[0]! : Infinity;
  }

  private heapPush(t: number, b: Binding, e: number): void {
    const T = this.heapT;
    const B = this.heapB;
    const E = this.heapE;
    // drop stale entries when the heap is much larger than the live set
    if (T.length > 1024 && T.length > 4 * this.liveCount) this.compactHeap();
    let i = T.length;
    T.push(t);
    B.push(b);
    E.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (T[p]! <= t) break;
      T[i] = T[p]!;
      B[i] = B[p]!;
      E[i] = E[p]!;
      i = p;
    }
    T[i] = t;
    B[i] = b;
    E[i] = e;
    this.nextExpiry = T[0]!;
  }

  private heapPop(): void {
    const T = this.heapT;
    const B = this.heapB;
    const E = this.heapE;
    const lastT = T.pop()!;
    const lastB = B.pop()!;
    const lastE = E.pop()!;
    const n = T.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && T[c + 1]! < T[c]!) c++;
      if (T[c]! >= lastT) break;
      T[i] = T[c]!;
      B[i] = B[c]!;
      E[i] = E[c]!;
      i = c;
    }
    T[i] = lastT;
    B[i] = lastB;
    E[i] = lastE;
  }

  private compactHeap(): void {
    const items: [number, Binding, number][] = [];
    for (let i = 0; i < this.heapT.length; i++) {
      const b = this.heapB[i]!;
      if (this.heapE[i] === b.expiryEpoch && b.state === 'active') items.push([this.heapT[i]!, b, this.heapE[i]!]);
    }
    items.sort((a, b) => a[0] - b[0]); // a sorted array is a valid heap
    this.heapT = items.map((x) => x[0]);
    this.heapB = items.map((x) => x[1]);
    this.heapE = items.map((x) => x[2]);
  }

  // ====================================================================== data

  /**
   * Attributes one tunnelled data frame. Returns the reused result object (valid until the
   * next call).
   */
  data(ev: DataEvent): DataResult {
    const c = this.counts;
    c.frames++;
    c.dataFrames++;
    const t = ev.tsSec + ev.tsNsec * 1e-9;
    if (t > this.now) this.now = t;
    if (t > this.nextExpiry) this.expireUntil(t);
    const r = this.result;
    r.bindingId = 0;
    r.candidate = null;
    r.reason = -1;
    r.direction = DIR_NONE;
    let bindex = -1; // index of the binding the frame is attributed to
    const dv = viewOf(ev.data); // to read addresses as words
    let srcId = -1;
    let dstId = -1;
    let code = this.endpoints.get(dv, ev.outerSrc, ev.outerDst, ev.outerLen);
    if (code < 0) {
      srcId = this.addrs.lookupView(dv, ev.outerSrc, ev.outerLen);
      dstId = srcId < 0 ? -1 : this.addrs.lookupView(dv, ev.outerDst, ev.outerLen);
      code = dstId < 0 ? -1 : this.pairTable.get(srcId, dstId);
      if (code >= 0) this.endpoints.add(dv, ev.outerSrc, ev.outerDst, ev.outerLen, code);
    }
    if (code < 0) {
      r.reason = R_NO_BINDING;
    } else {
      const idx = this.pairList[code >> 1]!;
      const dir = code & 1 ? DIR_DOWN : DIR_UP;
      r.direction = dir;
      if (ev.hasKey) {
        const key = ev.key | 0;
        const bi = this.keyTable.get(code, key);
        if (bi >= 0) {
          bindex = bi;
        } else {
          const other = this.keyTable.get(code ^ 1, key);
          if (other >= 0) {
            r.reason = R_WRONG_DIRECTION;
            r.candidate = this.all[other]!;
          } else {
            // a key of a binding that expired, was de-registered, changed keys or moved away
            const stale = this.staleKeys.get(code, key);
            if (stale >= 0) {
              r.reason = R_STALE;
              r.candidate = this.all[stale]!;
            } else {
              r.reason = R_UNKNOWN_KEY;
              const inner = this.innerMatch(idx, ev, dir);
              r.candidate = inner >= 0 ? this.all[inner]! : null;
            }
          }
        }
      } else {
        const inner = this.innerMatch(idx, ev, dir);
        if (inner === MULTIPLE) r.reason = R_AMBIGUOUS;
        else if (inner >= 0) bindex = inner;
        else if (idx.live.size === 1 && ev.innerLen === 0) bindex = idx.live.values().next().value!.index; // nothing else to tell by
        else {
          const stale = this.staleInnerMatch(idx, ev, dir);
          r.reason = stale !== null ? R_STALE : R_NO_BINDING;
          r.candidate = stale;
        }
      }
    }
    if (bindex >= 0) {
      r.bindingId = bindex + 1;
      c.attributedFrames++;
      const a = this.stats.hot;
      const slot = (bindex * 2 + (r.direction === DIR_UP ? 0 : 1)) * S_STRIDE;
      a[slot + S_FRAMES]++;
      a[slot + S_BYTES] += ev.bytes;
      if (a[slot + S_FIRST] === 0) a[slot + S_FIRST] = ev.frame;
      a[slot + S_LAST] = ev.frame;
      if (ev.hasSeq) {
        const q = this.stats.seq;
        const seq = ev.seq;
        const last = q[slot + Q_SEQ]!;
        if (last >= 0) {
          const d = (seq - last + TWO32) % TWO32;
          if (d === 1) q[slot + Q_SEQ] = seq;
          else if (d === 0 || d >= 0x80000000) q[slot + Q_REORDERED]++;
          else {
            q[slot + Q_GAPS]++;
            q[slot + Q_MISSING] += d - 1;
            q[slot + Q_SEQ] = seq;
          }
        } else q[slot + Q_SEQ] = seq;
      }
    } else {
      c.unattributedFrames++;
      this.aggregate(ev, r, srcId, dstId);
    }
    const ls = this.lData;
    for (let i = 0; i < ls.length; i++) ls[i]!.onData!(ev, r);
    return r;
  }

  /**
   * The live binding whose home address holds the frame's MN-side inner address (uplink: inner
   * source, downlink: inner destination): its index, -1 for none, MULTIPLE when several do.
   */
  private innerMatch(idx: PairIndex, ev: DataEvent, dir: number): number {
    if (ev.innerLen === 0) return -1;
    const off = dir === DIR_UP ? ev.innerSrc : ev.innerDst;
    const dv = viewOf(ev.data);
    if (ev.innerLen === 4) return idx.v4.get(dv.getInt32(off), 0);
    const tables = idx.v6;
    if (tables.length === 0) return -1;
    const w0 = dv.getInt32(off);
    const w1 = dv.getInt32(off + 4);
    let found = -1;
    for (let i = 0; i < tables.length; i++) {
      const e = tables[i]!;
      let v = e.idx.get(w0 & e.m0, w1 & e.m1);
      if (v === -1) continue;
      if (e.verify) {
        // keyed by the first 64 bits only: keep the bindings whose whole prefix matches
        const ok = e.idx.all(w0 & e.m0, w1 & e.m1).filter((x) => this.all[x]!.hnp.some((h, j) => h.len === e.len && this.addrs.prefixEquals(this.all[x]!.hnpIds[j]!, ev.data, off, e.len)));
        v = ok.length === 0 ? -1 : ok.length === 1 ? ok[0]! : MULTIPLE;
        if (v === -1) continue;
      }
      if (v === MULTIPLE || (found >= 0 && found !== v)) return MULTIPLE;
      found = v;
    }
    return found;
  }

  private staleInnerMatch(idx: PairIndex, ev: DataEvent, dir: number): Binding | null {
    if (ev.innerLen === 0) return null;
    const off = dir === DIR_UP ? ev.innerSrc : ev.innerDst;
    if (ev.innerLen === 4) {
      const i = this.staleV4.get(idx.id, ipv4Number(ev.data, off) | 0);
      return i >= 0 ? this.all[i]! : null;
    }
    for (const len of idx.staleV6Lens) {
      const i = this.staleV6.get((idx.id << 8) | len, hashBits(ev.data, off, len));
      if (i >= 0) return this.all[i]!;
    }
    return null;
  }

  private aggregate(ev: DataEvent, r: DataResult, srcId: number, dstId: number): void {
    if (srcId < 0) srcId = this.addrs.intern(ev.data, ev.outerSrc, ev.outerLen);
    if (dstId < 0) dstId = this.addrs.intern(ev.data, ev.outerDst, ev.outerLen);
    const bi = this.unattrPairs.get(srcId, dstId);
    let bucket: UnattributedBucket;
    if (bi >= 0) bucket = this.unattrBuckets[bi]!;
    else {
      bucket = new UnattributedBucket();
      this.unattrPairs.set(srcId, dstId, this.unattrBuckets.length);
      this.unattrBuckets.push(bucket);
    }
    let a = ev.hasKey ? bucket.keyed.get(ev.key | 0) : bucket.unkeyed;
    if (a === undefined || a === null) {
      a = new UnattributedAggregate(ev.hasKey ? ev.key >>> 0 : null, this.addrs.text(srcId), this.addrs.text(dstId));
      a.firstFrame = ev.frame;
      a.encap = ev.encap;
      a.direction = r.direction;
      if (ev.hasKey) bucket.keyed.set(ev.key | 0, a);
      else bucket.unkeyed = a;
      this.unattrList.push(a);
    }
    a.frames++;
    a.bytes += ev.bytes;
    a.lastFrame = ev.frame;
    if (a.frameNumbers.length < UNATTRIBUTED_FRAME_CAP) a.frameNumbers.push(ev.frame);
    a.reasons[r.reason]!++;
    if (r.candidate !== null) a.candidate = r.candidate;
  }

  // ====================================================================== end

  private collectPending(): UnansweredPbu[] {
    const out: UnansweredPbu[] = [];
    for (const list of this.pendingLists) {
      if (list) for (const p of list) out.push({ pbu: p.ev, binding: p.binding, kind: p.kind, retransmissions: p.retrans });
    }
    out.sort((a, b) => a.pbu.frame - b.pbu.frame);
    return out;
  }

  /**
   * Ends the input: reports unanswered PBUs (each also goes into its binding's history) and
   * expires bindings whose renewal was never answered. Idempotent.
   */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const pend: Pending[] = [];
    for (const list of this.pendingLists) if (list) pend.push(...list);
    pend.sort((a, b) => a.ev.frame - b.ev.frame);
    this.pendingLists.length = 0;
    this.pendingFree.length = 0;
    this.unanswered = [];
    for (const p of pend) {
      const b = p.binding;
      b.addHistory({
        frame: p.ev.frame, kind: 'unanswered', time: p.ev.tsSec + p.ev.tsNsec * 1e-9, status: null,
        attempted: p.kind, mag: p.ev.src, ...(p.ev.hi >= 0 ? { hi: p.ev.hi } : {}),
      });
      if (p.renewal) b.pendingRenewals--;
      this.unanswered.push({ pbu: p.ev, binding: b, kind: p.kind, retransmissions: p.retrans });
      for (const l of this.lUnans) l.onUnansweredPbu!(p.ev, b);
    }
    for (const b of this.all) {
      if (b.state === 'active' && b.expiryDeferred && b.pendingRenewals === 0 && b.expiresAt < this.now) this.expire(b);
    }
    for (const b of this.all) if (!inHistoryOrder(b.history)) b.history.sort(historyOrder);
    for (const l of this.lFinish) l.onFinish!();
  }
}

function historyOrder(a: HistoryEntry, b: HistoryEntry): number {
  return a.time - b.time || (a.frame ?? 0) - (b.frame ?? 0);
}

/** True when sorting by historyOrder would change nothing (the usual case: events come in time order). */
function inHistoryOrder(h: readonly HistoryEntry[]): boolean {
  for (let i = 1; i < h.length; i++) if (historyOrder(h[i - 1]!, h[i]!) > 0) return false;
  return true;
}


/**
 * The MN identity of a PBU: its MN-ID option (RFC 5213 requires it). Without one, fall back
 * to the first home network prefix, then the IPv4 home address, then the MAG.
 */
function identityOf(ev: SignallingEvent): string {
  if (ev.mnId !== null) return ev.mnId;
  const h = ev.hnp.find((x) => x.prefix !== '::');
  if (h) return `\0hnp:${h.prefix}/${h.len}`;
  if (ev.ipv4Hoa !== null && ev.ipv4Hoa !== '0.0.0.0') return `\0v4:${ev.ipv4Hoa}`;
  return `\0mag:${ev.src}`;
}

/**
 * True when `given` (a PBU's or PBA's prefixes) without its '::' entries equals `current`:
 * a renewal then keeps the binding's arrays instead of building equal ones.
 */
function sameHnps(current: readonly HomePrefix[], given: readonly HomePrefix[]): boolean {
  let j = 0;
  for (let i = 0; i < given.length; i++) {
    const g = given[i]!;
    if (g.prefix === '::') continue;
    const c = current[j++];
    if (c === undefined || c.prefix !== g.prefix || c.len !== g.len) return false;
  }
  return j === current.length && j > 0;
}

/** The prefixes other than `::` (unspecified), in a new array of exactly their number (see addHistory). */
function specifiedPrefixes(given: readonly HomePrefix[]): HomePrefix[] {
  for (const h of given) if (h.prefix === '::') return given.filter((x) => x.prefix !== '::').slice();
  return given.slice();
}

function sameMn(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}

/** Message kind of a PBU against the binding's current state (RFC 5213 §5.3; lint-rules.md §0). */
function classify(b: Binding, pbu: SignallingEvent): MessageKind {
  if (pbu.lifetime === 0) return 'deregistration';
  if (b.state === 'active') return pbu.src === b.mag ? 'lifetime-extension' : 'handoff';
  return 'initial';
}
