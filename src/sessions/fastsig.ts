/**
 * The fast path for signalling (fastpath.ts for data frames): decodes a well-formed PBU or PBA
 * straight from the frame's bytes into the SignallingEvent the Extractor would build from the
 * full dissection, with no field table. It accepts only frames on which the full dissection
 * raises no expert item at all, so that the linter may skip the dissection too (no packet
 * finding, not "malformed"); anything else is left to the full path (SIG_FALLBACK).
 *
 * Accepted (FastPath has already checked the link layer: Ethernet without VLAN tags and with a
 * unicast source, or raw IP; the frame wholly captured, the outer IP datagram ending the frame):
 *
 *   IPv6 (payload length > 0) | MH (next header 135), checksum correct
 *   IPv4 (no options, not a fragment, header checksum correct, TTL >= 5) | UDP (length = the IP
 *     payload, checksum 0 or correct, lower port 5436 or 5437) | MH, checksum 0
 *
 * and the MH: Payload Proto 59, Header Len covering exactly the rest of the frame, Reserved 0,
 * type 5 (P set, reserved flags 0) or 6 (P set, reserved flags 0), then options of the types in
 * LEN_EXACT / LEN_MIN only, each with a Length the dissector expects, on its alignment (OPT_ALIGN),
 * inside the MH; PadN all zero; at most one GRE Key option (Length 2 or 6, Reserved 0, 4n); and
 * none of the message-level PMIPv6 checks of the dissector (pmipChecks) firing.
 *
 * Each condition mirrors an expert item or a throw of the dissectors (src/dissectors/{eth,ipv4,
 * ipv6,udp,pmip6udp,mip6}); test/sessions/fastsig.test.ts checks, frame by frame on every test
 * capture, the generator's scenarios and faults and a slice of the benchmark capture, that an
 * accepted frame dissects with no expert item and extracts the same event.
 */
import { finish, onesSum } from '../engine/checksum.js';
import { mhVerifySum } from '../dissectors/mip6/checksum.js';
import {
  BA_FLAG, BA_STATUS, BA_STATUS_REJECT_MIN, BU_FLAG, GRE_KEY_LEN_NO_KEY, GRE_KEY_LEN_WITH_KEY, IPPROTO_MH, IPPROTO_NONE,
  MH_LEN_UNIT, MH_MIN_LEN_BU_BA, MH_TYPE, OPT, OPT_ALIGN,
} from '../dissectors/mip6/layout.js';
import { PMIP6_CNTL_PORT, PMIP6_DATA_PORT } from '../dissectors/pmip6udp/layout.js';
import { AddrTable } from './addr.js';
import { BytesInterner } from './intern.js';
import type { HomePrefix, SignallingEvent } from './types.js';

export const SIG_FALLBACK = 0;
export const SIG_PBU = MH_TYPE.BU;
export const SIG_PBA = MH_TYPE.BA;

const IP_PROTO_UDP = 17;

/**
 * Option types the fast path reads or steps over, and the Lengths it takes: LEN_EXACT (>= 0)
 * or at least LEN_MIN; -1 in both: not accepted. Each is a Length on which the option's
 * dissector (mip6/options.ts) reads no field past the option and raises no expert item.
 */
const LEN_EXACT = new Int16Array(256).fill(-1);
const LEN_MIN = new Int16Array(256).fill(-1);
LEN_MIN[OPT.PADN] = 0; // (its octets must be zeros: checked in the walk)
LEN_MIN[OPT.MNID] = 2; // subtype and at least one octet of identifier
LEN_EXACT[OPT.HNP] = 18;
LEN_EXACT[OPT.HI] = 2;
LEN_EXACT[OPT.ATT] = 2;
LEN_EXACT[OPT.LLA] = 16;
LEN_EXACT[OPT.TS] = 8;
LEN_EXACT[OPT.RC] = 4;
LEN_EXACT[OPT.NATD] = 6;
LEN_EXACT[OPT.IPV4HAREQ] = 6;
LEN_EXACT[OPT.IPV4HAREP] = 6;
LEN_EXACT[OPT.IPV4DRA] = 6;
LEN_MIN[OPT.GRE_KEY] = GRE_KEY_LEN_NO_KEY; // 2 or 6: checked in the walk

/** Alignment xn+y of each option type (OPT_ALIGN), x = 0 when none. */
const ALIGN_X = new Uint8Array(256);
const ALIGN_Y = new Uint8Array(256);
for (const [t, a] of Object.entries(OPT_ALIGN)) {
  ALIGN_X[Number(t)] = a[0];
  ALIGN_Y[Number(t)] = a[1];
}

function u16(d: Uint8Array, i: number): number {
  return (d[i]! << 8) | d[i + 1]!;
}

/**
 * Distinct addresses (and MN identifiers) kept before a table starts over: room for a few
 * hundred thousand mobility sessions (each brings a home prefix and an identifier), at some
 * 60 bytes an entry; past it a table starts over, and a miss only costs decoding the text again.
 */
const INTERN_LIMIT = 1 << 18;

const utf8 = new TextDecoder();
/** The MN-ID text as the Extractor decodes it (UTF-8, TextDecoder's defaults). */
function identifierText(d: Uint8Array, start: number, end: number): string {
  return utf8.decode(d.subarray(start, end));
}

export class SignalDecoder {
  /** The event of the last frame that returned SIG_PBU / SIG_PBA (a new object each time). */
  signal: SignallingEvent | null = null;
  /** Where the Mobility Header of the last frame that returned SIG_PBU / SIG_PBA starts (an index into its buffer). */
  mh = 0;

  /**
   * `events` false: only tell whether a frame is a well-formed PBU/PBA (and where its MH is),
   * without building its event (`signal` is then not kept up to date). `checksums` false: do not
   * verify the IPv4 header, UDP and MH checksums, so that a frame with a wrong one is accepted
   * too; its full dissection then has a checksum expert item, which changes none of its summary
   * columns (the summary fast path's use; the correlator and the linter verify them).
   */
  constructor(
    private readonly events = true,
    private readonly checksums = true,
    shared?: AddrTable,
  ) {
    this.addrs = shared ?? new AddrTable(1024);
    this.ownAddrs = shared === undefined;
  }
  /**
   * Address texts (the same string object for the same address), looked up by the address's
   * words: the decoder's own table, which starts over past INTERN_LIMIT, or the table of the
   * correlator the events go to (FastPathOptions.addresses), which keeps what it holds.
   */
  private addrs: AddrTable;
  private readonly ownAddrs: boolean;
  private readonly ids = new BytesInterner(identifierText, INTERN_LIMIT);

  /** Canonical text of the address at d[i, i + len) (len 4 or 16). */
  private addr(d: Uint8Array, i: number, len: number): string {
    let t = this.addrs;
    if (this.ownAddrs && t.size >= INTERN_LIMIT) t = this.addrs = new AddrTable(1024);
    return t.text(t.intern(d, i, len));
  }

  /**
   * Decodes the IP datagram at frame offset `ip` (version `v`, 4 or 6) that ends the frame
   * (`len` octets, all captured) of record fields `d`/`base`. Returns SIG_PBU / SIG_PBA (event
   * in `signal`) or SIG_FALLBACK.
   */
  decode(d: Uint8Array, base: number, len: number, ip: number, v: number, frame: number, tsSec: number, tsNsec: number): number {
    const b = base + ip;
    let mh: number; // absolute index of the MH
    let sport = 0;
    let dport = 0;
    if (v === 6) {
      // IPv6 | MH: payload length exactly the rest of the frame
      if (len < ip + 40 + MH_MIN_LEN_BU_BA || d[b]! >> 4 !== 6) return SIG_FALLBACK;
      if (u16(d, b + 4) !== len - ip - 40 || d[b + 6] !== IPPROTO_MH) return SIG_FALLBACK;
      mh = b + 40;
    } else {
      // IPv4 | UDP | MH
      if (len < ip + 28 + MH_MIN_LEN_BU_BA || d[b] !== 0x45) return SIG_FALLBACK;
      const tot = u16(d, b + 2);
      if (tot !== len - ip || (d[b + 6]! & 0x3f) | d[b + 7]! || d[b + 8]! < 5 || d[b + 9] !== IP_PROTO_UDP) return SIG_FALLBACK;
      if (this.checksums && finish(onesSum(d, b, b + 20)) !== 0) return SIG_FALLBACK; // header checksum
      const u = b + 20;
      sport = u16(d, u);
      dport = u16(d, u + 2);
      const lo = sport < dport ? sport : dport;
      if (lo !== PMIP6_CNTL_PORT && lo !== PMIP6_DATA_PORT) return SIG_FALLBACK; // the port tried first
      const ulen = u16(d, u + 4);
      if (ulen !== tot - 20) return SIG_FALLBACK;
      if (this.checksums && u16(d, u + 6) !== 0) {
        // UDP checksum over the pseudo-header (addresses, protocol, length) and the datagram
        let s = onesSum(d, b + 12, b + 20, IP_PROTO_UDP + ulen);
        s = onesSum(d, u, u + ulen, s);
        if (finish(s) !== 0) return SIG_FALLBACK;
      }
      mh = u + 8;
    }
    const end = base + len;
    // ---- Mobility Header
    if (d[mh] !== IPPROTO_NONE) return SIG_FALLBACK;
    const mhLen = (d[mh + 1]! + 1) * MH_LEN_UNIT;
    if (mh + mhLen !== end) return SIG_FALLBACK;
    const type = d[mh + 2]!;
    if ((type !== MH_TYPE.BU && type !== MH_TYPE.BA) || d[mh + 3] !== 0) return SIG_FALLBACK;
    if (v === 4) {
      if (u16(d, mh + 4) !== 0) return SIG_FALLBACK; // RFC 5844: 0 over UDP
    } else if (this.checksums && mhVerifySum(d, b + 8, b + 24, mh, mhLen) !== 0xffff) return SIG_FALLBACK;
    let seq: number;
    let status = -1;
    let a = false;
    let h = false;
    let f = false;
    let t: boolean;
    const lifetime = u16(d, mh + 10);
    if (type === MH_TYPE.BU) {
      const flags = u16(d, mh + 8);
      if (flags & BU_FLAG.RESERVED || !(flags & BU_FLAG.P)) return SIG_FALLBACK;
      seq = u16(d, mh + 6);
      a = (flags & BU_FLAG.A) !== 0;
      h = (flags & BU_FLAG.H) !== 0;
      f = (flags & BU_FLAG.F) !== 0;
      t = (flags & BU_FLAG.T) !== 0;
    } else {
      const flags = d[mh + 7]!;
      if (flags & BA_FLAG.RESERVED || !(flags & BA_FLAG.P)) return SIG_FALLBACK;
      status = d[mh + 6]!;
      seq = u16(d, mh + 8);
      t = (flags & BA_FLAG.T) !== 0;
    }
    // ---- options
    let mnId: string | null = null;
    let mnIdRef = -1;
    let hi = -1;
    let att = -1;
    let greLen = -1;
    let greKey: number | null = null;
    let hoa: string | null = null;
    let hoaStatus = -1;
    let hnp: HomePrefix[] | null = null;
    let o = mh + 12;
    while (o < end) {
      const ot = d[o]!;
      if (ot === OPT.PAD1) {
        o++;
        continue;
      }
      if (o + 1 >= end) return SIG_FALLBACK;
      const ol = d[o + 1]!;
      const oe = o + 2 + ol;
      if (oe > end) return SIG_FALLBACK;
      const exact = LEN_EXACT[ot]!;
      if (exact >= 0 ? ol !== exact : ol < LEN_MIN[ot]! || LEN_MIN[ot]! < 0) return SIG_FALLBACK;
      const ax = ALIGN_X[ot]!;
      if (ax !== 0 && (o - mh) % ax !== ALIGN_Y[ot]) return SIG_FALLBACK;
      switch (ot) {
        case OPT.PADN:
          for (let i = o + 2; i < oe; i++) if (d[i] !== 0) return SIG_FALLBACK;
          break;
        case OPT.MNID:
          if (mnId === null && this.events) {
            mnId = this.ids.get(d, o + 3, oe);
            mnIdRef = this.ids.lastId;
          }
          break;
        case OPT.HNP:
          if (!this.events) break;
          if (hnp === null) hnp = [{ prefix: this.addr(d, o + 4, 16), len: d[o + 3]! }];
          else hnp.push({ prefix: this.addr(d, o + 4, 16), len: d[o + 3]! });
          break;
        case OPT.HI:
          if (hi < 0) hi = d[o + 3]!;
          break;
        case OPT.ATT:
          if (att < 0) att = d[o + 3]!;
          break;
        case OPT.GRE_KEY:
          if (greLen >= 0 || (ol !== GRE_KEY_LEN_NO_KEY && ol !== GRE_KEY_LEN_WITH_KEY) || u16(d, o + 2) !== 0) return SIG_FALLBACK;
          greLen = ol;
          if (ol === GRE_KEY_LEN_WITH_KEY) greKey = ((d[o + 4]! << 24) >>> 0) + ((d[o + 5]! << 16) | (d[o + 6]! << 8) | d[o + 7]!);
          break;
        case OPT.IPV4HAREQ:
          if (type === MH_TYPE.BU && hoa === null && this.events) hoa = this.addr(d, o + 4, 4);
          break;
        case OPT.IPV4HAREP:
          if (type === MH_TYPE.BA && this.events) {
            if (hoa === null) hoa = this.addr(d, o + 4, 4);
            if (hoaStatus < 0) hoaStatus = d[o + 2]!;
          }
          break;
      }
      o = oe;
    }
    // ---- the dissector's message-level checks (mip6/index.ts pmipChecks): none may fire
    const gre = greLen >= 0;
    if (t && v === 6) return SIG_FALLBACK; // P-T-OVER-IPV6
    if (type === MH_TYPE.BU) {
      if ((t && !gre) || (lifetime === 0 && gre)) return SIG_FALLBACK;
    } else {
      if (status === BA_STATUS.GRE_KEY_OPTION_NOT_REQUIRED && gre) return SIG_FALLBACK;
      if (status === BA_STATUS.GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED && (t || !gre)) return SIG_FALLBACK;
      if (status >= BA_STATUS_REJECT_MIN ? greKey !== null : t && !gre) return SIG_FALLBACK;
    }
    this.mh = mh;
    if (!this.events) return type;
    const src = v === 4 ? this.addr(d, b + 12, 4) : this.addr(d, b + 8, 16);
    const dst = v === 4 ? this.addr(d, b + 16, 4) : this.addr(d, b + 24, 16);
    this.signal = {
      type: type === MH_TYPE.BU ? 'pbu' : 'pba',
      frame,
      tsSec,
      tsNsec,
      src,
      dst,
      ipVersion: v === 4 ? 4 : 6,
      udp: v === 4,
      sport,
      dport,
      seq,
      lifetime,
      status,
      aFlag: a,
      hFlag: h,
      pFlag: true,
      fFlag: f,
      tFlag: t,
      mnId,
      mnIdRef,
      greKeyLen: greLen,
      greKey,
      greKeyCount: gre ? 1 : 0,
      hnp: hnp ?? [],
      hi,
      att,
      ipv4Hoa: hoa,
      ipv4HoaStatus: hoaStatus,
    };
    return type;
  }
}
