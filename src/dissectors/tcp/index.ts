/**
 * TCP (RFC 9293), enough to summarise tunnelled traffic and to match Wireshark 4.0's
 * packet-tcp.c field by field for the header: ports, sequence/acknowledgment numbers, header
 * length, the flag bits, window, checksum over the IPv4/IPv6 pseudo-header, urgent pointer, and
 * options (EOL, NOP, MSS, window scale, SACK permitted, SACK, timestamps; any other kind as
 * "unknown" kind/length/payload). Payload: "tcp.port", lower port first, then data; the ports
 * are left in the scratch slots SLOT_TCP_SPORT / SLOT_TCP_DPORT (ipv4/inet.ts) right before.
 *
 * Sequence numbers are the raw ones: tcp.seq / tcp.ack / tcp.nxtseq / SACK edges and the Info
 * column equal tshark's with `-o tcp.relative_sequence_numbers:FALSE` (relative numbers need
 * conversation state). Not implemented (state): tcp.stream, tcp.completeness, the calculated /
 * scaled window, tcp.analysis.*, per-stream times, reassembly.
 */
import { defineFields } from '../../engine/fields.js';
import { defineExperts } from '../../engine/expert.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import { GENERATED, HIDDEN, type Packet } from '../../engine/packet.js';
import { bytesKey, captured, keyedLine, labelText } from '../../engine/label.js';
import type { TextBuf } from '../../engine/textbuf.js';
import {
  arrow, CHECKSUM_STATUS, req, CK_BAD, CK_GOOD, CK_UNVERIFIED, foldSum, fragmented, inErrorPacket, pseudoSum, SLOT_IN_ERROR, SLOT_TCP_DPORT, SLOT_TCP_SPORT, sumBytes,
  portDissector,
} from '../ipv4/inet.js';

export const IP_PROTO_TCP = 6;
export const TCP_MIN_HEADER = 20;
export const TH_FIN = 0x001;
export const TH_SYN = 0x002;
export const TH_RST = 0x004;
export const TH_PUSH = 0x008;
export const TH_ACK = 0x010;

/**
 * How much of its summary a TCP protocol item shows, kept in the node's number slot (a protocol
 * node has no numeric value): the segment length (>= 0: everything), or where tshark stopped.
 */
const LABEL_PORTS = -3; // the header ends after the ports
const LABEL_SEQ = -1; // bogus header length: ports and sequence number
const LABEL_ACK = -2; // no segment length known (quoted in an ICMP error, a fragment): no Len

/**
 * "Transmission Control Protocol, Src Port: 7, Dst Port: 52894, Seq: 1000, Ack: 2001, Len: 10"
 * with the raw sequence numbers (tshark -o tcp.relative_sequence_numbers:FALSE) and port numbers.
 */
function tcpLabel(p: Packet, node: number, b: TextBuf): void {
  const off = p.tree.off[node]!;
  const stage = p.tree.num[node]!;
  b.str('Transmission Control Protocol');
  if (!captured(p, off, 4)) return;
  b.str(', Src Port: ').dec(p.u16(off)).str(', Dst Port: ').dec(p.u16(off + 2));
  if (stage === LABEL_PORTS || !captured(p, off, 20)) return;
  b.str(', Seq: ').dec(p.u32(off + 4));
  if (stage === LABEL_SEQ) return;
  if (p.u16(off + 12) & TH_ACK) b.str(', Ack: ').dec(p.u32(off + 8));
  if (stage >= 0) b.str(', Len: ').dec(stage);
}
export const TH_URG = 0x020;
export const TH_ECE = 0x040;
export const TH_CWR = 0x080;
export const TH_AE = 0x100;
export const TH_RES = 0xe00;

const FLAG_LETTERS = 'RRRACEUAPRSF';
const MIDDLE_DOT = '\u00b7';

/** tcp.flags.str: one letter per set flag, a middle dot per clear one (as tshark prints it). */
function flagsStr(p: Packet, node: number): string {
  const flags = p.u16(p.tree.off[node]!) & 0xfff;
  let s = '';
  for (let i = 0; i < 12; i++) s += flags & (1 << (11 - i)) ? FLAG_LETTERS[i] : MIDDLE_DOT;
  return s;
}

const OPTION_KINDS: Readonly<Record<number, string>> = {
  0: 'End of Option List', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale', 4: 'SACK Permitted', 5: 'SACK',
  8: 'Time Stamp Option',
};

export const TCP_FIELDS = defineFields({
  tcp: { abbrev: 'tcp', name: 'Transmission Control Protocol', short: 'TCP', type: 'protocol', label: tcpLabel, compute: labelText(tcpLabel) },
  srcport: { abbrev: 'tcp.srcport', name: 'Source Port', type: 'uint16' },
  dstport: { abbrev: 'tcp.dstport', name: 'Destination Port', type: 'uint16' },
  port: { abbrev: 'tcp.port', name: 'Source or Destination Port', type: 'uint16' },
  len: { abbrev: 'tcp.len', name: 'TCP Segment Len', type: 'uint32' },
  seq: { abbrev: 'tcp.seq', name: 'Sequence Number', type: 'uint32', description: 'Raw value here (tshark -o tcp.relative_sequence_numbers:FALSE)' },
  seq_raw: { abbrev: 'tcp.seq_raw', name: 'Sequence Number (raw)', type: 'uint32', description: 'This shows the raw value of the sequence number' },
  nxtseq: { abbrev: 'tcp.nxtseq', name: 'Next Sequence Number', type: 'uint32' },
  ack: { abbrev: 'tcp.ack', name: 'Acknowledgment Number', type: 'uint32', description: 'Raw value here (tshark -o tcp.relative_sequence_numbers:FALSE)' },
  ack_raw: { abbrev: 'tcp.ack_raw', name: 'Acknowledgment number (raw)', type: 'uint32', description: 'This shows the raw value of the acknowledgment number' },
  hdr_len: { abbrev: 'tcp.hdr_len', name: 'Header Length', type: 'uint8', unit: ' bytes', description: 'Data offset in 32-bit words' },
  flags: { abbrev: 'tcp.flags', name: 'Flags', type: 'uint16', base: 'hex', mask: 0x0fff, description: 'Flags (12 bits)' },
  flags_res: { abbrev: 'tcp.flags.res', name: 'Reserved', type: 'boolean', bits: 16, mask: TH_RES },
  flags_ae: { abbrev: 'tcp.flags.ae', name: 'Accurate ECN', type: 'boolean', bits: 16, mask: TH_AE },
  flags_cwr: { abbrev: 'tcp.flags.cwr', name: 'Congestion Window Reduced', type: 'boolean', bits: 16, mask: TH_CWR },
  flags_ece: { abbrev: 'tcp.flags.ece', name: 'ECN-Echo', type: 'boolean', bits: 16, mask: TH_ECE },
  flags_urg: { abbrev: 'tcp.flags.urg', name: 'Urgent', type: 'boolean', bits: 16, mask: TH_URG },
  flags_ack: { abbrev: 'tcp.flags.ack', name: 'Acknowledgment', type: 'boolean', bits: 16, mask: TH_ACK },
  flags_push: { abbrev: 'tcp.flags.push', name: 'Push', type: 'boolean', bits: 16, mask: TH_PUSH },
  flags_reset: { abbrev: 'tcp.flags.reset', name: 'Reset', type: 'boolean', bits: 16, mask: TH_RST },
  flags_syn: { abbrev: 'tcp.flags.syn', name: 'Syn', type: 'boolean', bits: 16, mask: TH_SYN },
  flags_fin: { abbrev: 'tcp.flags.fin', name: 'Fin', type: 'boolean', bits: 16, mask: TH_FIN },
  flags_str: { abbrev: 'tcp.flags.str', name: 'TCP Flags', type: 'string', compute: keyedLine(flagsStr, bytesKey(0, 2)) },
  window_size_value: { abbrev: 'tcp.window_size_value', name: 'Window', type: 'uint16', description: 'The window size value from the TCP header' },
  checksum: { abbrev: 'tcp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksum_status: { abbrev: 'tcp.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', strings: CHECKSUM_STATUS },
  checksum_calculated: { abbrev: 'tcp.checksum_calculated', name: 'Calculated Checksum', type: 'uint16', base: 'hex', description: 'The expected TCP checksum field as calculated from the TCP segment' },
  urgent_pointer: { abbrev: 'tcp.urgent_pointer', name: 'Urgent Pointer', type: 'uint16' },
  options: { abbrev: 'tcp.options', name: 'TCP Options', type: 'bytes' },
  opt_eol: { abbrev: 'tcp.options.eol', name: 'TCP Option - End of Option List (EOL)', short: 'End of Option List (EOL)', type: 'protocol' },
  opt_nop: { abbrev: 'tcp.options.nop', name: 'TCP Option - No-Operation (NOP)', short: 'No-Operation (NOP)', type: 'protocol' },
  opt_mss: { abbrev: 'tcp.options.mss', name: 'TCP Option - Maximum segment size', short: 'Maximum segment size', type: 'protocol' },
  opt_wscale: { abbrev: 'tcp.options.wscale', name: 'TCP Option - Window scale', short: 'Window scale', type: 'protocol' },
  opt_sack_perm: { abbrev: 'tcp.options.sack_perm', name: 'TCP Option - SACK permitted', short: 'SACK permitted', type: 'protocol' },
  opt_sack: { abbrev: 'tcp.options.sack', name: 'TCP Option - SACK', short: 'SACK', type: 'protocol' },
  opt_timestamp: { abbrev: 'tcp.options.timestamp', name: 'TCP Option - Timestamps', short: 'Timestamps', type: 'protocol' },
  opt_unknown: { abbrev: 'tcp.options.unknown', name: 'TCP Option - Unknown', short: 'Unknown', type: 'protocol' },
  option_kind: { abbrev: 'tcp.option_kind', name: 'Kind', type: 'uint8', strings: OPTION_KINDS, description: "This TCP option's kind" },
  option_len: { abbrev: 'tcp.option_len', name: 'Length', type: 'uint8', description: 'Length of this TCP option in bytes (including kind and length fields)' },
  mss_val: { abbrev: 'tcp.options.mss_val', name: 'MSS Value', type: 'uint16' },
  wscale_shift: { abbrev: 'tcp.options.wscale.shift', name: 'Shift count', type: 'uint8', description: 'Logarithmically encoded power of 2 scale factor' },
  wscale_multiplier: { abbrev: 'tcp.options.wscale.multiplier', name: 'Multiplier', type: 'uint16', description: 'Multiply segment window size by this for scaled window size' },
  sack_le: { abbrev: 'tcp.options.sack_le', name: 'TCP SACK Left Edge', type: 'uint32' },
  sack_re: { abbrev: 'tcp.options.sack_re', name: 'TCP SACK Right Edge', type: 'uint32' },
  sack_count: { abbrev: 'tcp.options.sack.count', name: 'TCP SACK Count', type: 'uint8' },
  tsval: { abbrev: 'tcp.options.timestamp.tsval', name: 'Timestamp value', type: 'uint32', description: "Value of sending machine's timestamp clock" },
  tsecr: { abbrev: 'tcp.options.timestamp.tsecr', name: 'Timestamp echo reply', type: 'uint32', description: 'Echoed timestamp from remote machine' },
  unknown_payload: { abbrev: 'tcp.options.unknown.payload', name: 'Payload', type: 'bytes' },
  payload: { abbrev: 'tcp.payload', name: 'TCP payload', type: 'bytes', description: 'The TCP payload of this packet' },
});

export const TCP_EXPERTS = defineExperts({
  bogus_header_length: { abbrev: 'tcp.bogus_header_length', group: 'protocol', severity: 'error', summary: 'Bogus TCP header length ({0}, must be at least 20)' },
  checksum_bad: { abbrev: 'tcp.checksum_bad.expert', group: 'checksum', severity: 'error', summary: 'Bad checksum [should be {0}]' },
  option_len_invalid: { abbrev: 'tcp.option.len.invalid', group: 'protocol', severity: 'warning', summary: '{0}' },
  nop: { abbrev: 'tcp.nop', group: 'protocol', severity: 'warning', summary: '4 NOP in a row - a router may have removed some options' },
});

const F = TCP_FIELDS;
const E = TCP_EXPERTS;
const TCP_PORT = table('tcp.port');
const DATA = table('data', 1);

/** "[SYN, ACK]" in Wireshark's order. */
const FLAG_BITS = [TH_FIN, TH_SYN, TH_RST, TH_PUSH, TH_ACK, TH_URG, TH_ECE, TH_CWR, TH_AE, TH_RES];
const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE', 'Reserved'];

function bytes(n: number): string {
  return n === 1 ? '1 byte' : n + ' bytes';
}

function kindName(k: number): string {
  switch (k) {
    case 2: return 'Maximum segment size';
    case 3: return 'Window scale';
    case 4: return 'SACK permitted';
    case 5: return 'SACK';
    case 8: return 'Timestamps';
    default: return 'Unknown (0x' + k.toString(16).padStart(2, '0') + ')';
  }
}

/** TCP options; `inErr` (or no columns wanted) keeps them out of the Info column. */
function options(p: Packet, o: number, length: number, tcpOff: number, root: number, inErr: boolean): void {
  const info = p.cols.info;
  let nopCount = 0;
  while (length > 0) {
    const opt = p.u8(o);
    length--;
    if (opt === 0 || opt === 1) {
      if (opt === 1 && (nopCount === 0 || (o - tcpOff) % 4)) nopCount++;
      else nopCount = 0;
      const n = p.add(opt === 0 ? F.opt_eol : F.opt_nop, o, 1, root);
      p.add(F.option_kind, o, 1, n);
      if (nopCount === 4 && opt === 1) p.expert(E.nop, n);
      o += 1;
      continue;
    }
    nopCount = 0;
    if (length === 0) {
      const m = kindName(opt) + ' (length byte past end of options)';
      p.expert(E.option_len_invalid, p.addText(o, 1, root, m), m);
      return;
    }
    const olen = p.u8(o + 1);
    length--;
    if (olen < 2) {
      const m = kindName(opt) + ' (with too-short option length = ' + bytes(olen) + ')';
      p.expert(E.option_len_invalid, p.addText(o, 2, root, m), m);
      return;
    }
    if (olen - 2 > length) {
      const m = kindName(opt) + ' (option length = ' + bytes(olen) + ' says option goes past end of options)';
      p.expert(E.option_len_invalid, p.addText(o, length, root, m), m);
      return;
    }
    let fixed = 0;
    let proto = F.opt_unknown;
    switch (opt) {
      case 2: proto = F.opt_mss; fixed = 4; break;
      case 3: proto = F.opt_wscale; fixed = 3; break;
      case 4: proto = F.opt_sack_perm; fixed = 2; break;
      case 5: proto = F.opt_sack; break;
      case 8: proto = F.opt_timestamp; fixed = 10; break;
    }
    const n = p.add(proto, o, olen, root);
    p.add(F.option_kind, o, 1, n);
    const ln = p.add(F.option_len, o + 1, 1, n);
    if (fixed && olen !== fixed) {
      const m = 'Option length ' + olen + ', should be ' + fixed;
      p.expert(E.option_len_invalid, ln, m);
    } else {
      switch (opt) {
        case 2:
          p.add(F.mss_val, o + 2, 2, n);
          if (!inErr) info.str(' MSS=').dec(p.u16(o + 2));
          break;
        case 3: {
          const shift = p.u8(o + 2);
          p.add(F.wscale_shift, o + 2, 1, n);
          const mult = shift > 14 ? 1 << 14 : 1 << shift;
          p.addNum(F.wscale_multiplier, o + 2, 1, n, mult);
          if (!inErr) info.str(' WS=').dec(mult);
          break;
        }
        case 4:
          if (!inErr) info.str(' SACK_PERM');
          break;
        case 5: {
          let count = 0;
          let a = o + 2;
          for (let rem = olen - 2; rem >= 8; rem -= 8, a += 8) {
            p.add(F.sack_le, a, 4, n);
            p.add(F.sack_re, a + 4, 4, n);
            if (!inErr) info.str(' SLE=').dec(p.u32(a)).str(' SRE=').dec(p.u32(a + 4));
            count++;
          }
          p.addNum(F.sack_count, o, 0, n, count, GENERATED);
          break;
        }
        case 8:
          p.add(F.tsval, o + 2, 4, n);
          p.add(F.tsecr, o + 6, 4, n);
          if (!inErr) info.str(' TSval=').dec(p.u32(o + 2)).str(' TSecr=').dec(p.u32(o + 6));
          break;
        default:
          if (olen > 2) p.add(F.unknown_payload, o + 2, olen - 2, n);
      }
    }
    o += olen;
    length -= olen - 2;
  }
}

/**
 * The Info column after the ports: " [SYN, ACK] Seq=… Ack=… Win=… Urg=…" (Ack with the ACK
 * flag, Urg with URG). The dissector and the summary fast path (output/fastsummary.ts) write it.
 */
export function tcpFlagsInfo(info: TextBuf, flags: number, seq: number, ack: number, win: number, urg: number): void {
  info.str(' [');
  let first = true;
  for (let i = 0; i < FLAG_BITS.length; i++) {
    if (flags & FLAG_BITS[i]!) {
      if (!first) info.str(', ');
      info.str(FLAG_NAMES[i]!);
      first = false;
    }
  }
  if (first) info.str('<None>');
  info.str('] Seq=').dec(seq);
  if (flags & TH_ACK) info.str(' Ack=').dec(ack);
  info.str(' Win=').dec(win);
  if (flags & TH_URG) info.str(' Urg=').dec(urg);
}

/** What the Info column gets when the segment's checksum is wrong. */
export const TCP_CHECKSUM_INCORRECT = ' [TCP CHECKSUM INCORRECT]';

export const tcpDissector: Dissector = {
  proto: F.tcp,
  name: 'tcp',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    const inErr = inErrorPacket(p);
    const c = p.cols;
    const cols = !inErr && p.colsOn;
    p.pushProto(F.tcp);
    // Wireshark reads the ports before it sets the columns
    if (!req(p, off, 4, end, inErr)) return;
    const sport = p.u16(off);
    const dport = p.u16(off + 2);
    const root = p.add(F.tcp, off, TCP_MIN_HEADER, parent);
    if (root >= 0) p.tree.num[root] = LABEL_PORTS;
    if (cols) {
      c.proto = 'TCP';
      c.info.clear();
      c.info.dec(sport);
      arrow(c.info);
      c.info.dec(dport);
    }
    p.add(F.srcport, off, 2, root);
    p.add(F.dstport, off + 2, 2, root);
    p.add(F.port, off, 2, root, HIDDEN);
    p.add(F.port, off + 2, 2, root, HIDDEN);
    if (inErr) {
      // Wireshark shows the sequence number of a TCP header quoted in an ICMP (v4) error early,
      // and stops quietly when the quotation ends inside the header
      if (p.scratch[SLOT_IN_ERROR] === 4 && p.has(off + 4, 4, end)) p.add(F.seq, off + 4, 4, root);
      if (!p.has(off, TCP_MIN_HEADER, end)) return;
    }
    p.need(off + 4, 16, end);
    const seq = p.u32(off + 4);
    const ack = p.u32(off + 8);
    const offx = p.u16(off + 12);
    const hlen = (offx >>> 12) * 4;
    const flags = offx & 0xfff;
    const win = p.u16(off + 14);
    const reported = end - off;
    const seglen = reported - hlen;
    if (root >= 0) p.tree.num[root] = hlen < TCP_MIN_HEADER ? LABEL_SEQ : inErr || fragmented(p) || seglen < 0 ? LABEL_ACK : seglen;
    if (cols) tcpFlagsInfo(c.info, flags, seq, ack, win, p.u16(off + 18));
    p.addNum(F.len, off, 0, root, seglen >= 0 ? seglen : 0, GENERATED);
    p.add(F.seq, off + 4, 4, root);
    p.add(F.seq_raw, off + 4, 4, root, HIDDEN);
    if (hlen < TCP_MIN_HEADER) {
      if (cols) c.info.str(', bogus TCP header length (').dec(hlen).str(', must be at least 20)');
      const n = p.addNum(F.hdr_len, off + 12, 1, root, hlen);
      p.expert(E.bogus_header_length, n, hlen);
      return;
    }
    const syn = flags & TH_SYN ? 1 : 0;
    const fin = flags & TH_FIN ? 1 : 0;
    p.addNum(F.nxtseq, off, 0, root, (seq + (seglen > 0 ? seglen : 0) + syn + fin) % 4294967296, GENERATED);
    p.add(F.ack, off + 8, 4, root);
    p.add(F.ack_raw, off + 8, 4, root, HIDDEN);
    p.addNum(F.hdr_len, off + 12, 1, root, hlen);
    const fl = p.add(F.flags, off + 12, 2, root);
    p.add(F.flags_res, off + 12, 2, fl);
    p.add(F.flags_ae, off + 12, 2, fl);
    p.add(F.flags_cwr, off + 12, 2, fl);
    p.add(F.flags_ece, off + 12, 2, fl);
    p.add(F.flags_urg, off + 12, 2, fl);
    p.add(F.flags_ack, off + 12, 2, fl);
    p.add(F.flags_push, off + 12, 2, fl);
    p.add(F.flags_reset, off + 12, 2, fl);
    p.add(F.flags_syn, off + 12, 2, fl);
    p.add(F.flags_fin, off + 12, 2, fl);
    p.add(F.flags_str, off + 12, 2, fl, GENERATED);
    p.add(F.window_size_value, off + 14, 2, root);
    const sum = p.u16(off + 16);
    const ck = p.add(F.checksum, off + 16, 2, root);
    // the payload checksum costs a pass over the segment: computed only when its result is
    // shown (the tree, the Info column, the status fields)
    const verify = p.want === null || cols || p.wants(F.checksum_status) || p.wants(F.checksum_calculated);
    // (when not verified, the status below is not materialised either)
    if (verify && !fragmented(p) && seglen >= 0 && p.has(off, reported, end)) {
      const ps = pseudoSum(p, IP_PROTO_TCP, reported);
      if (ps < 0) {
        p.addNum(F.checksum_status, off + 16, 0, root, CK_UNVERIFIED, GENERATED);
      } else if (foldSum(sumBytes(p, off, reported, ps)) === 0) {
        p.addNum(F.checksum_status, off + 16, 0, root, CK_GOOD, GENERATED);
        p.addNum(F.checksum_calculated, off + 16, 2, root, sum, GENERATED);
      } else {
        const expected = foldSum(ps + sumBytes(p, off, 16, 0) + sumBytes(p, off + 18, reported - 18, 0));
        p.addNum(F.checksum_status, off + 16, 0, root, CK_BAD, GENERATED);
        p.addNum(F.checksum_calculated, off + 16, 2, root, expected, GENERATED);
        p.expert(E.checksum_bad, ck, '0x' + expected.toString(16).padStart(4, '0'));
        if (cols) c.info.str(TCP_CHECKSUM_INCORRECT);
      }
    } else {
      p.addNum(F.checksum_status, off + 16, 0, root, CK_UNVERIFIED, GENERATED);
    }
    p.add(F.urgent_pointer, off + 18, 2, root);
    if (cols) c.info.str(' Len=').dec(seglen >= 0 ? seglen : 0);
    if (hlen > TCP_MIN_HEADER) {
      if (!req(p, off + TCP_MIN_HEADER, hlen - TCP_MIN_HEADER, end, inErr)) return;
      p.add(F.options, off + TCP_MIN_HEADER, hlen - TCP_MIN_HEADER, root);
      options(p, off + TCP_MIN_HEADER, hlen - TCP_MIN_HEADER, off, root, !cols);
    }
    if (seglen <= 0 || inErr) return;
    const pay = off + hlen;
    const avail = p.avail(pay, end);
    // a segment whose payload was not captured at all is not handed on (tshark 4.0: no payload
    // item, no payload dissector, no truncation mark)
    if (avail === 0) return;
    p.add(F.payload, pay, avail, root);
    // the ports for payload dissectors (+1, so 0 means "no TCP header"), as UDP does
    const sc = p.scratch;
    sc[SLOT_TCP_SPORT] = sport + 1;
    sc[SLOT_TCP_DPORT] = dport + 1;
    const sub = portDissector(TCP_PORT, sport, dport, p, pay, end);
    if (sub) {
      p.call(sub, pay, end, parent);
      return;
    }
    const data = DATA.get(0);
    if (data) p.call(data, pay, end, parent);
  },
};

table('ip.proto', 256).add(IP_PROTO_TCP, tcpDissector);
