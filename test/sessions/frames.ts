/**
 * Hand-built PMIPv6 frames for the session tests, laid out byte by byte from the RFCs
 * (independently of the dissectors' and the generator's builders, so they can catch them):
 * PBU/PBA Mobility Headers (RFC 6275 §6.1, RFC 5213 §8, RFC 5845 §6, RFC 5844 §3) over IPv6 or
 * IPv4/UDP 5436 (RFC 5844 §4), GRE with key and sequence number (RFC 2890), the RFC 5845 §7 TLV
 * header, plain IP-in-IP. Captures are classic pcaps with explicit timestamps.
 */
import { writeFileSync } from 'node:fs';
import { cat, eth, inetSum, ip4, ip6, ipv4, ipv6, pseudo4, pseudo6, u16, u32, udp, type Bytes } from '../fixtures/ip/build.js';

export { cat };

export interface MhOpts {
  type: 'pbu' | 'pba';
  seq: number;
  /** Lifetime field in 4-s units. */
  lifetime: number;
  status?: number;
  mnId?: string;
  hnp?: string[]; // "2001:db8:1::/64"
  hi?: number;
  att?: number;
  /** GRE Key option: a number (Length 6), 'nokey' (Length 2), or absent. */
  gre?: number | 'nokey';
  tFlag?: boolean;
  fFlag?: boolean;
  /** IPv4 HoA Request (PBU) / Reply (PBA) address. */
  hoa?: string;
  hoaStatus?: number;
}

/** Pads `opts` (which start at MH+12) so the next option's Type octet is at x·n+y of the MH. */
function align(opts: number[], x: number, y: number): void {
  const at = () => 12 + opts.length;
  const need = (y - (at() % x) + x) % x;
  if (need === 1) opts.push(0);
  else if (need >= 2) opts.push(1, need - 2, ...new Array<number>(need - 2).fill(0));
}

/** A PBU or PBA Mobility Header, checksum computed when `v6` addresses are given, else 0. */
export function mh(o: MhOpts, v6?: { src: string; dst: string }): Bytes {
  const opts: number[] = [];
  if (o.gre !== undefined) {
    align(opts, 4, 0);
    if (o.gre === 'nokey') opts.push(33, 2, 0, 0);
    else opts.push(33, 6, 0, 0, ...u32(o.gre));
  }
  if (o.hoa !== undefined) {
    align(opts, 4, 0);
    if (o.type === 'pbu') opts.push(36, 6, 32 << 2, 0, ...ip4(o.hoa));
    else opts.push(37, 6, o.hoaStatus ?? 0, 32 << 2, ...ip4(o.hoa));
  }
  for (const h of o.hnp ?? []) {
    const [p, l] = h.split('/');
    align(opts, 8, 4);
    opts.push(22, 18, 0, Number(l ?? 64), ...ip6(p!));
  }
  if (o.mnId !== undefined) {
    const id = [...new TextEncoder().encode(o.mnId)];
    opts.push(8, 1 + id.length, 1, ...id);
  }
  if (o.hi !== undefined) opts.push(23, 2, 0, o.hi);
  if (o.att !== undefined) opts.push(24, 2, 0, o.att);
  // pad the MH to a multiple of 8 octets
  const total = 12 + opts.length;
  const pad = (8 - (total % 8)) % 8;
  if (pad === 1) opts.push(0);
  else if (pad >= 2) opts.push(1, pad - 2, ...new Array<number>(pad - 2).fill(0));
  const len = 12 + opts.length;
  const head: number[] = [59, len / 8 - 1, o.type === 'pbu' ? 5 : 6, 0, 0, 0];
  if (o.type === 'pbu') {
    // A H L K M R P F | T B
    const flags = 0x8000 | 0x4000 | 0x0200 | (o.fFlag ? 0x0100 : 0) | (o.tFlag ? 0x0080 : 0);
    head.push(...u16(o.seq), ...u16(flags), ...u16(o.lifetime));
  } else {
    // status, K R P T B, seq, lifetime
    head.push(o.status ?? 0, 0x20 | (o.tFlag ? 0x10 : 0), ...u16(o.seq), ...u16(o.lifetime));
  }
  const m = Uint8Array.from([...head, ...opts]);
  if (v6) {
    const sum = inetSum(pseudo6(v6.src, v6.dst, 135, m.length), m);
    m[4] = sum >>> 8;
    m[5] = sum & 255;
  }
  return m;
}

/** PBU/PBA over IPv6 (Next Header 135), on Ethernet. */
export function signal6(src: string, dst: string, o: MhOpts): Bytes {
  return eth(0x86dd, ipv6({ src, dst, nxt: 135 }, mh(o, { src, dst })));
}

/** PBU/PBA over IPv4/UDP (RFC 5844 §4: no IPv6 header, MH checksum 0), on Ethernet. */
export function signal4(src: string, dst: string, sport: number, dport: number, o: MhOpts): Bytes {
  const m = mh(o);
  return eth(0x0800, ipv4({ src, dst, proto: 17 }, udp({ sport, dport, pseudo: pseudo4(src, dst, 17, 8 + m.length) }, m)));
}

/** GRE header (RFC 2784/2890) with optional key and sequence number, then the payload. */
export function gre(payload: Bytes, o: { key?: number; seq?: number; proto?: number } = {}): Bytes {
  const flags = (o.key !== undefined ? 0x2000 : 0) | (o.seq !== undefined ? 0x1000 : 0);
  const proto = o.proto ?? ((payload[0]! >> 4) === 4 ? 0x0800 : 0x86dd);
  const h = [...u16(flags), ...u16(proto)];
  if (o.key !== undefined) h.push(...u32(o.key));
  if (o.seq !== undefined) h.push(...u32(o.seq));
  return cat(h, payload);
}

/** RFC 5845 §7.2 TLV header (Type 0, Res 0, Next Header, Length) in front of `payload`. */
export function tlv(nh: number, payload: Bytes): Bytes {
  return cat([0x00, nh, ...u16(payload.length)], payload);
}

/** An inner packet: IPv6 or IPv4 with a small UDP payload. */
export function inner(src: string, dst: string, bytes = 20): Bytes {
  const v6 = src.includes(':');
  const pseudo = v6 ? pseudo6(src, dst, 17, 8 + bytes) : pseudo4(src, dst, 17, 8 + bytes);
  const body = udp({ sport: 1000, dport: 2000, pseudo }, new Uint8Array(bytes));
  return v6 ? ipv6({ src, dst, nxt: 17 }, body) : ipv4({ src, dst, proto: 17 }, body);
}

/** The outer IP header of a tunnel, on Ethernet. */
function outer(src: string, dst: string, proto: number, payload: Bytes): Bytes {
  return src.includes(':') ? eth(0x86dd, ipv6({ src, dst, nxt: proto }, payload)) : eth(0x0800, ipv4({ src, dst, proto }, payload));
}

/** IPv6/GRE or IPv4/GRE data (RFC 5845). */
export function greData(src: string, dst: string, innerPkt: Bytes, o: { key?: number; seq?: number } = {}): Bytes {
  return outer(src, dst, 47, gre(innerPkt, o));
}

/** IP-in-IP data (RFC 5213 IPv6-in-IPv6, RFC 5844 IPv4 mode). */
export function ipipData(src: string, dst: string, innerPkt: Bytes): Bytes {
  return outer(src, dst, (innerPkt[0]! >> 4) === 4 ? 4 : 41, innerPkt);
}

/** IPv4/UDP/TLV/GRE data (RFC 5845 §7, IPv4-UDP-TLV mode), ports 5437. */
export function tlvData(src: string, dst: string, innerPkt: Bytes, o: { key?: number; seq?: number; port?: number } = {}): Bytes {
  const t = tlv(47, gre(innerPkt, o));
  const port = o.port ?? 5437;
  return eth(0x0800, ipv4({ src, dst, proto: 17 }, udp({ sport: port, dport: port, pseudo: pseudo4(src, dst, 17, 8 + t.length) }, t)));
}

/** IPv4/UDP data without TLV (RFC 5844 IPv4-UDP mode), ports 5437. */
export function udpData(src: string, dst: string, innerPkt: Bytes): Bytes {
  return eth(0x0800, ipv4({ src, dst, proto: 17 }, udp({ sport: 5437, dport: 5437, pseudo: pseudo4(src, dst, 17, 8 + innerPkt.length) }, innerPkt)));
}

export interface TimedFrame {
  data: Bytes;
  /** Epoch seconds (fraction allowed, microsecond-exact at best: prefer `nsec` for exact times). */
  time: number;
  /** When set: the nanoseconds within the second, exactly (time is then taken as whole seconds). */
  nsec?: number;
}

/** Writes a little-endian nanosecond pcap (link type Ethernet) with the frames' own times. */
export function writePcapNs(path: string, frames: TimedFrame[]): void {
  writeFileSync(path, pcapBytes(frames));
}

export function pcapBytes(frames: TimedFrame[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b23c4d, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(262144, 16);
  gh.writeUInt32LE(1, 20);
  parts.push(gh);
  for (const f of frames) {
    const rh = Buffer.alloc(16);
    const sec = Math.floor(f.time);
    const nsec = f.nsec ?? Math.min(999999999, Math.round((f.time - sec) * 1e9));
    rh.writeUInt32LE(sec, 0);
    rh.writeUInt32LE(nsec, 4);
    rh.writeUInt32LE(f.data.length, 8);
    rh.writeUInt32LE(f.data.length, 12);
    parts.push(rh, f.data);
  }
  return cat(...parts);
}
