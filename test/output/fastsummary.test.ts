/**
 * The summary fast path (src/output/fastsummary.ts) against the dissectors: every frame is
 * dissected twice, once through the dissectors and once with the fast path installed, and the
 * two summary lines must be the same bytes. Checked on hand-made frames (shapes the fast path
 * takes and odd ones it must leave alone), every capture in the repository, every scenario and
 * fault of the generator, benchmark-like traffic, and randomly mutated frames (fast-check).
 * Each check also counts the frames the fast path filled, so that it cannot pass by never
 * being used.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import '../../src/dissectors/index.js';
import { openCapture } from '../../src/capture/index.js';
import type { Packet } from '../../src/engine/packet.js';
import { Pipeline, type ColumnsFastPath } from '../../src/engine/pipeline.js';
import { fieldByName, wantMask } from '../../src/engine/fields.js';
import { table, type Dissector } from '../../src/engine/dispatch.js';
import { TextBuf } from '../../src/engine/textbuf.js';
import { FastSummary } from '../../src/output/fastsummary.js';
import { compileFilter, type DisplayFilter } from '../../src/filter/index.js';
import { SummaryWriter } from '../../src/output/summary.js';
import { TimeColumn } from '../../src/output/timefmt.js';
import { fastColumns, type RenderSpec } from '../../src/cli/commands/dissect-plan.js';
import { FAULTS } from '../../src/generate/faults.js';
import { generateCapture, listScenarios, loadScenario } from '../../src/generate/index.js';
import { FIXTURES, SAMPLES, gretool, tempDir } from '../helpers/cli.js';
import { cat, eth, icmp, ipv4, ipv6, pseudo4, pseudo6, tcp, u16, u32, udp } from '../fixtures/ip/build.js';
import { gre, greData, ipipData, signal4, signal6, tlv, tlvData, udpData } from '../sessions/frames.js';

type Bytes = Uint8Array;

/** Counts the frames the fast path fills. */
class Counting implements ColumnsFastPath {
  filled = 0;
  private readonly inner = new FastSummary();
  fill(p: Packet): boolean {
    const ok = this.inner.fill(p);
    if (ok) this.filled++;
    return ok;
  }
}

/** Two pipelines as a summary run sets them up: the columns and no field; one of them with the fast path. */
class Twin {
  readonly full = new Pipeline({ want: wantMask([]), columns: true });
  readonly quick = new Pipeline({ want: wantMask([]), columns: true });
  readonly fast = new Counting();
  frames = 0;
  private readonly wa = new SummaryWriter(new TimeColumn('r', [9]));
  private readonly wb = new SummaryWriter(new TimeColumn('r', [9]));
  private readonly a = new TextBuf(512);
  private readonly b = new TextBuf(512);
  constructor() {
    this.quick.setColumnsFastPath(this.fast);
  }
  /** Dissects the frame both ways; returns the two lines. */
  lines(data: Bytes, linkType: number, number: number, caplen = data.length, origlen = data.length): [string, string] {
    this.frames++;
    this.full.dissectBytes(data, 0, caplen, origlen, linkType, number, 1700000000 + number, 0);
    this.quick.dissectBytes(data, 0, caplen, origlen, linkType, number, 1700000000 + number, 0);
    this.a.len = 0;
    this.b.len = 0;
    this.wa.line(this.a, this.full.packet);
    this.wb.line(this.b, this.quick.packet);
    return [this.a.toString(), this.b.toString()];
  }
}

/** Every record of a capture through both paths: the lines must be equal. */
async function compareCapture(source: string | Bytes, what: string): Promise<{ frames: number; filled: number }> {
  const reader = await openCapture(source);
  const full = new Pipeline({ want: wantMask([]), columns: true });
  const quick = new Pipeline({ want: wantMask([]), columns: true });
  const fast = new Counting();
  quick.setColumnsFastPath(fast);
  const time = () => new TimeColumn('r', [9]);
  const wa = new SummaryWriter(time());
  const wb = new SummaryWriter(time());
  const a = new TextBuf(512);
  const b = new TextBuf(512);
  let frames = 0;
  try {
    for (;;) {
      for (let rec = reader.next(); rec !== null; rec = reader.next()) {
        frames++;
        full.dissect(rec);
        quick.dissect(rec);
        a.len = 0;
        b.len = 0;
        wa.line(a, full.packet);
        wb.line(b, quick.packet);
        if (a.len !== b.len || Buffer.compare(a.buf.subarray(0, a.len), b.buf.subarray(0, b.len)) !== 0) {
          const bytes = Buffer.from(rec.data.subarray(rec.offset, rec.offset + rec.caplen)).toString('hex');
          assert.equal(b.toString(), a.toString(), `${what}, frame ${rec.frameNumber} (${bytes})`);
        }
      }
      if (!(await reader.fill())) break;
    }
  } finally {
    await reader.close();
  }
  return { frames, filled: fast.filled };
}

const M6 = '2001:db8:1::1';
const L6 = '2001:db8:f::1';
const M4 = '192.0.2.10';
const L4 = '198.51.100.1';
const H4 = '10.1.2.3';
const S4 = '203.0.113.10';
const H6 = '2001:db8:a:1::10';
const S6 = '2001:db8:cafe::10';

function udp4(src: string, dst: string, sport: number, dport: number, body: Bytes, o: { checksum?: number; len?: number } = {}): Bytes {
  return ipv4({ src, dst, proto: 17 }, udp({ sport, dport, pseudo: pseudo4(src, dst, 17, 8 + body.length), ...o }, body));
}
function udp6(src: string, dst: string, sport: number, dport: number, body: Bytes, o: { checksum?: number } = {}): Bytes {
  return ipv6({ src, dst, nxt: 17 }, udp({ sport, dport, pseudo: pseudo6(src, dst, 17, 8 + body.length), ...o }, body));
}
function tcp4(src: string, dst: string, o: Parameters<typeof tcp>[0], body: Bytes): Bytes {
  const len = 20 + (o.options?.length ?? 0) + body.length;
  return ipv4({ src, dst, proto: 6 }, tcp({ pseudo: pseudo4(src, dst, 6, len), ...o }, body));
}
function tcp6(src: string, dst: string, o: Parameters<typeof tcp>[0], body: Bytes): Bytes {
  const len = 20 + (o.options?.length ?? 0) + body.length;
  return ipv6({ src, dst, nxt: 6 }, tcp({ pseudo: pseudo6(src, dst, 6, len), ...o }, body));
}
function ping4(src: string, dst: string, type: number, code = 0, o: { ttl?: number } = {}): Bytes {
  return ipv4({ src, dst, proto: 1, ttl: o.ttl }, icmp(type, code, [...u16(0x1234), ...u16(7)], new Uint8Array(32)));
}
function ping6(src: string, dst: string, type: number, code = 0): Bytes {
  const body = new Uint8Array(24);
  return ipv6({ src, dst, nxt: 58, hlim: 61 }, icmp(type, code, [...u16(0xbeef), ...u16(3)], body, { pseudo: pseudo6(src, dst, 58, 8 + body.length) }));
}

/**
 * A port below 7 with a dissector of its own (this test's), to show that the fast path follows
 * the port tables: on TCP one that takes any payload, on UDP one that first tests it (`accepts`).
 */
const TEST_PORT = 5;
const testDissector = (name: string): Dissector => ({
  proto: fieldByName('data')!.id,
  name,
  dissect(p: Packet) {
    p.cols.proto = name.toUpperCase();
    p.cols.info.clear().str(name);
  },
});
table('tcp.port').add(TEST_PORT, testDissector('test-tcp'));
table('udp.port').add(TEST_PORT, { ...testDissector('test-udp'), accepts: (p: Packet, off: number) => p.u8(off) === 0x61 });

/** [frame, must the fast path fill it?, what] */
function corpus(): [Bytes, boolean, string][] {
  const f: [Bytes, boolean, string][] = [];
  const ok = (d: Bytes, what: string) => f.push([d, true, what]);
  const no = (d: Bytes, what: string) => f.push([d, false, what]);
  const echo = new Uint8Array(40).fill(0x61);
  const echoReq4 = udp4(H4, S4, 40000, 7, echo);
  const echoReq6 = udp6(H6, S6, 40000, 7, echo);
  // the tunnels, each with an echo request
  ok(greData(M4, L4, echoReq4, { key: 0x1234 }), 'IPv4/GRE key/IPv4/UDP echo');
  ok(greData(M6, L6, echoReq6, { key: 0xffffffff }), 'IPv6/GRE key/IPv6/UDP echo');
  ok(greData(M6, L6, echoReq4, { key: 0, seq: 9 }), 'IPv6/GRE key+seq/IPv4');
  ok(greData(M4, L4, echoReq6), 'GRE without key');
  ok(ipipData(M6, L6, echoReq6), 'IPv6-in-IPv6');
  ok(ipipData(M4, L4, echoReq4), 'IPv4-in-IPv4');
  ok(tlvData(M4, L4, echoReq4, { key: 77 }), 'IPv4/UDP/TLV/GRE');
  ok(udpData(M4, L4, echoReq4), 'IPv4/UDP tunnel');
  {
    const t = tlv(4, echoReq4);
    ok(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 17 }, udp({ sport: 5437, dport: 5437, pseudo: pseudo4(M4, L4, 17, 8 + t.length) }, t))), 'TLV carrying IPv4');
  }
  {
    const g = greData(M4, L4, echoReq4, { key: 5 });
    ok(cat(g.subarray(0, 12), [0x81, 0x00, ...u16(100)], g.subarray(12)), 'VLAN tag');
    ok(cat(g, [0, 0, 0, 0]), 'Ethernet trailer');
  }
  // inner transports
  ok(greData(M4, L4, udp4(S4, H4, 7, 40000, echo), { key: 1 }), 'echo response');
  ok(greData(M4, L4, udp4(H4, S4, 7, 7, echo), { key: 1 }), 'echo both ports 7');
  ok(greData(M4, L4, udp4(H4, S4, 40000, 7, echo, { checksum: 0x1111 }), { key: 1 }), 'echo, bad UDP checksum');
  ok(greData(M6, L6, udp6(H6, S6, 40000, 7, echo, { checksum: 0 }), { key: 1 }), 'echo over IPv6, UDP checksum 0');
  no(greData(M4, L4, udp4(H4, S4, 40000, 53, echo), { key: 1 }), 'UDP to another port');
  ok(greData(M4, L4, udp4(H4, S4, 5436, 7, echo), { key: 1 }), 'UDP 5436 to 7 (7 is the lower port, tried first)');
  ok(greData(M4, L4, udp4(H4, S4, 0, 7, echo), { key: 1 }), 'UDP from port 0 to 7 (port 0 is not tried)');
  no(greData(M4, L4, udp4(H4, S4, 5437, 40000, echo), { key: 1 }), 'UDP, lower port 5437 (PMIPv6 data port)');
  no(greData(M4, L4, udp4(H4, S4, 0, 7, new Uint8Array(0)), { key: 1 }), 'UDP without payload');
  no(greData(M4, L4, ipv4({ src: H4, dst: S4, proto: 17 }, udp({ sport: 40000, dport: 7, len: 30 }, echo)), { key: 1 }), 'UDP length short of the datagram');
  for (const flags of [0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0x00, 0x3f, 0xfff, 0x20]) {
    ok(greData(M4, L4, tcp4(H4, S4, { sport: 49152, dport: 7, seq: 4000000000, ack: 12345, flags, win: 64240, urg: 9 }, new Uint8Array(0)), { key: 2 }), `TCP flags 0x${flags.toString(16)}`);
  }
  ok(greData(M6, L6, tcp6(H6, S6, { sport: 7, dport: 51000, flags: 0x18 }, echo), { key: 3 }), 'TCP echo response over IPv6');
  ok(greData(M4, L4, tcp4(H4, S4, { sport: 51000, dport: 7, flags: 0x18 }, echo), { key: 3 }), 'TCP echo request');
  ok(greData(M4, L4, tcp4(H4, S4, { sport: 51000, dport: 8080, flags: 0x18 }, echo), { key: 3 }), 'TCP payload as data');
  ok(greData(M4, L4, tcp4(H4, S4, { sport: 51000, dport: 7, flags: 0x02, checksum: 0x4321 }, new Uint8Array(0)), { key: 3 }), 'TCP bad checksum');
  no(greData(M4, L4, tcp4(H4, S4, { sport: 51000, dport: 7, flags: 0x02, options: [2, 4, 5, 0xb4] }, new Uint8Array(0)), { key: 3 }), 'TCP with options');
  no(greData(M4, L4, tcp4(H4, S4, { sport: 51000, dport: TEST_PORT, flags: 0x18 }, echo), { key: 3 }), 'TCP payload to a port with another dissector');
  no(greData(M4, L4, tcp4(H4, S4, { sport: 7, dport: TEST_PORT, flags: 0x18 }, echo), { key: 3 }), 'TCP, lower port with another dissector');
  no(greData(M4, L4, udp4(H4, S4, 7, TEST_PORT, echo), { key: 3 }), 'UDP, lower port with a dissector that tests the payload');
  ok(greData(M4, L4, tcp4(H4, S4, { sport: 51000, dport: TEST_PORT, flags: 0x02 }, new Uint8Array(0)), { key: 3 }), 'TCP without payload to a port with a dissector');
  no(greData(M4, L4, ipv4({ src: H4, dst: S4, proto: 6 }, new Uint8Array(12)), { key: 3 }), 'TCP header cut');
  ok(greData(M4, L4, ping4(H4, S4, 8), { key: 4 }), 'ICMP echo request');
  ok(greData(M4, L4, ping4(S4, H4, 0, 0, { ttl: 1 }), { key: 4 }), 'ICMP echo reply, TTL 1');
  ok(greData(M4, L4, ping4(S4, H4, 0, 5), { key: 4 }), 'ICMP echo reply, code 5');
  no(greData(M4, L4, ping4(S4, H4, 3, 1), { key: 4 }), 'ICMP unreachable');
  no(greData(M4, L4, ping4(S4, H4, 13), { key: 4 }), 'ICMP timestamp');
  ok(greData(M6, L6, ping6(H6, S6, 128), { key: 4 }), 'ICMPv6 echo request');
  ok(greData(M6, L6, ping6(S6, H6, 129, 3), { key: 4 }), 'ICMPv6 echo reply, code 3');
  no(greData(M6, L6, ping6(S6, H6, 1, 3), { key: 4 }), 'ICMPv6 unreachable');
  no(greData(M6, L6, ipv6({ src: H6, dst: S6, nxt: 1 }, icmp(8, 0, [0, 1, 0, 1], new Uint8Array(8))), { key: 4 }), 'ICMP over IPv6');
  no(greData(M6, L6, ipv6({ src: H6, dst: S6, nxt: 17, exts: [{ type: 60, body: [1, 4, 0, 0, 0, 0] }] }, udp({ sport: 1, dport: 7 }, echo)), { key: 4 }), 'inner extension header');
  no(greData(M4, L4, ipv4({ src: H4, dst: S4, proto: 17, flags: 1 }, udp({ sport: 1, dport: 7 }, echo)), { key: 4 }), 'inner MF');
  no(greData(M4, L4, ipv4({ src: H4, dst: S4, proto: 17, frag: 3 }, udp({ sport: 1, dport: 7 }, echo)), { key: 4 }), 'inner fragment offset');
  ok(greData(M4, L4, ipv4({ src: H4, dst: S4, proto: 17, flags: 2 }, udp({ sport: 1, dport: 7 }, echo)), { key: 4 }), 'inner DF');
  no(greData(M4, L4, cat(udp4(H4, S4, 1, 7, echo), [1, 2, 3, 4]), { key: 4 }), 'inner datagram short of the tunnel');
  no(greData(M4, L4, ipv4({ src: H4, dst: S4, proto: 47 }, gre(echoReq4, { key: 9 })), { key: 4 }), 'GRE in GRE');
  no(greData(M4, L4, ipv4({ src: H4, dst: S4, proto: 17, options: [1, 1, 1, 0] }, udp({ sport: 1, dport: 7 }, echo)), { key: 4 }), 'inner IPv4 options');
  no(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 47 }, cat([0xa0, 0, 0x08, 0, 0, 0, 0, 0, ...u32(4)], echoReq4))), 'GRE checksum');
  no(eth(0x0800, udp4(S4, H4, 40000, 7, echo)), 'echo not tunnelled');
  // signalling
  const base = { type: 'pbu' as const, seq: 7, lifetime: 100, mnId: 'mn1@example.com', hnp: ['2001:db8:aaaa:1::/64'], hi: 1, att: 4, gre: 0x1234 };
  ok(signal6(M6, L6, base), 'PBU over IPv6');
  ok(signal6(L6, M6, { ...base, type: 'pba', status: 0, gre: 0xabcd }), 'PBA over IPv6');
  ok(signal6(M6, L6, { ...base, gre: 'nokey' }), 'PBU, GRE(no key)');
  ok(signal6(M6, L6, { ...base, gre: undefined, lifetime: 0 }), 'de-registration');
  ok(signal6(M6, L6, { ...base, mnId: 'ünïcødé\u0000x' }), 'MN-ID not printable');
  ok(signal6(M6, L6, { ...base, mnId: 'x'.repeat(80) }), 'MN-ID over 64 octets');
  ok(signal6(L6, M6, { ...base, type: 'pba', status: 163, gre: undefined }), 'rejecting PBA');
  ok(signal6(L6, M6, { ...base, type: 'pba', status: 250, gre: undefined }), 'PBA with an unnamed status');
  ok(signal4(M4, L4, 40000, 5436, { ...base, tFlag: true, hoa: '0.0.0.0' }), 'PBU over IPv4/UDP, T');
  ok(signal4(L4, M4, 5436, 40000, { ...base, type: 'pba', status: 0, tFlag: true, hoa: '10.1.2.3' }), 'PBA over IPv4/UDP, T');
  ok(signal4(M4, L4, 5436, 5436, { ...base, fFlag: true, gre: undefined }), 'PBU over IPv4/UDP, F');
  no(signal6(M6, L6, { ...base, type: 'pbu', lifetime: 0 }), 'de-registration with a GRE key (expert item)');
  {
    // wrong checksums: expert items, but the same columns, so the fast path takes them
    const g = signal6(M6, L6, base);
    g[14 + 40 + 4]! ^= 0x5a;
    ok(g, 'PBU over IPv6, wrong MH checksum');
    const u = signal4(M4, L4, 40000, 5436, { ...base, tFlag: true, hoa: '0.0.0.0' });
    u[14 + 20 + 6]! ^= 0x5a;
    ok(u, 'PBU over IPv4/UDP, wrong UDP checksum');
    const h = signal4(M4, L4, 40000, 5436, { ...base, tFlag: true, hoa: '0.0.0.0' });
    h[14 + 10]! ^= 0x5a;
    ok(h, 'PBU over IPv4/UDP, wrong IPv4 header checksum');
  }
  {
    const g = signal6(M6, L6, base);
    no(cat(g.subarray(0, 12), [0x81, 0x00, ...u16(100)], g.subarray(12)), 'PBU behind a VLAN tag');
  }
  return f;
}

test('summary fast path: hand-made frames give the dissectors\' line; odd ones are left to them', () => {
  const twin = new Twin();
  let n = 0;
  for (const [data, want, what] of corpus()) {
    const before = twin.fast.filled;
    const [a, b] = twin.lines(data, 1, ++n);
    assert.equal(b, a, what);
    assert.equal(twin.fast.filled - before, want ? 1 : 0, `${what}: ${want ? 'not filled by' : 'filled by'} the fast path (${a})`);
  }
  // the MN-ID as printable ASCII, at most 64 octets (values known, not taken from either path)
  const [unicode] = twin.lines(signal6(M6, L6, { type: 'pbu', seq: 1, lifetime: 1, mnId: 'ünïcødé\u0000x' }), 1, ++n);
  assert.match(unicode, / MN-ID=\.\.n\.\.c\.\.d\.\.\.x$/);
  const [long] = twin.lines(signal6(M6, L6, { type: 'pbu', seq: 1, lifetime: 1, mnId: 'x'.repeat(80) }), 1, ++n);
  assert.ok(long.endsWith(` MN-ID=${'x'.repeat(64)}...`), long);
  const [flags] = twin.lines(signal4(M4, L4, 5436, 5436, { type: 'pbu', seq: 9, lifetime: 0, mnId: 'a', fFlag: true, tFlag: true, gre: 'nokey' }), 1, ++n);
  assert.match(flags, /MIPv6 \d+ Proxy Binding Update seq=9 lifetime=0 \(dereg\) flags=A,H,P,F,T GRE\(no key\) MN-ID=a$/);
  // a cut frame is the dissectors' (the fast path wants every octet): the octets past the
  // captured length are another record's (here 0xee), which no checksum may read
  for (const inner of [udp4(H4, S4, 1, 7, new Uint8Array(40)), tcp4(H4, S4, { sport: 51000, dport: 8080, flags: 0x18 }, new Uint8Array(60))]) {
    const g = greData(M4, L4, inner, { key: 1 });
    g.fill(0xee, 80);
    const before = twin.fast.filled;
    const [a, b] = twin.lines(g, 1, ++n, 80, g.length);
    assert.equal(b, a);
    assert.equal(twin.fast.filled, before);
    assert.doesNotMatch(a, /INCORRECT/);
  }
});

test('summary fast path: raw IP link types', () => {
  const twin = new Twin();
  const inner4 = udp4(H4, S4, 40000, 7, new Uint8Array(16));
  const frames: [Bytes, number][] = [
    [ipv4({ src: M4, dst: L4, proto: 47 }, gre(inner4, { key: 3 })), 101],
    [ipv4({ src: M4, dst: L4, proto: 47 }, gre(inner4, { key: 3 })), 228],
    [ipv6({ src: M6, dst: L6, nxt: 47 }, gre(inner4, { key: 3 })), 229],
  ];
  for (const [data, lt] of frames) {
    const [a, b] = twin.lines(data, lt, 1);
    assert.equal(b, a, `link type ${lt}`);
  }
  assert.equal(twin.fast.filled, frames.length);
});

const TMP = tempDir('gretool-fastsummary-');

test('summary fast path agrees with the dissectors on every capture in the repository', async () => {
  const paths: string[] = [];
  for (const f of readdirSync(SAMPLES)) if (/\.pcap(ng)?$/.test(f)) paths.push(join(SAMPLES, f));
  for (const f of ['mip6/varied.pcap', 'output/varied.pcap', 'output/varied.pcapng']) paths.push(join(FIXTURES, f));
  let filled = 0;
  for (const p of paths) filled += (await compareCapture(p, p)).filled;
  assert.ok(filled > 100, `frames filled by the fast path: ${filled}`);
});

test('summary fast path agrees with the dissectors on every scenario and fault of the generator', async () => {
  const caps: [string, string[], ('raw' | 'sll')?][] = listScenarios().map((s) => [s.name, []]);
  for (const f of FAULTS) caps.push([f.scenario, [f.name]]);
  for (const link of ['raw', 'sll'] as const) for (const s of ['mixed', 'ipv4-udp-tlv']) caps.push([s, [], link]);
  let frames = 0;
  let filled = 0;
  for (const [scenario, faults, link] of caps) {
    const path = join(TMP, `${scenario}${faults.length ? '+' + faults.join('+') : ''}${link ? '.' + link : ''}.pcap`);
    await generateCapture(loadScenario(scenario), path, { faults, link });
    const c = await compareCapture(path, path);
    frames += c.frames;
    filled += c.filled;
  }
  // most generated frames are common shapes; the faults' frames mostly are not
  assert.ok(filled > frames / 2, `filled ${filled} of ${frames}`);
  assert.ok(filled < frames, `filled ${filled} of ${frames}`);
});

test('summary fast path fills nearly every frame of benchmark traffic, with the same lines', async () => {
  const path = join(TMP, 'mixed-bench.pcap');
  await generateCapture(loadScenario('mixed'), path, { packets: 40000, sessions: 10000, seed: 1 });
  const c = await compareCapture(path, 'benchmark traffic');
  assert.equal(c.frames, 40000);
  assert.ok(c.filled > 0.97 * c.frames, `filled ${c.filled} of ${c.frames}`);
});

test('summary fast path: randomly mutated frames give the dissectors\' line', async () => {
  // seeds: the hand-made corpus and the first frames of a generated capture (every shape it has)
  const seeds: Bytes[] = corpus().map((x) => x[0]);
  const path = join(TMP, 'mixed-seeds.pcap');
  await generateCapture(loadScenario('mixed'), path, { packets: 3000, sessions: 50, seed: 7 });
  const reader = await openCapture(path);
  for (let rec = reader.next(); rec !== null || (await reader.fill()); rec = reader.next()) {
    if (rec !== null && rec.frameNumber % 10 === 0) seeds.push(rec.data.slice(rec.offset, rec.offset + rec.caplen));
  }
  await reader.close();
  const twin = new Twin();
  const edit = fc.record({
    at: fc.nat(), // position: most edits in the headers (first 100 octets), where the decisions are
    inHeaders: fc.boolean(),
    value: fc.integer({ min: 0, max: 255 }),
  });
  fc.assert(
    fc.property(fc.nat(seeds.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.integer({ min: -8, max: 4 }), (i, edits, resize) => {
      let data: Bytes = seeds[i]!.slice();
      for (const e of edits) data[e.inHeaders ? e.at % Math.min(100, data.length) : e.at % data.length] = e.value;
      // sometimes cut or extend the frame (lengths no longer agree)
      if (resize < 0) data = data.subarray(0, Math.max(14, data.length + resize));
      else if (resize === 4) data = cat(data, [0, 0, 0, 0]);
      const [a, b] = twin.lines(data, 1, i + 1);
      assert.equal(b, a, Buffer.from(data).toString('hex'));
    }),
    { numRuns: 4000 },
  );
  // the property is not vacuous: many mutated frames still take the fast path
  assert.ok(twin.fast.filled > twin.frames / 10, `filled ${twin.fast.filled} of ${twin.frames}`);
});

test('the CLI uses the fast path only for plain summary lines, and prints what a filtered run prints', () => {
  const spec: RenderSpec = { format: 'text', fields: [], fieldsOptions: [], timeFormat: 'r', summary: true, detail: false, hex: false, text: true, colors: null };
  const on = (s: RenderSpec, filter?: DisplayFilter, hooks = 0) => fastColumns(s, filter, hooks).columnsFastPath instanceof FastSummary;
  assert.equal(on(spec), true);
  assert.equal(on({ ...spec, colors: { error: ['', ''], warning: ['', ''] } }), false);
  assert.equal(on({ ...spec, detail: true }), false);
  assert.equal(on({ ...spec, hex: true }), false);
  assert.equal(on({ ...spec, format: 'fields' }), false);
  assert.equal(on({ ...spec, text: false }), false);
  assert.equal(on(spec, compileFilter('gre')), false);
  assert.equal(on(spec, undefined, 1), false);
  // a filter that every frame passes turns the fast path off: the same lines either way
  for (const f of ['mixed.pcap', 'handoff.pcap', 'ipv4-udp-tlv.pcap']) {
    const plain = gretool(['dissect', join(SAMPLES, f)]);
    const filtered = gretool(['dissect', join(SAMPLES, f), '-Y', 'frame']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout, filtered.stdout, f);
    assert.ok(plain.stdout.split('\n').length > 20);
  }
});
