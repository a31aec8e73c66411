/**
 * IPv4 options (RFC 791 §3.1 and later registrations), walked as Wireshark 4.0's
 * dissect_ip_options does: known options get their "IP Option - ..." subtree with type
 * (copy/class/number) and length; EOL ends the walk; a bad length stops it with an expert item.
 */
import { GENERATED, HIDDEN, type Packet } from '../../engine/packet.js';
import { E, F } from './fields.js';

const NO_LENGTH = 0;
const FIXED = 1;
const VARIABLE = 2;

const K_GENERIC = 0;
const K_EOLNOP = 1;
const K_RR = 2;
const K_ROUTE = 3;
const K_TS = 4;
const K_RA = 5;
const K_SID = 6;
const K_MTU = 7;
const K_TR = 8;
const K_SDB = 9;

interface OptDef {
  name: string;
  proto: number;
  lenType: number;
  optlen: number;
  kind: number;
}

export const IPOPT_EOOL = 0;
export const IPOPT_NOP = 1;
export const IPOPT_RR = 7;
export const IPOPT_LSR = 131;
export const IPOPT_SSR = 137;

const OPTS: (OptDef | undefined)[] = new Array(256).fill(undefined);
function def(code: number, name: string, proto: number, lenType: number, optlen: number, kind: number): void {
  OPTS[code] = { name, proto, lenType, optlen, kind };
}
def(0, 'End of Options List (EOL)', F.optp_eol, NO_LENGTH, 0, K_EOLNOP);
def(1, 'No-Operation (NOP)', F.optp_nop, NO_LENGTH, 0, K_EOLNOP);
def(130, 'Security', F.optp_security, FIXED, 11, K_GENERIC);
def(131, 'Loose Source Route', F.optp_route, VARIABLE, 3, K_ROUTE);
def(68, 'Time Stamp', F.optp_timestamp, VARIABLE, 4, K_TS);
def(133, 'Extended Security', F.optp_ext_security, VARIABLE, 3, K_GENERIC);
def(134, 'Commercial Security', F.optp_cipso, VARIABLE, 10, K_GENERIC);
def(7, 'Record Route', F.optp_record_route, VARIABLE, 3, K_RR);
def(136, 'Stream ID', F.optp_sid, FIXED, 4, K_SID);
def(137, 'Strict Source Route', F.optp_source_route, VARIABLE, 3, K_ROUTE);
def(11, 'MTU Probe', F.optp_mtu_probe, FIXED, 4, K_MTU);
def(12, 'MTU Reply', F.optp_mtu_reply, FIXED, 4, K_MTU);
def(82, 'Traceroute', F.optp_traceroute, FIXED, 12, K_TR);
def(148, 'Router Alert', F.optp_routeralert, FIXED, 4, K_RA);
def(149, 'Selective Directed Broadcast', F.optp_sdb, VARIABLE, 2, K_SDB);
def(25, 'Quick-Start', F.optp_qs, FIXED, 8, K_GENERIC);

function bytes(n: number): string {
  return n === 1 ? '1 byte' : n + ' bytes';
}

/**
 * Where the final destination is when a valid loose/strict source route is present: the frame
 * offset of the route's last address, or -1 (Wireshark's get_dst_offset).
 */
export function sourceRouteDst(p: Packet, off: number, length: number, end: number): number {
  let o = off;
  let rem = length;
  while (rem > 0) {
    if (!p.has(o, 1, end)) return -1;
    const opt = p.u8(o);
    rem--;
    if (opt === IPOPT_EOOL) return -1;
    if (opt === IPOPT_NOP) {
      o++;
      continue;
    }
    const d = OPTS[opt];
    if (rem === 0 || !p.has(o + 1, 1, end)) return -1;
    const len = p.u8(o + 1);
    rem--;
    if (len < 2 || len - 2 > rem) return -1;
    if (d !== undefined && ((d.lenType === FIXED && len !== d.optlen) || (d.lenType === VARIABLE && len < d.optlen))) return -1;
    if (opt === IPOPT_SSR || opt === IPOPT_LSR) {
      if (!p.has(o + 2, 1, end)) return -1;
      const ptr = p.u8(o + 2);
      if (ptr < 4 || (ptr & 3) || ptr > len) return -1;
      return o + len - 4;
    }
    o += len;
    rem -= len - 2;
  }
  return -1;
}

function typeFields(p: Packet, o: number, node: number): void {
  p.add(F.opt_type, o, 1, node);
  p.add(F.opt_type_copy, o, 1, node);
  p.add(F.opt_type_class, o, 1, node);
  p.add(F.opt_type_number, o, 1, node);
}

function addrPair(p: Packet, fid: number, hostFid: number, o: number, node: number): void {
  p.add(fid, o, 4, node);
  p.add(hostFid, o, 4, node, HIDDEN | GENERATED);
}

function route(p: Packet, o: number, len: number, node: number, record: boolean): void {
  const ptrNode = p.add(F.opt_ptr, o + 2, 1, node);
  const ptr = p.u8(o + 2);
  if (ptr < 4 || ptr & 3) {
    p.expert(ptr < 4 ? E.opt_ptr_before : E.opt_ptr_middle, ptrNode);
    return;
  }
  let at = 3;
  for (let rem = len - 3; rem > 0; rem -= 4, at += 4) {
    if (rem < 4) {
      p.expert(E.subopt_too_long, ptrNode);
      break;
    }
    const a = o + at;
    if (record) {
      if (ptr > len || at + 1 < ptr) addrPair(p, F.rec_rt, F.rec_rt_host, a, node);
      else addrPair(p, F.empty_rt, F.empty_rt_host, a, node);
    } else if (ptr > len) {
      addrPair(p, F.rec_rt, F.rec_rt_host, a, node);
    } else if (at === len - 4) {
      // the final destination
      p.add(F.dst, a, 4, node);
      p.add(F.addr, a, 4, node, HIDDEN);
      p.add(F.dst_host, a, 4, node, HIDDEN | GENERATED);
      p.add(F.host, a, 4, node, HIDDEN | GENERATED);
    } else if (at + 1 < ptr) {
      addrPair(p, F.rec_rt, F.rec_rt_host, a, node);
    } else {
      addrPair(p, F.src_rt, F.src_rt_host, a, node);
    }
  }
}

function timestamp(p: Packet, o: number, len: number, node: number): void {
  p.add(F.opt_ptr, o + 2, 1, node);
  p.add(F.opt_overflow, o + 3, 1, node);
  p.add(F.opt_flag, o + 3, 1, node);
  const flg = p.u8(o + 3) & 0xf;
  let at = o + 4;
  let rem = len - 4;
  while (rem > 0) {
    if (flg === 1 || flg === 3) {
      if (rem < 8) {
        p.expert(E.subopt_too_long, p.addText(at, rem, node, 'Suboption would go past end of option'));
        break;
      }
      p.add(F.opt_time_stamp_addr, at, 4, node);
      p.add(F.opt_time_stamp, at + 4, 4, node);
      at += 8;
      rem -= 8;
    } else {
      if (rem < 4) {
        p.expert(E.subopt_too_long, p.addText(at, rem, node, 'Suboption would go past end of option'));
        break;
      }
      p.add(F.opt_time_stamp, at, 4, node);
      at += 4;
      rem -= 4;
    }
  }
}

function invalid(p: Packet, o: number, n: number, parent: number, msg: string): void {
  p.expert(E.opt_len_invalid, p.addText(o, n, parent, msg), msg);
}

/** Walks the options [off, off+length) of the IPv4 header starting at ipOff under `parent`. */
export function dissectIpv4Options(p: Packet, ipOff: number, off: number, length: number, end: number, parent: number): void {
  const tree = p.addText(off, length, parent, 'Options: (' + length + ' bytes)');
  let o = off;
  let rem = length;
  let nopCount = 0;
  while (rem > 0) {
    p.need(o, 1, end);
    const opt = p.u8(o);
    const d = OPTS[opt];
    let lenType = VARIABLE;
    let optlen = 2;
    if (d === undefined) {
      nopCount = 0;
    } else {
      lenType = d.lenType;
      optlen = d.optlen;
      if (opt === IPOPT_NOP && (nopCount === 0 || (o - ipOff) % 4)) nopCount++;
      else nopCount = 0;
    }
    const name = d === undefined ? 'Unknown (0x' + opt.toString(16).padStart(2, '0') + ')' : '';
    rem--;
    if (lenType !== NO_LENGTH) {
      if (rem === 0) {
        invalid(p, o, 1, tree, (d ? d.name : name) + ' (length byte past end of options)');
        return;
      }
      p.need(o + 1, 1, end);
      const len = p.u8(o + 1);
      rem--;
      if (len < 2) {
        invalid(p, o, 2, tree, (d ? d.name : name) + ' (with too-short option length = ' + bytes(len) + ')');
        return;
      } else if (len - 2 > rem) {
        invalid(p, o, rem, tree, (d ? d.name : name) + ' (option length = ' + bytes(len) + ' says option goes past end of options)');
        return;
      } else if (lenType === FIXED && len !== optlen) {
        invalid(p, o, len, tree, (d ? d.name : name) + ' (with option length = ' + bytes(len) + '; should be ' + optlen + ')');
        return;
      } else if (lenType === VARIABLE && len < optlen) {
        invalid(p, o, len, tree, (d ? d.name : name) + ' (with option length = ' + bytes(len) + '; should be >= ' + optlen + ')');
        return;
      }
      p.need(o, len, end);
      if (d === undefined) {
        p.addText(o, len, tree, name + ' (' + bytes(len) + ')');
      } else {
        const node = p.add(d.proto, o, len, tree);
        typeFields(p, o, node);
        const lenNode = p.add(F.opt_len, o + 1, 1, node);
        switch (d.kind) {
          case K_RR:
            route(p, o, len, node, true);
            break;
          case K_ROUTE:
            route(p, o, len, node, false);
            break;
          case K_TS:
            timestamp(p, o, len, node);
            break;
          case K_RA:
            p.add(F.opt_ra, o + 2, 2, node);
            break;
          case K_SID:
            p.add(F.optp_sid, o + 2, 2, node);
            break;
          case K_MTU:
            p.add(F.opt_mtu, o + 2, 2, node);
            break;
          case K_TR:
            p.add(F.opt_id_number, o + 2, 2, node);
            p.add(F.opt_ohc, o + 4, 2, node);
            p.add(F.opt_rhc, o + 6, 2, node);
            p.add(F.opt_originator, o + 8, 4, node);
            break;
          case K_SDB: {
            let a = o + 2;
            let r = len - 2;
            for (; r >= 4; a += 4, r -= 4) p.add(F.opt_addr, a, 4, node);
            if (r > 0) p.add(F.opt_padding, a, r, node);
            break;
          }
          default:
            void lenNode; // type and length only (the option's body is not decoded by gretool)
        }
      }
      o += len;
      rem -= len - 2;
    } else {
      const node = p.add(d!.proto, o, 1, tree);
      typeFields(p, o, node);
      o += 1;
      if (nopCount === 4 && opt === IPOPT_NOP) p.expert(E.nop, node);
    }
    if (opt === IPOPT_EOOL) break;
  }
}
