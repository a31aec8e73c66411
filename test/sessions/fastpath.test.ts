/**
 * The fast path must give exactly what full dissection + the Extractor give: for every frame of
 * a varied corpus (ordinary, tunnelled, odd and broken frames), a fast-path DATA event equals
 * the extracted event field by field, and fast-path NONE means the full path extracts nothing.
 * Then whole reports with and without the fast path must be identical.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/dissectors/index.js';
import { compareCapture } from './compare.js';
import { correlateCapture } from '../../src/sessions/run.js';
import { sessionsJson } from '../../src/sessions/report.js';
import { eth, ipv4, ipv6, tcp, udp, u16, u32, cat, pseudo4 } from '../fixtures/ip/build.js';
import { gre, greData, inner, ipipData, pcapBytes, signal4, signal6, tlv, tlvData, udpData, type TimedFrame } from './frames.js';

const M6 = '2001:db8:1::1';
const L6 = '2001:db8:f::1';
const M4 = '192.0.2.10';
const L4 = '198.51.100.1';

function corpus(): TimedFrame[] {
  const f: Uint8Array[] = [];
  const i6 = inner('2001:db8:aaaa:1::5', '2001:db8:cc::1');
  const i4 = inner('10.0.0.1', '8.8.8.8');
  // signalling
  f.push(signal6(M6, L6, { type: 'pbu', seq: 1, lifetime: 100, mnId: 'a', hnp: ['2001:db8:aaaa:1::/64'], gre: 1 }));
  f.push(signal6(L6, M6, { type: 'pba', seq: 1, lifetime: 100, mnId: 'a', hnp: ['2001:db8:aaaa:1::/64'], gre: 2 }));
  f.push(signal4(M4, L4, 5436, 5436, { type: 'pbu', seq: 1, lifetime: 100, mnId: 'b', gre: 3, tFlag: true, hoa: '0.0.0.0' }));
  f.push(signal4(L4, M4, 5436, 5436, { type: 'pba', seq: 1, lifetime: 100, mnId: 'b', gre: 4, tFlag: true, hoa: '10.0.0.1' }));
  // plain data shapes
  f.push(greData(M6, L6, i6, { key: 2, seq: 7 }));
  f.push(greData(L6, M6, inner('2001:db8:cc::1', '2001:db8:aaaa:1::5'), { key: 1 }));
  f.push(greData(M6, L6, i6));
  f.push(greData(M4, L4, i4, { key: 4 }));
  f.push(greData(M4, L4, i6, { key: 4 }));
  f.push(ipipData(M6, L6, i6));
  f.push(ipipData(M4, L4, i4));
  f.push(ipipData(M6, L6, i4));
  f.push(tlvData(M4, L4, i4, { key: 4, seq: 1 }));
  f.push(tlvData(L4, M4, inner('8.8.8.8', '10.0.0.1'), { key: 3 }));
  f.push(udpData(M4, L4, i4));
  f.push(udpData(M4, L4, i6));
  // VLAN-tagged GRE
  const g = greData(M4, L4, i4, { key: 4 });
  f.push(cat(g.subarray(0, 12), [0x81, 0x00, ...u16(100)], g.subarray(12)));
  // GRE with checksum, GRE with routing bit, GRE version 1, GRE carrying something else
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 47 }, cat([0xa0, 0, 0x08, 0, 0, 0, 0, 0, ...u32(4)], i4))));
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 47 }, cat([0x60, 0, 0x08, 0, 0, 0, 0, 0, ...u32(4), 0, 0, 0, 0], i4))));
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 47 }, cat([0x20, 1, 0x08, 0, ...u32(4)], i4))));
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 47 }, gre(new Uint8Array(30), { key: 4, proto: 0x6558 }))));
  // GRE protocol says IPv4, payload is IPv6
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 47 }, gre(i6, { key: 4, proto: 0x0800 }))));
  // ordinary traffic
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 6 }, tcp({ sport: 1, dport: 2, flags: 0x02 }, new Uint8Array(0)))));
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 17 }, udp({ sport: 53, dport: 40000 }, new Uint8Array(10)))));
  f.push(eth(0x0806, new Uint8Array(28)));
  f.push(eth(0x86dd, ipv6({ src: M6, dst: L6, nxt: 59 }, new Uint8Array(0))));
  // IPv4 options, fragments, IPv6 extension header before GRE
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 47, options: [1, 1, 1, 0] }, gre(i4, { key: 4 }))));
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 47, flags: 1 }, gre(i4, { key: 4 }))));
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 47, frag: 10 }, gre(i4, { key: 4 }))));
  f.push(eth(0x86dd, ipv6({ src: M6, dst: L6, nxt: 47, exts: [{ type: 60, body: [1, 4, 0, 0, 0, 0] }] }, gre(i6, { key: 2 }))));
  // UDP oddities: TLV with a bad length, GRE without TLV, TLV on 5436, other ports with 5437, MH-looking payload on 5437
  const badTlv = cat([0, 47, ...u16(99)], gre(i4, { key: 4 }));
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 17 }, udp({ sport: 5437, dport: 5437, pseudo: pseudo4(M4, L4, 17, 8 + badTlv.length) }, badTlv))));
  const noTlv = gre(i4, { key: 4 });
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 17 }, udp({ sport: 5437, dport: 5437, pseudo: pseudo4(M4, L4, 17, 8 + noTlv.length) }, noTlv))));
  f.push(tlvData(M4, L4, i4, { key: 4, port: 5436 }));
  const t2 = tlv(47, gre(i4, { key: 4 }));
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 17 }, udp({ sport: 40000, dport: 5437, pseudo: pseudo4(M4, L4, 17, 8 + t2.length) }, t2))));
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 17 }, udp({ sport: 5437, dport: 53, pseudo: pseudo4(M4, L4, 17, 8 + t2.length) }, t2))));
  f.push(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 17 }, udp({ sport: 5437, dport: 5437 }, Uint8Array.from([0x3b, 1, 5, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])))));
  // inner header broken: bad version, short IPv4 total length, truncated inner
  f.push(greData(M4, L4, cat([0x46], inner('10.0.0.1', '8.8.8.8').subarray(1)), { key: 4 }));
  const shortInner = inner('10.0.0.1', '8.8.8.8');
  shortInner[2] = 0;
  shortInner[3] = 10;
  f.push(greData(M4, L4, shortInner, { key: 4 }));
  // ICMP error quoting a GRE packet
  f.push(eth(0x0800, ipv4({ src: L4, dst: M4, proto: 1 }, cat([3, 1, 0, 0, 0, 0, 0, 0], ipv4({ src: M4, dst: L4, proto: 47 }, gre(i4, { key: 4 }))))));
  return f.map((data, k) => ({ data, time: 1700000000 + k * 0.01 }));
}

test('fast path agrees with full dissection frame by frame on a varied corpus', async () => {
  const c = await compareCapture(pcapBytes(corpus()));
  // the clean shapes take the fast path, the odd ones fall back
  assert.ok(c.data >= 14, `fast-path data frames: ${c.data}`);
  assert.ok(c.none >= 3, `fast-path none: ${c.none}`);
  assert.ok(c.fallback >= 15, `fallbacks: ${c.fallback}`);
});

test('reports with and without the fast path are identical', async () => {
  const bytes = pcapBytes(corpus());
  const a = sessionsJson((await correlateCapture(bytes, { fastPath: true })).correlator);
  const b = sessionsJson((await correlateCapture(bytes, { fastPath: false })).correlator);
  assert.deepEqual(a, b);
  assert.ok(a.summary.attributedFrames > 5);
});
