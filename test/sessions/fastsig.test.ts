/**
 * The signalling fast path (src/sessions/fastsig.ts) against full dissection + the Extractor,
 * frame by frame: a PBU/PBA it decodes must extract to the same SignallingEvent and dissect
 * with no expert item at all (the linter skips the dissection of such frames); it must leave
 * every odd frame to the full path. Checked on a corpus of hand-made frames (each odd one must
 * fall back), every capture in the repository, every built-in scenario of the generator with
 * and without each of its faults, a benchmark-like generated capture and, when present, a slice
 * of the benchmark capture. Whole reports with and without the fast path must be identical.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import '../../src/dissectors/index.js';
import { compareCapture } from './compare.js';
import { correlateCapture } from '../../src/sessions/run.js';
import { sessionsJson } from '../../src/sessions/report.js';
import { FAST_FALLBACK, FAST_PBA, FAST_PBU, FastPath } from '../../src/sessions/fastpath.js';
import { FAULTS } from '../../src/generate/faults.js';
import { generateCapture, listScenarios, loadScenario } from '../../src/generate/index.js';
import type { LinkKind } from '../../src/generate/model.js';
import { FIXTURES, SAMPLES, tempDir } from '../helpers/cli.js';
import { cat, eth, inetSum, ip4, ip6, ipv4, ipv6, pseudo4, pseudo6, u16, u32, udp } from '../fixtures/ip/build.js';
import { pcapBytes, signal4, signal6, type MhOpts } from './frames.js';
import { openCapture } from '../../src/capture/index.js';

const M6 = '2001:db8:1::1';
const L6 = '2001:db8:f::1';
const M4 = '192.0.2.10';
const L4 = '198.51.100.1';

interface Raw {
  type?: number; // MH type (5)
  proto?: number; // Payload Proto (59)
  reserved?: number;
  hlen?: number; // Header Len override
  flags?: number; // BU: 16-bit flags (A|H|P); BA: 8-bit (P)
  status?: number;
  seq?: number;
  lifetime?: number;
  opts: number[]; // option bytes from MH+12 (padded to 8n by the builder unless hlen is given)
  csum?: number; // override
}

/** A Mobility Header from raw option bytes; checksum over IPv6 addresses when `v6` is given. */
function rawMh(o: Raw, v6?: { src: string; dst: string }): Uint8Array {
  const type = o.type ?? 5;
  const opts = [...o.opts];
  const pad = (8 - ((12 + opts.length) % 8)) % 8;
  if (o.hlen === undefined) {
    if (pad === 1) opts.push(0);
    else if (pad >= 2) opts.push(1, pad - 2, ...new Array<number>(pad - 2).fill(0));
  }
  const len = 12 + opts.length;
  const head = [o.proto ?? 59, o.hlen ?? len / 8 - 1, type, o.reserved ?? 0, 0, 0];
  if (type === 5) head.push(...u16(o.seq ?? 1), ...u16(o.flags ?? 0xc200), ...u16(o.lifetime ?? 100));
  else head.push(o.status ?? 0, o.flags ?? 0x20, ...u16(o.seq ?? 1), ...u16(o.lifetime ?? 100));
  const m = Uint8Array.from([...head, ...opts]);
  const sum = o.csum ?? (v6 ? inetSum(pseudo6(v6.src, v6.dst, 135, m.length), m) : 0);
  m[4] = sum >>> 8;
  m[5] = sum & 255;
  return m;
}

const MNID = [8, 6, 1, ...new TextEncoder().encode('mn@xy')];
const HNP = (l = 64) => [22, 18, 0, l, ...ip6('2001:db8:aaaa::')];
const GREK = (key: number) => [33, 6, 0, 0, ...u32(key)];

function over6(m: Uint8Array, o: { src?: string; dst?: string; hlim?: number } = {}): Uint8Array {
  return eth(0x86dd, ipv6({ src: o.src ?? M6, dst: o.dst ?? L6, nxt: 135, hlim: o.hlim }, m));
}
function over4(m: Uint8Array, o: { sport?: number; dport?: number; ttl?: number; udpSum?: number; ipSum?: number } = {}): Uint8Array {
  const sport = o.sport ?? 5436;
  const dport = o.dport ?? 5436;
  return eth(0x0800, ipv4({ src: M4, dst: L4, proto: 17, ttl: o.ttl, checksum: o.ipSum }, udp({ sport, dport, checksum: o.udpSum, pseudo: pseudo4(M4, L4, 17, 8 + m.length) }, m)));
}
const pbu6 = (r: Raw) => over6(rawMh(r, { src: M6, dst: L6 }));

/** [frame, must the fast path decode it?] */
function corpus(): [Uint8Array, boolean, string][] {
  const f: [Uint8Array, boolean, string][] = [];
  const ok = (d: Uint8Array, what: string) => f.push([d, true, what]);
  const no = (d: Uint8Array, what: string) => f.push([d, false, what]);
  const base: MhOpts = { type: 'pbu', seq: 7, lifetime: 100, mnId: 'mn1@example.com', hnp: ['2001:db8:aaaa:1::/64'], hi: 1, att: 4, gre: 0x1234 };
  // the shapes the correlator sees: PBU/PBA over IPv6 and IPv4/UDP with every option it reads
  ok(signal6(M6, L6, base), 'PBU over IPv6');
  ok(signal6(L6, M6, { ...base, type: 'pba', status: 0, gre: 0xabcd }), 'PBA over IPv6');
  ok(signal6(M6, L6, { ...base, gre: 'nokey' }), 'PBU, GRE Key option Length 2');
  ok(signal6(M6, L6, { ...base, gre: undefined }), 'PBU without GRE Key option');
  ok(signal6(M6, L6, { ...base, gre: undefined, lifetime: 0 }), 'de-registration');
  ok(signal6(M6, L6, { ...base, hnp: ['2001:db8:aaaa:1::/64', '2001:db8:bbbb::/48', '::/0'] }), 'three HNPs');
  ok(signal6(M6, L6, { ...base, mnId: undefined }), 'no MN-ID');
  ok(signal6(M6, L6, { ...base, mnId: 'ünïcødé\u0000x' }), 'MN-ID with UTF-8 and NUL');
  ok(signal6(M6, L6, { ...base, hoa: '0.0.0.0' }), 'PBU with IPv4 HoA Request');
  ok(signal6(L6, M6, { ...base, type: 'pba', status: 0, hoa: '10.0.0.1', hoaStatus: 0 }), 'PBA with IPv4 HoA Reply');
  ok(signal6(L6, M6, { ...base, type: 'pba', status: 0, hoa: '10.0.0.1', hoaStatus: 129 }), 'PBA with IPv4 HoA Reply, status 129');
  ok(signal6(L6, M6, { ...base, type: 'pba', status: 163, gre: undefined }), 'rejecting PBA');
  ok(signal6(L6, M6, { ...base, type: 'pba', status: 3, gre: 5 }), 'PBA status 3');
  ok(signal6(L6, M6, { ...base, type: 'pba', status: 2, gre: undefined }), 'PBA status 2');
  ok(signal4(M4, L4, 40000, 5436, { ...base, tFlag: true, hoa: '0.0.0.0' }), 'PBU over IPv4/UDP, T');
  ok(signal4(L4, M4, 5436, 40000, { ...base, type: 'pba', status: 0, tFlag: true, hoa: '10.1.2.3' }), 'PBA over IPv4/UDP, T');
  ok(signal4(M4, L4, 5436, 5436, { ...base, fFlag: true, gre: undefined }), 'PBU over IPv4/UDP, F');
  ok(signal4(M4, L4, 5437, 60000, base), 'PBU over IPv4/UDP on the data port');
  ok(over4(rawMh({ opts: [...MNID, ...HNP()] }), { udpSum: 0 }), 'UDP checksum 0 (not present)');
  ok(pbu6({ opts: [0, 0, 0, 0, ...GREK(9), 1, 2, 0, 0, ...HNP(), ...MNID, 23, 2, 0, 5, 24, 2, 0, 3] }), 'Pad1/PadN before the options');
  ok(pbu6({ opts: [1, 4, 0, 0, 0, 0, 27, 8, 0, 0, 0, 1, 2, 3, 4, 5, ...MNID] }), 'timestamp option at 8n+2');
  ok(pbu6({ type: 6, flags: 0x20, opts: [...GREK(1), 38, 6, 0, 0, ...ip4('10.0.0.1'), 31, 6, 0, 0, 0, 0, 0, 0] }), 'PBA with IPv4 DRA and NAT detection');
  ok(pbu6({ opts: [1, 0, 28, 4, 0, 0, 0, 1, 1, 0, 26, 16, ...ip6('fe80::1'), ...MNID] }), 'restart counter and link-local address');
  // raw IP link types
  {
    const m = rawMh({ opts: [...MNID, ...HNP()] }, { src: M6, dst: L6 });
    const rawFrame = ipv6({ src: M6, dst: L6, nxt: 135 }, m);
    f.push([rawFrame, true, 'raw IPv6 link (link type set below)']);
  }
  // odd frames: each raises an expert item or reads differently, the full path decides
  no(pbu6({ opts: [...MNID], csum: 0x1234 }), 'bad MH checksum');
  no(over4(rawMh({ opts: [...MNID], csum: 0x1234 })), 'MH checksum over UDP not 0');
  no(pbu6({ proto: 6, opts: [...MNID] }), 'Payload Proto not 59');
  no(pbu6({ reserved: 1, opts: [...MNID] }), 'MH Reserved');
  no(pbu6({ flags: 0xc201, opts: [...MNID] }), 'BU reserved flags');
  no(pbu6({ type: 6, flags: 0x21, opts: [...MNID] }), 'BA reserved flags');
  no(pbu6({ flags: 0xc000, opts: [...MNID] }), 'BU without P');
  no(pbu6({ type: 6, flags: 0x00, opts: [...MNID] }), 'BA without P');
  ok(pbu6({ flags: 0xc240, opts: [...MNID] }), 'BU with B and P');
  no(pbu6({ opts: [1, 2, 0, 1, ...MNID] }), 'PadN not zero');
  no(pbu6({ opts: [...GREK(1), ...GREK(2)] }), 'two GRE Key options');
  no(pbu6({ opts: [33, 4, 0, 0, 0, 0] }), 'GRE Key option Length 4');
  no(pbu6({ opts: [33, 2, 0, 1] }), 'GRE Key option Reserved');
  no(pbu6({ opts: [0, 0, ...GREK(1)] }), 'GRE Key option misaligned');
  no(pbu6({ opts: [0, ...HNP()] }), 'HNP misaligned');
  no(pbu6({ opts: [22, 16, 0, 64, ...ip6('2001:db8::').slice(0, 14)] }), 'HNP Length 16');
  no(pbu6({ opts: [8, 1, 1] }), 'MN-ID Length 1');
  no(pbu6({ opts: [23, 3, 0, 1, 0] }), 'HI Length 3');
  no(pbu6({ opts: [99, 2, 0, 0] }), 'unknown option');
  no(pbu6({ opts: [19, 5, 0, 0, 0x28, 0xaf, 1] }), 'vendor-specific option');
  no(pbu6({ opts: [8, 20, 1, 2, 3] }), 'option past the end of the MH');
  no(pbu6({ opts: [...MNID], hlen: 5 }), 'Header Len past the packet');
  no(pbu6({ opts: [...MNID, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], hlen: 1 }), 'Header Len short of the packet');
  no(pbu6({ type: 7, opts: [] }), 'Binding Error');
  no(pbu6({ flags: 0xc280, opts: [...GREK(1)] }), 'T over IPv6');
  no(over4(rawMh({ flags: 0xc280, opts: [...MNID] })), 'PBU T without GRE key');
  no(pbu6({ lifetime: 0, opts: [...GREK(1)] }), 'de-registration with GRE key');
  no(pbu6({ type: 6, status: 2, opts: [...GREK(1)] }), 'PBA status 2 with GRE key');
  no(pbu6({ type: 6, status: 3, opts: [...MNID] }), 'PBA status 3 without GRE key');
  no(over4(rawMh({ type: 6, status: 3, flags: 0x30, opts: [...GREK(1)] })), 'PBA status 3 with T');
  no(pbu6({ type: 6, status: 130, opts: [...GREK(1)] }), 'rejecting PBA with key');
  no(over4(rawMh({ type: 6, status: 0, flags: 0x30, opts: [...MNID] })), 'PBA T without GRE key');
  no(over4(rawMh({ opts: [...MNID] }), { udpSum: 0x1111 }), 'bad UDP checksum');
  no(over4(rawMh({ opts: [...MNID] }), { ipSum: 0x1111 }), 'bad IPv4 checksum');
  no(over4(rawMh({ opts: [...MNID] }), { ttl: 1 }), 'TTL 1');
  no(over4(rawMh({ opts: [...MNID] }), { sport: 7, dport: 5436 }), 'lower port is echo');
  no(over4(rawMh({ opts: [...MNID] }), { sport: 4000, dport: 5000 }), 'other ports');
  {
    const g = signal6(M6, L6, base);
    no(cat(g.subarray(0, 12), [0x81, 0x00, ...u16(100)], g.subarray(12)), 'VLAN tag');
    no(cat(g, [0, 0, 0, 0]), 'Ethernet trailer');
    const grp = g.slice();
    grp[6] |= 1;
    no(grp, 'group source MAC');
    const short = g.slice();
    short[19] -= 8; // IPv6 payload length: 8 octets short of the frame
    no(short, 'IPv6 payload length short of the frame');
  }
  {
    const m = rawMh({ opts: [...MNID] });
    no(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 135 }, m)), 'MH directly over IPv4');
    no(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 17, options: [1, 1, 1, 0] }, udp({ sport: 5436, dport: 5436 }, m))), 'IPv4 options');
    no(eth(0x0800, ipv4({ src: M4, dst: L4, proto: 17, flags: 1 }, udp({ sport: 5436, dport: 5436 }, m))), 'IPv4 MF');
    no(eth(0x86dd, ipv6({ src: M6, dst: L6, nxt: 135, exts: [{ type: 60, body: [1, 4, 0, 0, 0, 0] }] }, rawMh({ opts: [...MNID] }, { src: M6, dst: L6 }))), 'destination options header');
  }
  return f;
}

test('signalling fast path: hand-made frames agree with full dissection, odd ones fall back', async () => {
  const frames = corpus();
  // Ethernet frames in one capture, the raw-IPv6 one in its own (link type 229)
  const ethFrames = frames.filter((x) => !x[2].startsWith('raw'));
  const c = await compareCapture(pcapBytes(ethFrames.map(([data], k) => ({ data, time: 1700000000 + k }))), { signalling: true });
  // each frame's verdict
  const reader = await openCapture(pcapBytes(ethFrames.map(([data], k) => ({ data, time: 1700000000 + k }))));
  const fast = new FastPath({ signalling: true });
  let rec;
  let i = 0;
  while ((rec = reader.next()) !== null) {
    const [, want, what] = ethFrames[i++]!;
    const k = fast.decode(rec);
    if (want) assert.ok(k === FAST_PBU || k === FAST_PBA, `${what}: not decoded (${k})`);
    else assert.equal(k, FAST_FALLBACK, `${what}: decoded by the fast path`);
  }
  await reader.close();
  assert.equal(c.pbu + c.pba, ethFrames.filter((x) => x[1]).length);
  // raw IPv6 link type
  const raw = frames.find((x) => x[2].startsWith('raw'))![0];
  const buf = pcapBytes([{ data: raw, time: 1700000000 }]);
  new DataView(buf.buffer, buf.byteOffset).setUint32(20, 229, true);
  const r = await compareCapture(buf, { signalling: true });
  assert.equal(r.pbu, 1);
});

const TMP = tempDir('gretool-fastsig-');

/** Every capture in the repository (samples, test fixtures). */
function repositoryCaptures(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(SAMPLES)) if (/\.pcap(ng)?$/.test(f)) out.push(join(SAMPLES, f));
  for (const f of ['mip6/varied.pcap', 'output/varied.pcap', 'output/varied.pcapng']) out.push(join(FIXTURES, f));
  return out;
}

test('signalling fast path agrees with full dissection on every capture in the repository', async () => {
  let signalling = 0;
  for (const path of repositoryCaptures()) {
    const c = await compareCapture(path, { signalling: true });
    signalling += c.pbu + c.pba;
    const a = sessionsJson((await correlateCapture(path, { fastPath: true })).correlator);
    const b = sessionsJson((await correlateCapture(path, { fastPath: false })).correlator);
    assert.deepEqual(a, b, path);
  }
  assert.ok(signalling > 20, `PBU/PBA decoded by the fast path: ${signalling}`);
});

test('signalling fast path agrees with full dissection on every scenario and fault of the generator', async () => {
  const caps: [string, string[], LinkKind?][] = listScenarios().map((s) => [s.name, []]);
  for (const f of FAULTS) caps.push([f.scenario, [f.name]]);
  // other link types: raw IP (decoded), Linux cooked (left to the full path)
  for (const link of ['raw', 'sll'] as const) for (const s of ['mixed', 'ipv4-udp-tlv']) caps.push([s, [], link]);
  let decoded = 0;
  let fellBack = 0;
  for (const [scenario, faults, link] of caps) {
    const path = join(TMP, `${scenario}${faults.length ? '+' + faults.join('+') : ''}${link ? '.' + link : ''}.pcap`);
    await generateCapture(loadScenario(scenario), path, { faults, link });
    const c = await compareCapture(path, { signalling: true });
    decoded += c.pbu + c.pba;
    fellBack += c.signalFallback;
    const a = sessionsJson((await correlateCapture(path, { fastPath: true })).correlator);
    const b = sessionsJson((await correlateCapture(path, { fastPath: false })).correlator);
    assert.deepEqual(a, b, path);
  }
  assert.ok(decoded > 100, `decoded ${decoded}`);
  assert.ok(fellBack > 10, `fell back ${fellBack}`); // the signalling faults
});

test('signalling fast path agrees with full dissection on benchmark traffic', async () => {
  // the benchmark's generator command (10 000 sessions) at a smaller size
  const path = join(TMP, 'mixed-bench.pcap');
  await generateCapture(loadScenario('mixed'), path, { packets: 40000, sessions: 10000, seed: 1 });
  const c = await compareCapture(path, { signalling: true });
  assert.ok(c.pbu + c.pba > 1000, `decoded ${c.pbu + c.pba}`);
  assert.equal(c.signalFallback, 0);
});
