/**
 * The fault catalog: one entry per named fault, as data. Each entry says which lint rule(s) of
 * shared/spec/lint-rules.md it exercises, what it does, where it applies (PBU, PBA, uplink or
 * downlink data, or the session), which built-in scenario shows it, which fields it changes,
 * and the mutation itself. A mutation edits the frame spec before it is built, so lengths,
 * padding and checksums that depend on the change are recomputed and nothing else moves: the
 * capture differs from the fault-free one only in the named fields (plus those derived values).
 *
 * Faults never draw from the random generator, so enabling one does not shift any other value.
 */
import { BA_FLAG, BU_FLAG } from '../dissectors/mip6/layout.js';
import type { MhSpec, MobilityOption, PbaBody, PbuBody } from '../dissectors/mip6/build.js';
import { serializeMh } from '../dissectors/mip6/build.js';
import { indexOf, innerIndex, layer, sizeFrom, type FrameSpec } from './frames.js';
import type { GreMode, Transport } from './model.js';

export type ExchangeKind = 'initial' | 'retry' | 'reregister' | 'handoff' | 'deregister';

/** What a PBU/PBA fault can see about the exchange it is applied to. */
export interface SignalContext {
  msg: 'pbu' | 'pba';
  exchange: ExchangeKind;
  transport: Transport;
  /** Status of the PBA that answers (answered) this exchange. */
  status: number;
  pbuGre: GreMode;
  pbuT: boolean;
  pbaGre: GreMode;
  pbaT: boolean;
  pbuSeq: number;
  /** Downlink key of this PBU, or the one the session negotiated before. */
  dlKey?: number;
  ulKey?: number;
  /** After status 2 for this session (RFC 5845 §4.2). */
  greNotRequired: boolean;
  /** The MAG treats this LMA as not supporting RFC 5845 (§4.2, N18/N19). */
  magNoSupport: boolean;
  /** The key the MAG will offer when it retries after status 163. */
  pendingDlKey?: number;
  /** Outer IPv4 addresses when the MH rides in UDP over IPv4. */
  srcIpv4?: string;
  dstIpv4?: string;
}

/** What a data fault can see about the session state the frame is sent in. */
export interface DataContext {
  msg: 'uplink' | 'downlink';
  transport: Transport;
  gre: GreMode;
  tlv: boolean;
  status3: boolean;
  greNotRequired: boolean;
  dlKey?: number;
  ulKey?: number;
}

/** Engine behaviours that are not one frame's bytes. */
export interface Quirks {
  /** The second session on a MAG gets the first one's downlink key. */
  dupDlKey?: boolean;
  /** The second session from a MAG to an LMA gets the first one's uplink key. */
  dupUlKey?: boolean;
  /** The capture starts after the initial registration (its PBU/PBA are not written). */
  dropInitialSignalling?: boolean;
  /** The third uplink GRE packet of a flow repeats the second one's sequence number. */
  greSeqRepeat?: boolean;
}

interface FaultBase {
  name: string;
  /** Rule ids exercised, primary first (shared/spec/lint-rules.md). */
  rules: string[];
  description: string;
  /** Built-in scenario that shows it. */
  scenario: string;
  /**
   * The fields the fault changes (Wireshark/gretool filter names; "x.*" and "x*" match by
   * prefix). Besides these, only DERIVED_FIELDS may differ from the fault-free capture.
   */
  fields: string[];
  /** True when the fault adds, removes or moves bytes (the frame's layout shifts). */
  moves?: boolean;
  /**
   * What the frame must have for the mutation (besides what `when` decides from the session):
   * checked on the frame spec, after the scenario's overrides and the faults before this one. A
   * frame without it is left alone (the fault does not apply to it); a fault that applies
   * nowhere for this reason is a usage error naming the need (checkFaults in ./index.ts).
   * PBU/PBA faults always need the Mobility Header (NEED.mh) besides.
   */
  needs?: readonly FrameNeed[];
}

/** Something a fault's mutation needs in the frame. */
export interface FrameNeed {
  /** What, for messages: "a GRE header", "GRE checksums (gre_checksum: true)". */
  text: string;
  has: (f: FrameSpec) => boolean;
}

export const NEED = {
  mh: { text: 'a Mobility Header', has: (f) => layer(f, 'mip6') !== undefined },
  greKey: { text: 'a GRE Key option', has: (f) => (layer(f, 'mip6')?.options ?? []).some((o) => o.type === 'grekey') },
  gre: { text: 'a GRE header', has: (f) => layer(f, 'gre') !== undefined },
  greChecksum: { text: 'GRE checksums (gre_checksum: true)', has: (f) => layer(f, 'gre')?.checksumPresent === true },
  tlv: { text: 'a TLV header', has: (f) => layer(f, 'tlv') !== undefined },
  /** The tunnel's UDP header (outside the inner packet, which may carry UDP of its own). */
  udp: {
    text: 'a tunnel UDP header',
    has: (f) => {
      const u = indexOf(f, 'udp');
      const inner = innerIndex(f);
      return u >= 0 && (inner < 0 || u < inner);
    },
  },
} as const satisfies Record<string, FrameNeed>;

export interface SignalFault extends FaultBase {
  target: 'pbu' | 'pba';
  when: (c: SignalContext) => boolean;
  mutate: (f: FrameSpec, c: SignalContext) => void;
}

export interface DataFault extends FaultBase {
  target: 'uplink' | 'downlink' | 'data';
  when: (c: DataContext) => boolean;
  mutate?: (f: FrameSpec, c: DataContext) => void;
  quirk?: keyof Quirks;
}

export interface SessionFault extends FaultBase {
  target: 'session';
  quirk: keyof Quirks;
}

export type FaultDef = SignalFault | DataFault | SessionFault;

export function isSignalFault(f: FaultDef): f is SignalFault {
  return f.target === 'pbu' || f.target === 'pba';
}

export function isDataFault(f: FaultDef): f is DataFault {
  return f.target === 'uplink' || f.target === 'downlink' || f.target === 'data';
}

export function isSessionFault(f: FaultDef): f is SessionFault {
  return f.target === 'session';
}

const SIGNAL_NEEDS: readonly FrameNeed[] = [NEED.mh];

/** The first thing the fault needs that the frame lacks (undefined: the mutation can apply). */
export function unmetNeed(f: SignalFault | DataFault, frame: FrameSpec): FrameNeed | undefined {
  if (isSignalFault(f)) for (const n of SIGNAL_NEEDS) if (!n.has(frame)) return n;
  if (f.needs) for (const n of f.needs) if (!n.has(frame)) return n;
  return undefined;
}

// ------------------------------------------------------------------ helpers

function mhOf(f: FrameSpec): MhSpec {
  const m = layer(f, 'mip6');
  if (!m) throw new Error('fault: frame has no Mobility Header');
  return m;
}
const pbuBody = (f: FrameSpec): PbuBody => mhOf(f).body as PbuBody;
const pbaBody = (f: FrameSpec): PbaBody => mhOf(f).body as PbaBody;
function greKeyOption(f: FrameSpec): Extract<MobilityOption, { type: 'grekey' }> {
  const o = (mhOf(f).options ?? []).find((x) => x.type === 'grekey');
  if (!o) throw new Error('fault: message has no GRE Key option');
  return o as Extract<MobilityOption, { type: 'grekey' }>;
}
function removeGreKey(f: FrameSpec): void {
  const m = mhOf(f);
  m.options = (m.options ?? []).filter((o) => o.type !== 'grekey');
}
function addGreKey(f: FrameSpec, key: number | undefined): void {
  const m = mhOf(f);
  (m.options ??= []).push({ type: 'grekey', key });
}
function greOf(f: FrameSpec) {
  const g = layer(f, 'gre');
  if (!g) throw new Error('fault: frame has no GRE header');
  return g;
}
function tlvOf(f: FrameSpec) {
  const t = layer(f, 'tlv');
  if (!t) throw new Error('fault: frame has no TLV header');
  return t;
}
/** Removes the layers of `kinds` (first occurrence of each). */
function removeLayers(f: FrameSpec, ...kinds: ('gre' | 'tlv' | 'udp')[]): void {
  for (const k of kinds) {
    const i = indexOf(f, k);
    if (i >= 0) f.layers.splice(i, 1);
  }
}
/** A derived, RNG-free key for faults that hand out a key the scenario never chose. */
const derivedKey = (seed: number): number => (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) >>> 0) | 1;
const ok = (s: number): boolean => s < 128;
const ipv4Mapped = (a: string): string => `::ffff:${a}`;

/** The GRE Key option's own fields (the option container included). */
const GREKEY_OPT = ['mip6.options.grek', 'mip6.gre_key', 'gretool.mip6.gre_key_hex', 'gretool.mip6.grekey.reserved', 'mip6.ipv4dra.reserved'];

/**
 * Values a builder computes from others: lengths, checksums, option padding, and the payload
 * containers that hold a changed header. Any fault may change these besides its own fields.
 */
export const DERIVED_FIELDS: readonly string[] = [
  'ip.len',
  'ip.checksum',
  'ip.checksum_calculated',
  'ipv6.plen',
  'udp.length',
  'udp.checksum',
  'udp.checksum_calculated',
  'udp.payload',
  'data.data',
  'data.len',
  'gre.checksum',
  'pmip6.tlv.length',
  'pmip6.tlv.length.expected',
  'mip6.hlen',
  'gretool.mip6.length',
  'mip6.csum',
  'gretool.mip6.csum.calculated',
  'mip6.options.pad1',
  'mip6.options.padn',
  'mip6.padn',
  'mip6.mobility_opt.len',
];

/** True when `name` matches one of the patterns ("x.*" / "x*" by prefix). */
export function fieldMatches(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) =>
    p.endsWith('.*') ? name === p.slice(0, -2) || name.startsWith(p.slice(0, -1)) : p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p,
  );
}

// ------------------------------------------------------------------ the catalog

export const FAULTS: readonly FaultDef[] = [
  // ---- §1 packet rules on PBU / PBA
  {
    name: 'grekey-len4',
    rules: ['P-GREKEY-BAD-LEN'],
    description: 'PBU GRE Key option with Length 4 (only 2 and 6 are defined): the key is cut to its first 2 octets',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: [...GREKEY_OPT],
    needs: [NEED.greKey],
    when: (c) => c.pbuGre === 'keys',
    mutate: (f) => void (greKeyOption(f).length = 4),
  },
  {
    name: 'grekey-reserved',
    rules: ['P-GREKEY-RESERVED-NONZERO'],
    description: 'PBU GRE Key option with its 16-bit Reserved field set to 0x8001',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: ['gretool.mip6.grekey.reserved', 'mip6.ipv4dra.reserved'],
    needs: [NEED.greKey],
    when: (c) => c.pbuGre !== 'none',
    mutate: (f) => void (greKeyOption(f).reserved = 0x8001),
  },
  {
    name: 'grekey-misaligned',
    rules: ['P-GREKEY-MISALIGNED'],
    description: 'PBU GRE Key option placed at 4n+2 (a 2-octet PadN in front of it) instead of 4n',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: [],
    moves: true,
    needs: [NEED.greKey],
    when: (c) => c.pbuGre !== 'none',
    mutate: (f) => void (greKeyOption(f).misalign = 2),
  },
  {
    name: 'grekey-duplicate',
    rules: ['P-GREKEY-DUPLICATE'],
    description: 'PBU with a second GRE Key option carrying a different key',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.pbuGre === 'keys',
    mutate: (f, c) => addGreKey(f, derivedKey(c.dlKey ?? 0)),
  },
  {
    name: 'grekey-no-p-flag',
    rules: ['P-GREKEY-WRONG-MSG'],
    description: 'Binding Update carrying a GRE Key option with the Proxy (P) flag cleared',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: ['mip6.bu.p_flag'],
    when: (c) => c.pbuGre !== 'none',
    mutate: (f) => void (pbuBody(f).flags &= ~BU_FLAG.P),
  },
  {
    name: 'status2-with-grekey',
    rules: ['P-PBA-S2-HAS-GREKEY'],
    description: 'status-2 PBA (GRE_KEY_OPTION_NOT_REQUIRED) that still carries a GRE Key option with a key',
    target: 'pba',
    scenario: 'status-2',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.status === 2,
    mutate: (f, c) => addGreKey(f, derivedKey(c.dlKey ?? c.pbuSeq)),
  },
  {
    name: 'status3-t-set',
    rules: ['P-PBA-S3-T-SET'],
    description: 'status-3 PBA (GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED) with the T flag set',
    target: 'pba',
    scenario: 'status-3',
    fields: ['mip6.ba.t_flag'],
    when: (c) => c.status === 3,
    mutate: (f) => void (pbaBody(f).flags |= BA_FLAG.T),
  },
  {
    name: 'status3-no-grekey',
    rules: ['P-PBA-S3-NO-GREKEY', 'S-PBA-S3-NO-GREKEY'],
    description: 'status-3 PBA without the GRE Key option (the uplink key was owed)',
    target: 'pba',
    scenario: 'status-3',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.status === 3 && c.pbaGre !== 'none',
    mutate: (f) => removeGreKey(f),
  },
  {
    name: 'reject-with-grekey',
    rules: ['P-PBA-REJECT-HAS-GREKEY'],
    description: 'rejecting PBA (status ≥ 128) that hands out an uplink key in a GRE Key option',
    target: 'pba',
    scenario: 'status-163',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => !ok(c.status),
    mutate: (f, c) => addGreKey(f, derivedKey(c.pbuSeq + 163)),
  },
  {
    name: 'pbu-t-no-grekey',
    rules: ['P-PBU-T-NO-GREKEY'],
    description: 'PBU over IPv4 with the T flag set but no GRE Key option (the de-registration PBU)',
    target: 'pbu',
    scenario: 'ipv4-udp-tlv',
    fields: ['mip6.bu.t_flag'],
    when: (c) => c.pbuGre === 'none' && !c.pbuT && c.transport === 'ipv4-udp',
    mutate: (f) => void (pbuBody(f).flags |= BU_FLAG.T),
  },
  {
    name: 'pba-t-no-grekey',
    rules: ['P-PBA-T-NO-GREKEY', 'S-LMA-T-WITHOUT-PBU-T'],
    description: 'successful PBA over IPv4 with T set but no GRE Key option (the de-registration PBA)',
    target: 'pba',
    scenario: 'ipv4-udp-tlv',
    fields: ['mip6.ba.t_flag'],
    when: (c) => ok(c.status) && c.pbaGre === 'none' && !c.pbaT && c.transport === 'ipv4-udp',
    mutate: (f) => void (pbaBody(f).flags |= BA_FLAG.T),
  },
  {
    name: 't-over-ipv6',
    rules: ['P-T-OVER-IPV6', 'S-PBA-S0-SHOULD-BE-S3'],
    description: 'PBU over IPv6 transport with the T flag set (the TLV format is for IPv4-UDP)',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: ['mip6.bu.t_flag'],
    when: (c) => c.transport === 'ipv6' && c.pbuGre !== 'none' && !c.pbuT && c.exchange !== 'deregister',
    mutate: (f) => void (pbuBody(f).flags |= BU_FLAG.T),
  },
  {
    name: 'dereg-with-grekey',
    rules: ['P-PBU-DEREG-HAS-GREKEY', 'S-MAG-DEREG-HAS-GREKEY'],
    description: 'de-registration PBU (Lifetime 0) of a keyed session that still carries the GRE Key option',
    target: 'pbu',
    scenario: 'deregistration',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.exchange === 'deregister' && c.pbuGre === 'none' && c.dlKey !== undefined,
    mutate: (f, c) => addGreKey(f, c.dlKey),
  },
  // ---- §3 pair and session rules (signalling)
  {
    name: 'pba-grekey-len2',
    rules: ['S-PBA-GREKEY-LEN-MISMATCH'],
    description: 'successful PBA answering a keyed PBU with a GRE Key option of Length 2 (no uplink key)',
    target: 'pba',
    scenario: 'initial-attach',
    fields: [...GREKEY_OPT],
    moves: true,
    needs: [NEED.greKey],
    when: (c) => ok(c.status) && c.pbuGre === 'keys' && c.pbaGre === 'keys',
    mutate: (f) => void delete greKeyOption(f).key,
  },
  {
    name: 'pba-drop-grekey',
    rules: ['S-MAG-LMA-NO-SUPPORT'],
    description: 'successful PBA without the GRE Key option although the PBU carried one (looks like an LMA without RFC 5845)',
    target: 'pba',
    scenario: 'initial-attach',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => ok(c.status) && c.status !== 2 && c.pbuGre !== 'none' && c.pbaGre !== 'none',
    mutate: (f) => removeGreKey(f),
  },
  {
    name: 'pba-unsolicited-grekey',
    rules: ['S-PBA-GREKEY-WITHOUT-PBU-GREKEY'],
    description: 'successful PBA carrying a GRE Key option although its PBU had none',
    target: 'pba',
    scenario: 'lma-ignores-grekey',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => ok(c.status) && c.pbuGre === 'none' && c.pbaGre === 'none' && c.exchange !== 'deregister',
    mutate: (f, c) => addGreKey(f, derivedKey(c.pbuSeq + 7)),
  },
  {
    name: 's163-pbu-had-grekey',
    rules: ['S-PBA-163-BUT-PBU-HAD-GREKEY'],
    description: 'the PBU answered with status 163 (GRE_KEY_OPTION_REQUIRED) did carry a GRE Key option',
    target: 'pbu',
    scenario: 'status-163',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.status === 163 && c.pbuGre === 'none',
    mutate: (f, c) => addGreKey(f, c.pendingDlKey ?? derivedKey(c.pbuSeq)),
  },
  {
    name: 's2-pbu-no-grekey',
    rules: ['S-PBA-S2-BUT-PBU-NO-GREKEY'],
    description: 'the PBU answered with status 2 (GRE_KEY_OPTION_NOT_REQUIRED) had no GRE Key option',
    target: 'pbu',
    scenario: 'status-2',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.status === 2 && c.pbuGre !== 'none',
    mutate: (f) => removeGreKey(f),
  },
  {
    name: 's3-pbu-no-t',
    rules: ['S-PBA-S3-BUT-PBU-NO-T'],
    description: 'the PBU answered with status 3 had the T flag cleared',
    target: 'pbu',
    scenario: 'status-3',
    fields: ['mip6.bu.t_flag'],
    when: (c) => c.status === 3 && c.pbuT,
    mutate: (f) => void (pbuBody(f).flags &= ~BU_FLAG.T),
  },
  {
    name: 'pba-t-without-pbu-t',
    rules: ['S-LMA-T-WITHOUT-PBU-T', 'P-T-OVER-IPV6'],
    description: 'successful PBA with the T flag set although the PBU had it cleared',
    target: 'pba',
    scenario: 'initial-attach',
    fields: ['mip6.ba.t_flag'],
    when: (c) => ok(c.status) && c.status !== 3 && !c.pbuT && !c.pbaT && c.pbaGre !== 'none',
    mutate: (f) => void (pbaBody(f).flags |= BA_FLAG.T),
  },
  {
    name: 'pba-t-cleared',
    rules: ['S-PBA-S0-SHOULD-BE-S3', 'S-TLV-WITHOUT-NEGOTIATION'],
    description: 'PBA status 0 with the GRE Key option but T cleared, answering a PBU with T set (should be T, or status 3)',
    target: 'pba',
    scenario: 'ipv4-udp-tlv',
    fields: ['mip6.ba.t_flag'],
    when: (c) => c.status === 0 && c.pbuT && c.pbaT && c.pbaGre !== 'none',
    mutate: (f) => void (pbaBody(f).flags &= ~BA_FLAG.T),
  },
  {
    name: 'ul-key-changed',
    rules: ['S-LMA-UL-KEY-CHANGED'],
    description: 'the PBA of a lifetime extension or handoff hands out a different uplink key (data keeps the old one)',
    target: 'pba',
    scenario: 'lifetime-extension',
    fields: ['mip6.gre_key', 'gretool.mip6.gre_key_hex'],
    needs: [NEED.greKey],
    when: (c) => ok(c.status) && (c.exchange === 'reregister' || c.exchange === 'handoff') && c.pbaGre === 'keys',
    mutate: (f, c) => void (greKeyOption(f).key = (c.ulKey ?? 0) ^ 0x40000000),
  },
  {
    name: 'rereg-t-changed',
    rules: ['S-TLV-CHANGED-ON-REREG', 'S-LMA-T-WITHOUT-PBU-T'],
    description: 'lifetime-extension PBU from the same MAG with the T flag cleared although TLV was negotiated (the PBA keeps T)',
    target: 'pbu',
    scenario: 'ipv4-udp-tlv',
    fields: ['mip6.bu.t_flag'],
    when: (c) => c.exchange === 'reregister' && c.pbuT,
    mutate: (f) => void (pbuBody(f).flags &= ~BU_FLAG.T),
  },
  {
    name: 'rereg-no-grekey',
    rules: ['S-MAG-REREG-NO-GREKEY'],
    description: 'lifetime-extension PBU of a keyed session without the GRE Key option',
    target: 'pbu',
    scenario: 'lifetime-extension',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.exchange === 'reregister' && c.pbuGre === 'keys',
    mutate: (f) => removeGreKey(f),
  },
  {
    name: 'handoff-no-grekey',
    rules: ['S-MAG-HANDOFF-NO-GREKEY', 'S-PBA-GREKEY-WITHOUT-PBU-GREKEY'],
    description: 'handoff PBU from the new MAG of a keyed session without the GRE Key option',
    target: 'pbu',
    scenario: 'handoff',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.exchange === 'handoff' && c.pbuGre !== 'none',
    mutate: (f) => removeGreKey(f),
  },
  {
    name: 'rereg-dl-key-changed',
    rules: ['S-MAG-REREG-DL-KEY-CHANGED'],
    description: 'lifetime-extension PBU from the same MAG offering a different downlink key (data keeps the old one)',
    target: 'pbu',
    scenario: 'lifetime-extension',
    fields: ['mip6.gre_key', 'gretool.mip6.gre_key_hex'],
    needs: [NEED.greKey],
    when: (c) => c.exchange === 'reregister' && c.pbuGre === 'keys',
    mutate: (f, c) => void (greKeyOption(f).key = (c.dlKey ?? 0) ^ 0x80000000),
  },
  {
    name: 'no-retry-after-163',
    rules: ['S-MAG-NO-RETRY-AFTER-163'],
    description: 'after status 163 the MAG resends the PBU still without the GRE Key option',
    target: 'pbu',
    scenario: 'status-163',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.exchange === 'retry' && c.pbuGre !== 'none',
    mutate: (f) => removeGreKey(f),
  },
  {
    name: 'grekey-after-s2',
    rules: ['S-MAG-GREKEY-AFTER-S2'],
    description: 'after a status-2 PBA, a later PBU of the same session carries the GRE Key option again',
    target: 'pbu',
    scenario: 'status-2',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.greNotRequired && c.pbuGre === 'none' && c.exchange !== 'deregister',
    mutate: (f, c) => addGreKey(f, c.dlKey ?? derivedKey(c.pbuSeq)),
  },
  {
    name: 'grekey-after-no-support',
    rules: ['S-MAG-GREKEY-AFTER-NO-SUPPORT'],
    description: 'the MAG keeps sending the GRE Key option to an LMA that answered a keyed PBU without it',
    target: 'pbu',
    scenario: 'lma-ignores-grekey',
    fields: [...GREKEY_OPT],
    moves: true,
    when: (c) => c.magNoSupport && c.pbuGre === 'none' && c.exchange !== 'deregister',
    mutate: (f, c) => addGreKey(f, c.dlKey ?? derivedKey(c.pbuSeq + 33)),
  },
  {
    name: 'pba-unmatched',
    rules: ['S-PBA-UNMATCHED'],
    description: 'the PBA carries a Sequence # one above its PBU’s, so no PBU matches it',
    target: 'pba',
    scenario: 'initial-attach',
    fields: ['mip6.ba.seqnr'],
    when: () => true,
    mutate: (f) => void (pbaBody(f).seq = (pbaBody(f).seq + 1) & 0xffff),
  },
  // ---- §4 Mobility Header base rules
  {
    name: 'mh-payload-proto',
    rules: ['P-MH-PAYLOAD-PROTO'],
    description: 'PBU Mobility Header with Payload Proto 6 instead of 59 (IPPROTO_NONE)',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: ['mip6.proto'],
    when: () => true,
    mutate: (f) => void (mhOf(f).payloadProto = 6),
  },
  {
    name: 'mh-hdrlen-overrun',
    rules: ['P-MH-HDRLEN'],
    description: 'PBU Mobility Header Len one unit (8 octets) larger than the message',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: ['mip6.hlen', 'gretool.mip6.length'],
    when: () => true,
    mutate: (f) => {
      const m = mhOf(f);
      m.headerLen = serializeMh(m).bytes.length / 8;
    },
  },
  {
    name: 'mh-opt-overrun',
    rules: ['P-MH-OPT-OVERRUN'],
    description: 'the last option of the PBU has a Length that runs 8 octets past the end of the Mobility Header',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: ['mip6.mobility_opt.len'],
    when: () => true,
    mutate: (f) => {
      const m = mhOf(f);
      const opts = m.options ?? [];
      const last = opts[opts.length - 1];
      if (!last || last.type === 'pad1') return;
      const { bytes, optionOffsets } = serializeMh(m);
      const start = optionOffsets[opts.length - 1]!;
      last.length = bytes.length - start - 2 + 8;
      last.lengthOnly = true;
    },
  },
  {
    name: 'mh-checksum-bad',
    rules: ['P-MH-CKSUM-BAD'],
    description: 'PBU over IPv6 with a wrong Mobility Header checksum (the right one XOR 0x5A5A)',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: ['mip6.csum'],
    when: (c) => c.transport === 'ipv6',
    mutate: (f) => void (mhOf(f).badChecksum = 0x5a5a),
  },
  {
    name: 'mh-checksum-over-udp',
    rules: ['P-MH-CKSUM-NONZERO-UDP'],
    description: 'PBU over IPv4/UDP with a computed (non-zero) MH checksum, over IPv4-mapped addresses, instead of 0',
    target: 'pbu',
    scenario: 'ipv4-udp-tlv',
    fields: ['mip6.csum'],
    when: (c) => c.transport === 'ipv4-udp' && c.srcIpv4 !== undefined,
    mutate: (f, c) => void (mhOf(f).pseudo = { src: ipv4Mapped(c.srcIpv4!), dst: ipv4Mapped(c.dstIpv4!) }),
  },
  {
    name: 'mh-reserved',
    rules: ['P-MH-RESERVED-NONZERO'],
    description: 'PBU Mobility Header Reserved octet (MH+3) set to 0x80',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: ['mip6.reserved'],
    when: () => true,
    mutate: (f) => void (mhOf(f).reserved = 0x80),
  },
  {
    name: 'bu-reserved-flags',
    rules: ['P-BU-RESERVED-FLAGS'],
    description: 'PBU with an unassigned flag bit (0x0001 of the flags word) set',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: ['gretool.mip6.bu.reserved'],
    when: () => true,
    mutate: (f) => void (pbuBody(f).flags |= 0x0001),
  },
  {
    name: 'ba-reserved-flags',
    rules: ['P-BA-RESERVED-FLAGS'],
    description: 'PBA with an unassigned flag bit (0x01 of the flags octet) set',
    target: 'pba',
    scenario: 'initial-attach',
    fields: ['gretool.mip6.ba.reserved'],
    when: () => true,
    mutate: (f) => void (pbaBody(f).flags |= 0x01),
  },
  {
    name: 'b-without-p',
    rules: ['P-B-WITHOUT-P'],
    description: 'de-registration Binding Update with the B flag set and the P flag cleared',
    target: 'pbu',
    scenario: 'deregistration',
    fields: ['mip6.bu.b_flag', 'mip6.bu.p_flag'],
    when: (c) => c.exchange === 'deregister' && c.pbuGre === 'none',
    mutate: (f) => void (pbuBody(f).flags = (pbuBody(f).flags & ~BU_FLAG.P) | BU_FLAG.B),
  },
  {
    name: 'padn-nonzero',
    rules: ['P-PADN-NONZERO'],
    description: 'the PadN options of the PBU carry 0xA5 octets instead of zeros',
    target: 'pbu',
    scenario: 'initial-attach',
    fields: ['mip6.padn'],
    when: () => true,
    mutate: (f) => void (mhOf(f).padFill = 0xa5),
  },
  // ---- §2 data plane: UDP / TLV
  {
    name: 'udp-gre-no-tlv',
    rules: ['P-UDP-GRE-WITHOUT-TLV', 'S-MAG-TLV-NOT-USED'],
    description: 'uplink GRE sent in UDP 5437 without the TLV header in front',
    target: 'uplink',
    scenario: 'ipv4-udp-tlv',
    fields: ['pmip6.tlv*'],
    moves: true,
    when: (c) => c.tlv,
    mutate: (f) => removeLayers(f, 'tlv'),
  },
  {
    name: 'tlv-type-nonzero',
    rules: ['P-UDP-PAYLOAD-UNKNOWN'],
    description: 'uplink TLV header with Type 1 (only 0 is defined; the payload no longer demultiplexes)',
    target: 'uplink',
    scenario: 'ipv4-udp-tlv',
    fields: ['pmip6.tlv.type'],
    needs: [NEED.tlv],
    when: (c) => c.tlv,
    mutate: (f) => void (tlvOf(f).type = 1),
  },
  {
    name: 'tlv-len-mismatch',
    rules: ['P-TLV-LEN-MISMATCH'],
    description: 'uplink TLV Length 4 octets larger than UDP Length − 8 − 4',
    target: 'uplink',
    scenario: 'ipv4-udp-tlv',
    fields: ['pmip6.tlv.length'],
    needs: [NEED.tlv],
    when: (c) => c.tlv,
    mutate: (f) => void (tlvOf(f).length = sizeFrom(f, indexOf(f, 'tlv')) - 4 + 4),
  },
  {
    name: 'tlv-reserved',
    rules: ['P-TLV-RESERVED-NONZERO'],
    description: 'uplink TLV header with its 4 reserved bits set to 0x5',
    target: 'uplink',
    scenario: 'ipv4-udp-tlv',
    fields: ['pmip6.tlv.reserved'],
    needs: [NEED.tlv],
    when: (c) => c.tlv,
    mutate: (f) => void (tlvOf(f).reserved = 5),
  },
  {
    name: 'tlv-nh-ipv4',
    rules: ['P-TLV-NH-NOT-GRE', 'S-MAG-GRE-NOT-USED'],
    description: 'uplink TLV carrying the inner IP packet directly (Next Header 4/41, no GRE header)',
    target: 'uplink',
    scenario: 'ipv4-udp-tlv',
    fields: ['gre.*', 'pmip6.tlv.next_header'],
    moves: true,
    when: (c) => c.tlv,
    mutate: (f) => removeLayers(f, 'gre'),
  },
  {
    name: 'tlv-nh-mismatch',
    rules: ['P-TLV-NH-MISMATCH'],
    description: 'uplink TLV Next Header 41 (IPv6) although a GRE header follows',
    target: 'uplink',
    scenario: 'ipv4-udp-tlv',
    fields: ['pmip6.tlv.next_header'],
    needs: [NEED.tlv],
    when: (c) => c.tlv,
    mutate: (f) => void (tlvOf(f).nextHeader = 41),
  },
  {
    name: 'tlv-on-5436',
    rules: ['W-TLV-ON-5436'],
    description: 'uplink TLV/GRE data sent in UDP 5436 → 5436 (the signalling ports, a shared tunnel) instead of 5437',
    target: 'uplink',
    scenario: 'ipv4-udp-tlv',
    fields: ['udp.srcport', 'udp.dstport', 'udp.port'],
    needs: [NEED.udp],
    when: (c) => c.tlv,
    mutate: (f) => {
      const u = layer(f, 'udp')!;
      u.srcPort = 5436;
      u.dstPort = 5436;
    },
  },
  // ---- §3 session rules on data
  {
    name: 'wrong-ul-key',
    rules: ['S-MAG-WRONG-UL-KEY'],
    description: 'uplink GRE packets carry the uplink key + 1 instead of the key from the PBA',
    target: 'uplink',
    scenario: 'initial-attach',
    fields: ['gre.key'],
    needs: [NEED.gre],
    when: (c) => c.gre === 'keys',
    mutate: (f, c) => void (greOf(f).key = ((c.ulKey ?? 0) + 1) >>> 0),
  },
  {
    name: 'uplink-no-key',
    rules: ['S-MAG-WRONG-UL-KEY'],
    description: 'uplink GRE packets of a keyed session without the Key field (K = 0)',
    target: 'uplink',
    scenario: 'initial-attach',
    fields: ['gre.flags.key', 'gre.flags_and_version', 'gre.key'],
    moves: true,
    needs: [NEED.gre],
    when: (c) => c.gre === 'keys',
    mutate: (f) => void (greOf(f).keyPresent = false),
  },
  {
    name: 'wrong-dl-key',
    rules: ['S-LMA-WRONG-DL-KEY'],
    description: 'downlink GRE packets carry the downlink key + 1 instead of the key from the PBU',
    target: 'downlink',
    scenario: 'initial-attach',
    fields: ['gre.key'],
    needs: [NEED.gre],
    when: (c) => c.gre === 'keys',
    mutate: (f, c) => void (greOf(f).key = ((c.dlKey ?? 0) + 1) >>> 0),
  },
  {
    name: 'downlink-no-key',
    rules: ['S-LMA-MISSING-DL-KEY'],
    description: 'downlink GRE packets of a keyed session without the Key field (K = 0)',
    target: 'downlink',
    scenario: 'initial-attach',
    fields: ['gre.flags.key', 'gre.flags_and_version', 'gre.key'],
    moves: true,
    needs: [NEED.gre],
    when: (c) => c.gre === 'keys',
    mutate: (f) => void (greOf(f).keyPresent = false),
  },
  {
    name: 'uplink-no-gre',
    rules: ['S-MAG-GRE-NOT-USED'],
    description: 'uplink packets of a GRE session sent IP-in-IPv6 without the GRE header',
    target: 'uplink',
    scenario: 'initial-attach',
    fields: ['gre.*', 'ipv6.nxt'],
    moves: true,
    when: (c) => c.gre !== 'none' && c.transport === 'ipv6',
    mutate: (f) => removeLayers(f, 'gre'),
  },
  {
    name: 'downlink-no-gre',
    rules: ['S-LMA-GRE-NOT-USED'],
    description: 'downlink packets of a GRE session sent IP-in-IPv6 without the GRE header',
    target: 'downlink',
    scenario: 'initial-attach',
    fields: ['gre.*', 'ipv6.nxt'],
    moves: true,
    when: (c) => c.gre !== 'none' && c.transport === 'ipv6',
    mutate: (f) => removeLayers(f, 'gre'),
  },
  {
    name: 'gre-after-s2',
    rules: ['S-GRE-AFTER-S2'],
    description: 'after status 2 (GRE not required) data still travels in GRE (without a key)',
    target: 'data',
    scenario: 'status-2',
    fields: ['gre.*', 'ipv6.nxt'],
    moves: true,
    when: (c) => c.greNotRequired && c.gre === 'none',
    mutate: (f) => void f.layers.splice(innerIndex(f), 0, { kind: 'gre', spec: {} }),
  },
  {
    name: 'uplink-ipv4-gre',
    rules: ['S-MAG-TLV-NOT-USED'],
    description: 'TLV negotiated, yet uplink packets are IPv4/GRE without UDP and TLV',
    target: 'uplink',
    scenario: 'ipv4-udp-tlv',
    fields: ['udp.*', 'pmip6.tlv*', 'ip.proto'],
    moves: true,
    when: (c) => c.tlv,
    mutate: (f) => removeLayers(f, 'udp', 'tlv'),
  },
  {
    name: 'downlink-not-tlv',
    rules: ['S-LMA-TLV-NOT-USED'],
    description: 'TLV negotiated, yet downlink packets are IPv4/GRE without UDP and TLV',
    target: 'downlink',
    scenario: 'ipv4-udp-tlv',
    fields: ['udp.*', 'pmip6.tlv*', 'ip.proto'],
    moves: true,
    when: (c) => c.tlv,
    mutate: (f) => removeLayers(f, 'udp', 'tlv'),
  },
  {
    name: 'udp-after-s3',
    rules: ['S-MAG-UDP-AFTER-S3', 'S-TLV-WITHOUT-NEGOTIATION'],
    description: 'after status 3 the MAG still sends uplink data over UDP/TLV instead of IPv4/GRE',
    target: 'uplink',
    scenario: 'status-3',
    fields: ['udp.*', 'pmip6.tlv*', 'ip.proto'],
    moves: true,
    needs: [NEED.gre],
    when: (c) => c.status3 && c.transport === 'ipv4-udp',
    mutate: (f) => void f.layers.splice(indexOf(f, 'gre'), 0, { kind: 'udp', spec: {} }, { kind: 'tlv', spec: {} }),
  },
  {
    name: 'tlv-without-negotiation',
    rules: ['S-TLV-WITHOUT-NEGOTIATION'],
    description: 'after status 3 (TLV refused) the LMA sends downlink data over UDP/TLV/GRE',
    target: 'downlink',
    scenario: 'status-3',
    fields: ['udp.*', 'pmip6.tlv*', 'ip.proto'],
    moves: true,
    needs: [NEED.gre],
    when: (c) => c.status3 && c.transport === 'ipv4-udp',
    mutate: (f) => void f.layers.splice(indexOf(f, 'gre'), 0, { kind: 'udp', spec: {} }, { kind: 'tlv', spec: {} }),
  },
  // ---- §4 GRE base rules
  {
    name: 'gre-version',
    rules: ['G-VERSION-NONZERO'],
    description: 'uplink GRE header with Version 1',
    target: 'uplink',
    scenario: 'initial-attach',
    fields: ['gre.flags.version', 'gre.flags_and_version'],
    needs: [NEED.gre],
    when: (c) => c.gre !== 'none',
    mutate: (f) => void (greOf(f).version = 1),
  },
  {
    name: 'gre-routing',
    rules: ['G-RFC1701-ROUTING'],
    description: 'uplink GRE with the RFC 1701 Routing (R) bit: Checksum/Offset words and an empty SRE list (NULL SRE) present',
    target: 'uplink',
    scenario: 'initial-attach',
    fields: ['gre.flags.routing', 'gre.flags_and_version', 'gre.checksum*', 'gre.offset', 'gre.routing*'],
    moves: true,
    needs: [NEED.gre],
    when: (c) => c.gre !== 'none',
    mutate: (f) => void (greOf(f).routingPresent = true),
  },
  {
    name: 'gre-ssr',
    rules: ['G-RFC1701-SSR'],
    description: 'uplink GRE with the RFC 1701 strict source route (s) bit set',
    target: 'uplink',
    scenario: 'initial-attach',
    fields: ['gre.flags.strict_source_route', 'gre.flags_and_version'],
    needs: [NEED.gre],
    when: (c) => c.gre !== 'none',
    mutate: (f) => void (greOf(f).strictSourceRoute = true),
  },
  {
    name: 'gre-recur',
    rules: ['G-RFC1701-RECUR'],
    description: 'uplink GRE with Recursion Control 4 (bit 5 set: an RFC 2784 receiver discards it)',
    target: 'uplink',
    scenario: 'initial-attach',
    fields: ['gre.flags.recursion_control', 'gre.flags_and_version'],
    needs: [NEED.gre],
    when: (c) => c.gre !== 'none',
    mutate: (f) => void (greOf(f).recursion = 4),
  },
  {
    name: 'gre-reserved0',
    rules: ['G-RESERVED0-6-12'],
    description: 'uplink GRE with reserved flag bit 12 (0x0008) set',
    target: 'uplink',
    scenario: 'initial-attach',
    fields: ['gre.flags.reserved', 'gre.flags_and_version'],
    needs: [NEED.gre],
    when: (c) => c.gre !== 'none',
    mutate: (f) => void (greOf(f).reservedFlags = 0x0008),
  },
  {
    name: 'gre-reserved1',
    rules: ['G-RESERVED1-NONZERO'],
    description: 'uplink GRE (checksum present) with Reserved1 set to 1',
    target: 'uplink',
    scenario: 'gre-only',
    fields: ['gre.offset'],
    needs: [NEED.gre, NEED.greChecksum],
    when: (c) => c.gre !== 'none',
    mutate: (f) => {
      const g = greOf(f);
      if (!g.checksumPresent) throw new Error('gre-reserved1 needs GRE checksums (gre_checksum: true)');
      g.reserved1 = 1;
    },
  },
  {
    name: 'gre-checksum-bad',
    rules: ['G-CKSUM-BAD'],
    description: 'uplink GRE checksum wrong (the right one XOR 0x0F0F)',
    target: 'uplink',
    scenario: 'gre-only',
    fields: ['gre.checksum'],
    needs: [NEED.gre, NEED.greChecksum],
    when: (c) => c.gre !== 'none',
    mutate: (f) => {
      const g = greOf(f);
      if (!g.checksumPresent) throw new Error('gre-checksum-bad needs GRE checksums (gre_checksum: true)');
      g.badChecksum = 0x0f0f;
    },
  },
  {
    name: 'gre-proto',
    rules: ['G-PROTO-UNEXPECTED'],
    description: 'uplink GRE Protocol Type 0x88B5 (local experimental) instead of 0x0800/0x86DD',
    target: 'uplink',
    scenario: 'initial-attach',
    fields: ['gre.proto'],
    needs: [NEED.gre],
    when: (c) => c.gre !== 'none',
    mutate: (f) => void (greOf(f).protocol = 0x88b5),
  },
  {
    name: 'gre-seq-repeat',
    rules: ['G-SEQ-OUT-OF-ORDER'],
    description: 'the third uplink GRE packet of each session repeats the second one’s sequence number (later ones count on from there)',
    target: 'uplink',
    scenario: 'lifetime-extension',
    fields: ['gre.sequence_number'],
    when: (c) => c.gre !== 'none',
    quirk: 'greSeqRepeat',
  },
  // ---- whole-session faults
  {
    name: 'dup-dl-key',
    rules: ['S-DUP-DL-KEY'],
    description: 'the MAG gives the second mobile node the first one’s downlink key (its PBU and downlink data)',
    target: 'session',
    scenario: 'overlapping-ipv4',
    fields: ['mip6.gre_key', 'gretool.mip6.gre_key_hex', 'gre.key'],
    quirk: 'dupDlKey',
  },
  {
    name: 'dup-ul-key',
    rules: ['S-DUP-UL-KEY'],
    description: 'the LMA gives the second mobile node the first one’s uplink key (its PBA and uplink data)',
    target: 'session',
    scenario: 'overlapping-ipv4',
    fields: ['mip6.gre_key', 'gretool.mip6.gre_key_hex', 'gre.key'],
    quirk: 'dupUlKey',
  },
  {
    name: 'capture-started-late',
    rules: ['S-GRE-DATA-NO-NEGOTIATION'],
    description: 'the initial PBU/PBA exchange is missing, as if the capture started after it (keyed data without negotiation)',
    target: 'session',
    scenario: 'initial-attach',
    fields: [],
    quirk: 'dropInitialSignalling',
  },
];

const BY_NAME = new Map(FAULTS.map((f) => [f.name, f]));

export function faultByName(name: string): FaultDef | undefined {
  return BY_NAME.get(name);
}

/** Every rule id some fault exercises. */
export function rulesCovered(): Set<string> {
  return new Set(FAULTS.flatMap((f) => f.rules));
}
