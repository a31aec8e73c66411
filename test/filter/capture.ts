/**
 * The filter parity capture: a varied Ethernet capture built by hand, byte by byte from the
 * RFCs (RFC 791/8200 IP, RFC 768 UDP, RFC 2784/2890 GRE with keys, RFC 6275 Mobility Header,
 * RFC 5213 PBU/PBA, RFC 5845 GRE Key option: type 33, length 6, at MH+12), with repeated
 * fields on purpose: tunnelled frames carry two IP headers, so ip.src/ip.dst/ip.addr occur
 * twice. Lengths and checksums are computed; one frame is cut by the snap length.
 */
import {
  cat, eth, icmp, ip6, ipv4, ipv6, pseudo4, pseudo6, tcp, text, u16, u32, udp, vlanTag, writePcap, type Frame,
} from '../fixtures/ip/build.js';

export const MAC_MAG = '02:00:00:00:00:01';
export const MAC_LMA = '02:00:00:00:00:02';
export const MAC_OTHER = '00:1b:21:aa:bb:cc';

export const MAG4 = '192.0.2.1';
export const LMA4 = '198.51.100.1';
export const MN4 = '10.0.0.7';
export const MN4B = '10.0.0.8';
export const SRV4 = '203.0.113.9';
export const MAG6 = '2001:db8:1::1';
export const LMA6 = '2001:db8:2::1';

function udp4(src: string, dst: string, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  return ipv4({ src, dst, proto: 17 }, udp({ sport, dport, pseudo: pseudo4(src, dst, 17, 8 + payload.length) }, payload));
}

/** GRE header (RFC 2784 + RFC 2890): C/K/S bits from what is given; checksum computed. */
export function gre(proto: number, payload: Uint8Array, o: { key?: number; seq?: number; checksum?: boolean } = {}): Uint8Array {
  const flags = (o.checksum ? 0x8000 : 0) | (o.key !== undefined ? 0x2000 : 0) | (o.seq !== undefined ? 0x1000 : 0);
  const opt: number[] = [];
  if (o.checksum) opt.push(0, 0, 0, 0);
  if (o.key !== undefined) opt.push(...u32(o.key));
  if (o.seq !== undefined) opt.push(...u32(o.seq));
  const pkt = cat(u16(flags), u16(proto), opt, payload);
  if (o.checksum) {
    let s = 0;
    for (let i = 0; i + 1 < pkt.length; i += 2) s += (pkt[i]! << 8) | pkt[i + 1]!;
    if (pkt.length & 1) s += pkt[pkt.length - 1]! << 8;
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    const c = ~s & 0xffff;
    pkt[4] = c >>> 8;
    pkt[5] = c & 255;
  }
  return pkt;
}

function sum16(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (b.length & 1) s += b[b.length - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** Mobility Header (RFC 6275 §6.1.1): header + body padded to 8n; checksum over the IPv6 pseudo-header if addresses are given. */
export function mh(type: number, body: number[], src6?: string, dst6?: string): Uint8Array {
  const b = [...body];
  const pad = (8 - ((6 + b.length) % 8)) % 8;
  if (pad === 1) b.push(0);
  else if (pad >= 2) b.push(1, pad - 2, ...new Array<number>(pad - 2).fill(0));
  const total = 6 + b.length;
  const m = Uint8Array.from([59, total / 8 - 1, type, 0, 0, 0, ...b]);
  if (src6 && dst6) {
    const c = sum16(cat(ip6(src6), ip6(dst6), u32(m.length), [0, 0, 0, 135], m));
    m[4] = c >>> 8;
    m[5] = c & 255;
  }
  return m;
}

const opt = (t: number, data: number[]): number[] => [t, data.length, ...data];
/** GRE Key option (RFC 5845 §3.1): type 33, length 6 (or 2 without a key), reserved, key. */
export const greKeyOpt = (key?: number): number[] => opt(33, [0, 0, ...(key !== undefined ? u32(key) : [])]);
const mnidOpt = (nai: string): number[] => opt(8, [1, ...text(nai)]);
const padN = (n: number): number[] => (n === 1 ? [0] : [1, n - 2, ...new Array<number>(n - 2).fill(0)]);

/** PBU body: sequence, flags (A=0x8000 H L K M R P=0x0200 F=0x0100 T=0x0080 B), lifetime, options. */
const pbu = (seq: number, flags: number, lifetime: number, options: number[]): number[] => [...u16(seq), ...u16(flags), ...u16(lifetime), ...options];
/** PBA body: status, flags (K=0x80 R P=0x20 T=0x10 B), sequence, lifetime, options. */
const pba = (status: number, flags: number, seq: number, lifetime: number, options: number[]): number[] => [status, flags, ...u16(seq), ...u16(lifetime), ...options];

export interface FilterFrame extends Frame {
  /** What the frame is (for failure messages). */
  note: string;
}

/** The frames, in order (frame numbers are 1-based). */
export function filterFrames(): FilterFrame[] {
  const f: FilterFrame[] = [];
  const E = (note: string, type: number, p: Uint8Array, o: { src?: string; dst?: string } = {}): void => {
    f.push({ note, data: eth(type, p, { src: o.src ?? MAC_MAG, dst: o.dst ?? MAC_LMA }) });
  };
  // 1 GRE key 0x1001 uplink: IPv4 / GRE / IPv4 / UDP (two ip.src: MAG4 then MN4)
  E('gre 0x1001 up', 0x0800, ipv4({ src: MAG4, dst: LMA4, proto: 47 }, gre(0x0800, udp4(MN4, SRV4, 40000, 47010, text('query-one')), { key: 0x1001 })));
  // 2 GRE key 0x1002 with sequence number, second mobile node
  E('gre 0x1002 seq', 0x0800, ipv4({ src: MAG4, dst: LMA4, proto: 47 }, gre(0x0800, udp4(MN4B, SRV4, 40001, 47001, text('second')), { key: 0x1002, seq: 7 })));
  // 3 GRE key 0x1001 downlink (inner dst MN4), checksum present
  E('gre 0x1001 down', 0x0800, ipv4({ src: LMA4, dst: MAG4, proto: 47 }, gre(0x0800, udp4(SRV4, MN4, 47010, 40000, text('answer')), { key: 0x1001, checksum: true })), { src: MAC_LMA, dst: MAC_MAG });
  // 4 IPv6 transport GRE key 0x2001 carrying IPv6 / ICMPv6 echo request
  {
    const s = '2001:db8:100::7';
    const d = '2001:db8:ff::1';
    const pl = text('ping6');
    const ic = icmp(128, 0, [...u16(1), ...u16(1)], pl, { pseudo: pseudo6(s, d, 58, 8 + pl.length) });
    E('gre6 0x2001', 0x86dd, ipv6({ src: MAG6, dst: LMA6, nxt: 47 }, gre(0x86dd, ipv6({ src: s, dst: d, nxt: 58 }, ic), { key: 0x2001 })));
  }
  // 5 PBU (A P T) with GRE Key option 0xA001 at MH+12, then MN-ID
  E('pbu key a001', 0x86dd, ipv6({ src: MAG6, dst: LMA6, nxt: 135 }, mh(5, pbu(100, 0x8000 | 0x0200 | 0x0080, 1500, [...greKeyOpt(0xa001), ...mnidOpt('mn1@example.org')]), MAG6, LMA6)));
  // 6 PBA status 0 (P T) with GRE Key option 0xB001
  E('pba 0 key b001', 0x86dd, ipv6({ src: LMA6, dst: MAG6, nxt: 135 }, mh(6, pba(0, 0x20 | 0x10, 100, 1500, [...greKeyOpt(0xb001), ...mnidOpt('mn1@example.org')]), LMA6, MAG6)), { src: MAC_LMA, dst: MAC_MAG });
  // 7 PBA status 163 (GRE key option required), no key
  E('pba 163', 0x86dd, ipv6({ src: LMA6, dst: MAG6, nxt: 135 }, mh(6, pba(163, 0x20, 101, 0, mnidOpt('MN2@Example.org')), LMA6, MAG6)), { src: MAC_LMA, dst: MAC_MAG });
  // 8 plain IPv4 / UDP with text payload, other MAC
  E('udp hello', 0x0800, udp4('192.0.2.50', '192.0.2.51', 1234, 5678, text('hello world')), { src: MAC_OTHER });
  // 9 GRE without key carrying IPv4 / ICMP echo
  E('gre nokey', 0x0800, ipv4({ src: MAG4, dst: LMA4, proto: 47 }, gre(0x0800, ipv4({ src: MN4, dst: SRV4, proto: 1 }, icmp(8, 0, [0, 0x42, 0, 1], text('abcdefgh'))))));
  // 10 IPv4 / TCP SYN
  {
    const t = tcp({ sport: 50000, dport: 179, seq: 12345, flags: 0x002, pseudo: pseudo4(MAG4, LMA4, 6, 20) }, new Uint8Array(0));
    E('tcp syn', 0x0800, ipv4({ src: MAG4, dst: LMA4, proto: 6 }, t));
  }
  // 11 GRE key 0x1001 from another MAG: same inner MN4, different outer source
  E('gre 0x1001 mag2', 0x0800, ipv4({ src: '192.0.2.2', dst: LMA4, proto: 47 }, gre(0x0800, udp4(MN4, SRV4, 40002, 47010, text('query-two')), { key: 0x1001 })));
  // 12 PBU over IPv4 / UDP 5436 (RFC 5844): F and T set, GRE Key option with key 0x0C0DE
  {
    const m = mh(5, pbu(7, 0x8000 | 0x0200 | 0x0100 | 0x0080, 600, [...greKeyOpt(0xc0de), ...padN(2), ...mnidOpt('mn3@example.org')]));
    E('pbu udp key c0de', 0x0800, udp4(MAG4, LMA4, 5436, 5436, m));
  }
  // 13 PBA status 3 over IPv4 / UDP with a key
  E('pba 3 udp', 0x0800, udp4(LMA4, MAG4, 5436, 5436, mh(6, pba(3, 0x20, 7, 600, greKeyOpt(0xc0de)))), { src: MAC_LMA, dst: MAC_MAG });
  // 14 GRE key 0xFFFFFFFF (max), inner IPv4 in the 172.16/12 range
  E('gre max key', 0x0800, ipv4({ src: MAG4, dst: LMA4, proto: 47 }, gre(0x0800, udp4('172.16.5.5', SRV4, 47002, 47003, text('x')), { key: 0xffffffff })));
  // 15 GRE key 0x1001 cut by the snap length inside the inner IPv4 header
  {
    const full = eth(0x0800, ipv4({ src: MAG4, dst: LMA4, proto: 47 }, gre(0x0800, udp4(MN4, SRV4, 1, 2, text('y'.repeat(40))), { key: 0x1001 })), { src: MAC_MAG, dst: MAC_LMA });
    f.push({ note: 'gre truncated', data: full, caplen: 50 });
  }
  // 16 802.1Q VLAN 42 / IPv4 / UDP
  f.push({ note: 'vlan udp', data: eth(0x8100, vlanTag(3, 0, 42, 0x0800, udp4(MAG4, LMA4, 7000, 7001, text('tagged'))), { src: MAC_MAG, dst: 'ff:ff:ff:ff:ff:ff' }) });
  // 17 unknown ethertype: data only
  f.push({ note: 'ethertype 88b5', data: eth(0x88b5, text('local experimental'), { src: MAC_OTHER, dst: MAC_LMA }) });
  // 18 GRE key 0 with inner IPv4 / UDP to port 0x1001 (a key-looking port)
  E('gre key 0', 0x0800, ipv4({ src: MAG4, dst: LMA4, proto: 47 }, gre(0x0800, udp4(MN4B, SRV4, 4097, 4097, text('zero')), { key: 0 })));
  return f;
}

/** Writes the capture (link type Ethernet); returns its path. */
export function writeFilterCapture(path: string): string {
  writePcap(path, 1, filterFrames());
  return path;
}
