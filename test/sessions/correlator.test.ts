/**
 * The correlator core, fed with hand-built events (no dissection): pairing, the binding state
 * machine and data attribution. Every attribution test would fail if the frame went to the
 * wrong binding or direction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Correlator } from '../../src/sessions/correlator.js';
import { DataEvent, signalling } from '../../src/sessions/events.js';
import { DIR_DOWN, DIR_UP, ENCAP_GRE, ENCAP_IPIP, ENCAP_UDP_TLV, REASONS, type SessionListener } from '../../src/sessions/types.js';

const MAG1 = '2001:db8:1::1';
const MAG2 = '2001:db8:2::1';
const LMA = '2001:db8:f::1';
const T0 = 1700000000;

interface Reg {
  frame: number;
  mag?: string;
  lma?: string;
  mn?: string;
  seq: number;
  dl?: number | null;
  ul?: number | null;
  status?: number;
  lifetime?: number;
  hnp?: string;
  hi?: number;
  time?: number;
  pbuLen?: number;
  pbaLen?: number;
  tPbu?: boolean;
  tPba?: boolean;
  hoa?: string;
}

/** Feeds a PBU (frame n) and its PBA (frame n+1). */
function register(c: Correlator, r: Reg): void {
  const mag = r.mag ?? MAG1;
  const lma = r.lma ?? LMA;
  const t = r.time ?? T0 + r.frame;
  c.pbu(signalling({
    type: 'pbu', frame: r.frame, time: t, src: mag, dst: lma, seq: r.seq, mnId: r.mn ?? 'mn1@example.com',
    greKey: r.dl ?? null, greKeyLen: r.pbuLen ?? (r.dl != null ? 6 : -1), lifetime: r.lifetime ?? 900,
    hnp: [r.hnp ?? '::/64'], hi: r.hi ?? 1, tFlag: r.tPbu ?? false, ipv4Hoa: r.hoa ?? null,
  }));
  c.pba(signalling({
    type: 'pba', frame: r.frame + 1, time: t + 0.002, src: lma, dst: mag, seq: r.seq, mnId: r.mn ?? 'mn1@example.com',
    status: r.status ?? 0, greKey: r.ul ?? null, greKeyLen: r.pbaLen ?? (r.ul != null ? 6 : -1),
    lifetime: r.lifetime ?? 900, hnp: r.hnp ? [r.hnp] : [], tFlag: r.tPba ?? false, ipv4Hoa: r.hoa ?? null,
    ipv4HoaStatus: r.hoa ? 0 : -1,
  }));
}

function up(frame: number, o: { mag?: string; lma?: string; key?: number | null; inner?: string; time?: number; seq?: number; encap?: number }): DataEvent {
  return DataEvent.of({
    frame, time: o.time, src: o.mag ?? MAG1, dst: o.lma ?? LMA, key: o.key, seq: o.seq, encap: o.encap,
    innerSrc: o.inner ?? '2001:db8:aaaa:1::100', innerDst: '2001:db8:cccc::1',
  });
}
function down(frame: number, o: { mag?: string; lma?: string; key?: number | null; inner?: string; time?: number; encap?: number }): DataEvent {
  return DataEvent.of({
    frame, time: o.time, src: o.lma ?? LMA, dst: o.mag ?? MAG1, key: o.key, encap: o.encap,
    innerSrc: '2001:db8:cccc::1', innerDst: o.inner ?? '2001:db8:aaaa:1::100',
  });
}

test('initial registration with keys: uplink and downlink attributed by key and direction', () => {
  const c = new Correlator();
  register(c, { frame: 1, seq: 7, dl: 0x1001, ul: 0x2001, hnp: '2001:db8:aaaa:1::/64' });
  const b = c.bindings()[0]!;
  assert.equal(c.bindings().length, 1);
  assert.equal(b.state, 'active');
  assert.equal(b.greMode, 'keys');
  assert.equal(b.downlinkKey, 0x1001);
  assert.equal(b.uplinkKey, 0x2001);
  assert.equal(b.transport, 'ipv6');
  assert.equal(b.lifetime, 3600);
  assert.deepEqual(b.hnp, [{ prefix: '2001:db8:aaaa:1::', len: 64 }]);

  let r = c.data(up(3, { key: 0x2001, seq: 0 }));
  assert.equal(r.binding?.id, 1);
  assert.equal(r.bindingId, 1);
  assert.equal(r.direction, DIR_UP);
  r = c.data(down(4, { key: 0x1001 }));
  assert.equal(r.binding?.id, 1);
  assert.equal(r.bindingId, 1);
  assert.equal(r.direction, DIR_DOWN);
  // the uplink key used downlink: wrong direction
  r = c.data(down(5, { key: 0x2001 }));
  assert.equal(r.binding, null);
  assert.equal(r.bindingId, 0, 'no binding: id 0');
  assert.equal(REASONS[r.reason], 'wrong-direction');
  assert.equal(r.candidate?.id, 1);
  // an unknown key between the same endpoints
  r = c.data(up(6, { key: 0x9999 }));
  assert.equal(r.binding, null);
  assert.equal(REASONS[r.reason], 'unknown-key');
  assert.equal(r.candidate?.id, 1, 'the inner source is in the HNP: candidate');
  // unrelated endpoints
  r = c.data(up(7, { mag: '2001:db8:9::9', key: 0x2001 }));
  assert.equal(REASONS[r.reason], 'no-binding');
  c.finish();
  assert.deepEqual([b.uplink.frames, b.downlink.frames], [1, 1]);
  assert.equal(b.uplink.firstFrame, 3);
  assert.equal(b.downlink.lastFrame, 4);
  const un = c.unattributed();
  assert.equal(un.length, 3);
  assert.deepEqual(un.map((u) => [u.key, u.src, u.dst, [...u.frameNumbers]]), [
    [0x2001, LMA, MAG1, [5]],
    [0x9999, MAG1, LMA, [6]],
    [0x2001, '2001:db8:9::9', LMA, [7]],
  ]);
});

test('keys are compared as numbers: 0 and 0xffffffff are keys like any other', () => {
  const c = new Correlator();
  register(c, { frame: 1, seq: 1, dl: 0, ul: 0xffffffff, hnp: '2001:db8:aaaa:1::/64' });
  assert.equal(c.data(up(3, { key: 0xffffffff })).binding?.id, 1);
  assert.equal(c.data(down(4, { key: 0 })).binding?.id, 1);
  assert.equal(c.data(down(5, { key: 0x100000000 - 2 })).binding, null);
});

test('lifetime extension from the same MAG keeps the binding; history records it', () => {
  const c = new Correlator();
  register(c, { frame: 1, seq: 1, dl: 10, ul: 20, hnp: '2001:db8:aaaa:1::/64', lifetime: 100 });
  register(c, { frame: 3, seq: 2, dl: 10, ul: 20, hnp: '2001:db8:aaaa:1::/64', lifetime: 100, hi: 5 });
  assert.equal(c.bindings().length, 1);
  const b = c.bindings()[0]!;
  assert.deepEqual(b.history.map((h) => h.kind), ['initial', 'lifetime-extension']);
  assert.equal(b.state, 'active');
  assert.equal(c.data(up(5, { key: 20 })).binding?.id, 1);
});

test('handoff keeps the binding, moves it to the new MAG, keeps the previous MAG; old tunnel is stale', () => {
  const c = new Correlator();
  const hnp = '2001:db8:aaaa:1::/64';
  register(c, { frame: 1, seq: 1, dl: 0x11, ul: 0x21, hnp });
  assert.equal(c.data(up(3, { key: 0x21 })).binding?.id, 1);
  register(c, { frame: 4, seq: 1, mag: MAG2, dl: 0x12, ul: 0x21, hnp, hi: 3 });
  assert.equal(c.bindings().length, 1, 'a handoff is not a new binding');
  const b = c.bindings()[0]!;
  assert.equal(b.mag, MAG2);
  assert.equal(b.downlinkKey, 0x12);
  const h = b.history[1]!;
  assert.equal(h.kind, 'handoff');
  assert.equal(h.previousMag, MAG1);
  assert.equal(h.mag, MAG2);
  // new MAG, uplink key unchanged, downlink key new
  let r = c.data(up(6, { mag: MAG2, key: 0x21 }));
  assert.equal(r.binding?.id, 1);
  assert.equal(r.direction, DIR_UP);
  r = c.data(down(7, { mag: MAG2, key: 0x12 }));
  assert.equal(r.binding?.id, 1);
  assert.equal(r.direction, DIR_DOWN);
  // the LMA still using the old MAG's tunnel and key after the move
  r = c.data(down(8, { mag: MAG1, key: 0x11 }));
  assert.equal(r.binding, null);
  assert.equal(REASONS[r.reason], 'stale-binding');
  assert.equal(r.candidate?.id, 1);
  // the old downlink key on the new tunnel is unknown there
  r = c.data(down(9, { mag: MAG2, key: 0x11 }));
  assert.equal(r.binding, null);
  c.finish();
  assert.deepEqual([b.uplink.frames, b.downlink.frames], [2, 1]);
});

test('de-registration ends the binding; registering again starts a new one; old keys are stale', () => {
  const c = new Correlator();
  const hnp = '2001:db8:aaaa:1::/64';
  register(c, { frame: 1, seq: 1, dl: 1, ul: 2, hnp });
  register(c, { frame: 3, seq: 2, lifetime: 0 });
  assert.equal(c.bindings()[0]!.state, 'deregistered');
  let r = c.data(up(5, { key: 2 }));
  assert.equal(r.binding, null);
  assert.equal(REASONS[r.reason], 'stale-binding');
  assert.equal(r.candidate?.id, 1);
  register(c, { frame: 6, seq: 3, dl: 3, ul: 4, hnp });
  assert.equal(c.bindings().length, 2);
  assert.equal(c.bindings()[1]!.state, 'active');
  assert.equal(c.bindings()[1]!.history[0]!.kind, 'initial');
  r = c.data(up(8, { key: 4 }));
  assert.equal(r.binding?.id, 2);
  // an unkeyed packet of the MN goes to the new binding (inner address)
  r = c.data(up(9, { key: null, encap: ENCAP_IPIP }));
  assert.equal(r.binding?.id, 2);
  c.finish();
  assert.deepEqual(c.bindings()[0]!.history.map((h) => h.kind), ['initial', 'deregistration']);
});

test('163 then retry with the GRE Key option: one binding, rejected then active, keyed data attributed', () => {
  const c = new Correlator();
  const hnp = '2001:db8:aaaa:1::/64';
  register(c, { frame: 1, seq: 1, status: 163, hnp });
  const b = c.bindings()[0]!;
  assert.equal(b.state, 'rejected');
  assert.equal(b.history[0]!.reason, 'GRE_KEY_OPTION_REQUIRED');
  assert.equal(b.history[0]!.attempted, 'initial');
  // nothing is attributed to a rejected binding
  assert.equal(c.data(up(3, { key: null, encap: ENCAP_IPIP })).binding, null);
  register(c, { frame: 4, seq: 2, dl: 0xa001, ul: 0xb001, hnp });
  assert.equal(c.bindings().length, 1);
  assert.equal(b.state, 'active');
  assert.deepEqual(b.history.map((h) => [h.kind, h.status]), [['rejected', 163], ['initial', 0]]);
  assert.equal(c.data(up(6, { key: 0xb001 })).binding?.id, 1);
  assert.equal(c.data(down(7, { key: 0xa001 })).binding?.id, 1);
});

test('status 2: GRE not required, plain IPv6-in-IPv6 attributed by HNP, keyed GRE is not', () => {
  const c = new Correlator();
  const hnp = '2001:db8:aaaa:1::/64';
  register(c, { frame: 1, seq: 1, dl: 0x55, status: 2, hnp });
  const b = c.bindings()[0]!;
  assert.equal(b.greMode, 'none');
  assert.equal(b.downlinkKey, null);
  assert.equal(b.uplinkKey, null);
  let r = c.data(up(3, { key: null, encap: ENCAP_IPIP }));
  assert.equal(r.binding?.id, 1);
  r = c.data(down(4, { key: null, encap: ENCAP_IPIP }));
  assert.equal(r.binding?.id, 1);
  assert.equal(r.direction, DIR_DOWN);
  r = c.data(down(5, { key: 0x55 }));
  assert.equal(r.binding, null, 'the key was never granted');
  assert.equal(REASONS[r.reason], 'unknown-key');
  // a different MN prefix between the same endpoints
  r = c.data(up(6, { key: null, encap: ENCAP_IPIP, inner: '2001:db8:bbbb::5' }));
  assert.equal(r.binding, null);
});

test('status 3 over IPv4: GRE agreed, TLV refused → IPv4-GRE transport, tlv false; keyed IPv4/GRE attributed', () => {
  const c = new Correlator();
  const MAG = '192.0.2.10';
  const L = '198.51.100.1';
  register(c, { frame: 1, seq: 1, mag: MAG, lma: L, dl: 0x100, ul: 0x200, status: 3, tPbu: true, tPba: false, hoa: '10.1.0.5' });
  const b = c.bindings()[0]!;
  assert.equal(b.transport, 'ipv4');
  assert.equal(b.tlv, false);
  assert.equal(b.greMode, 'keys');
  assert.equal(b.ipv4HomeAddress, '10.1.0.5');
  const r = c.data(DataEvent.of({ frame: 3, src: MAG, dst: L, key: 0x200, innerSrc: '10.1.0.5', innerDst: '203.0.113.9' }));
  assert.equal(r.binding?.id, 1);
  assert.equal(r.direction, DIR_UP);
});

test('IPv4/UDP with T and a key: TLV negotiated, transport ipv4-udp', () => {
  const c = new Correlator();
  const MAG = '192.0.2.10';
  const L = '198.51.100.1';
  register(c, { frame: 1, seq: 1, mag: MAG, lma: L, dl: 7, ul: 8, tPbu: true, tPba: true, hoa: '10.1.0.5' });
  const b = c.bindings()[0]!;
  assert.equal(b.tlv, true);
  assert.equal(b.transport, 'ipv4-udp');
  const r = c.data(DataEvent.of({ frame: 3, src: L, dst: MAG, key: 7, encap: ENCAP_UDP_TLV, sport: 5437, dport: 5437, innerSrc: '203.0.113.9', innerDst: '10.1.0.5' }));
  assert.equal(r.binding?.id, 1);
  assert.equal(r.direction, DIR_DOWN);
});

test('RFC 5845 Figure 1: same private IPv4 address behind one MAG/LMA pair, the key decides', () => {
  const c = new Correlator();
  const MAG = '192.0.2.10';
  const L = '198.51.100.1';
  register(c, { frame: 1, seq: 1, mag: MAG, lma: L, mn: 'a@x', dl: 0x1111, ul: 0x2111, hoa: '10.0.0.1' });
  register(c, { frame: 3, seq: 2, mag: MAG, lma: L, mn: 'b@x', dl: 0x1222, ul: 0x2222, hoa: '10.0.0.1' });
  assert.equal(c.bindings().length, 2);
  const mk = (frame: number, src: string, dst: string, key: number | null, isrc: string, idst: string) =>
    DataEvent.of({ frame, src, dst, key, innerSrc: isrc, innerDst: idst });
  const expect: [DataEvent, number | null, number][] = [
    [mk(5, MAG, L, 0x2111, '10.0.0.1', '8.8.8.8'), 1, DIR_UP],
    [mk(6, MAG, L, 0x2222, '10.0.0.1', '8.8.8.8'), 2, DIR_UP],
    [mk(7, L, MAG, 0x1222, '8.8.8.8', '10.0.0.1'), 2, DIR_DOWN],
    [mk(8, L, MAG, 0x1111, '8.8.8.8', '10.0.0.1'), 1, DIR_DOWN],
    [mk(9, MAG, L, 0x2222, '10.0.0.1', '1.1.1.1'), 2, DIR_UP],
  ];
  for (const [ev, id, dir] of expect) {
    const r = c.data(ev);
    assert.equal(r.binding?.id ?? null, id, `frame ${ev.frame}`);
    assert.equal(r.direction, dir, `frame ${ev.frame}`);
  }
  // without a key the inner address cannot tell them apart
  const r = c.data(mk(10, MAG, L, null, '10.0.0.1', '8.8.8.8'));
  assert.equal(r.binding, null);
  assert.equal(REASONS[r.reason], 'ambiguous');
  c.finish();
  assert.deepEqual(c.bindings().map((b) => [b.uplink.frames, b.downlink.frames]), [[1, 1], [2, 1]]);
});

test('expiry by lifetime: data after the lifetime is stale; a late PBU starts a new binding', () => {
  const c = new Correlator();
  const hnp = '2001:db8:aaaa:1::/64';
  register(c, { frame: 1, seq: 1, dl: 1, ul: 2, hnp, lifetime: 10, time: T0 }); // 40 s
  assert.equal(c.data(up(3, { key: 2, time: T0 + 39 })).binding?.id, 1);
  const r = c.data(up(4, { key: 2, time: T0 + 41 }));
  assert.equal(r.binding, null);
  assert.equal(REASONS[r.reason], 'stale-binding');
  const b = c.bindings()[0]!;
  assert.equal(b.state, 'expired');
  assert.equal(b.history.at(-1)!.kind, 'expired');
  assert.equal(b.history.at(-1)!.frame, null);
  assert.ok(Math.abs(b.history.at(-1)!.time - (T0 + 40.002)) < 1e-6);
  register(c, { frame: 5, seq: 2, dl: 1, ul: 2, hnp, hi: 5, time: T0 + 50 });
  assert.equal(c.bindings().length, 2);
  assert.equal(c.data(up(7, { key: 2, time: T0 + 51 })).binding?.id, 2);
});

test('a renewal sent before expiry and answered after it keeps the binding', () => {
  const c = new Correlator();
  const hnp = '2001:db8:aaaa:1::/64';
  register(c, { frame: 1, seq: 1, dl: 1, ul: 2, hnp, lifetime: 10, time: T0 });
  c.pbu(signalling({ type: 'pbu', frame: 3, time: T0 + 39.9, src: MAG1, dst: LMA, seq: 2, mnId: 'mn1@example.com', greKey: 1, lifetime: 10, hi: 5 }));
  c.data(up(4, { key: 2, time: T0 + 40.5 }));
  c.pba(signalling({ type: 'pba', frame: 5, time: T0 + 40.6, src: LMA, dst: MAG1, seq: 2, mnId: 'mn1@example.com', greKey: 2, lifetime: 10 }));
  assert.equal(c.bindings().length, 1);
  assert.equal(c.bindings()[0]!.state, 'active');
  assert.deepEqual(c.bindings()[0]!.history.map((h) => h.kind), ['initial', 'lifetime-extension']);
});

test('pairing needs sequence number, MN-ID, reversed addresses and (UDP) the PBU source port', () => {
  const c = new Correlator({ recordPairs: true });
  const MAG = '192.0.2.10';
  const L = '198.51.100.1';
  c.pbu(signalling({ type: 'pbu', frame: 1, tsSec: T0, tsNsec: 1000000, src: MAG, dst: L, seq: 5, mnId: 'a@x', sport: 40000, dport: 5436 }));
  // wrong port, wrong seq, wrong MN, wrong addresses: all unsolicited
  c.pba(signalling({ type: 'pba', frame: 2, src: L, dst: MAG, seq: 5, mnId: 'a@x', sport: 5436, dport: 5436 }));
  c.pba(signalling({ type: 'pba', frame: 3, src: L, dst: MAG, seq: 6, mnId: 'a@x', sport: 5436, dport: 40000 }));
  c.pba(signalling({ type: 'pba', frame: 4, src: L, dst: MAG, seq: 5, mnId: 'b@x', sport: 5436, dport: 40000 }));
  c.pba(signalling({ type: 'pba', frame: 5, src: MAG, dst: L, seq: 5, mnId: 'a@x', sport: 5436, dport: 40000 }));
  const ok = c.pba(signalling({ type: 'pba', frame: 6, tsSec: T0, tsNsec: 13500000, src: L, dst: MAG, seq: 5, mnId: 'a@x', sport: 5436, dport: 40000 }));
  assert.ok(ok);
  assert.equal(ok.pbu.frame, 1);
  assert.equal(ok.responseNs, 12500000);
  assert.deepEqual(c.unsolicitedPbas().map((u) => u.pba.frame), [2, 3, 4, 5]);
  assert.deepEqual(c.pairMark(1), { peer: 6, responseNs: 12500000 });
  assert.deepEqual(c.pairMark(6), { peer: 1, responseNs: 12500000 });
  c.finish();
  assert.equal(c.unansweredPbus().length, 0);
});

test('unanswered PBUs are reported at the end; retransmissions pair with the same PBA', () => {
  const c = new Correlator({ recordPairs: true });
  c.pbu(signalling({ type: 'pbu', frame: 1, src: MAG1, dst: LMA, seq: 1, mnId: 'a' }));
  c.pbu(signalling({ type: 'pbu', frame: 2, src: MAG1, dst: LMA, seq: 1, mnId: 'a' }));
  const pair = c.pba(signalling({ type: 'pba', frame: 3, src: LMA, dst: MAG1, seq: 1, mnId: 'a' }));
  assert.deepEqual(pair?.retransmissions, [2]);
  assert.equal(c.pairMark(2)?.peer, 3);
  c.pbu(signalling({ type: 'pbu', frame: 4, src: MAG1, dst: LMA, seq: 2, mnId: 'b' }));
  c.finish();
  assert.deepEqual(c.unansweredPbus().map((u) => u.pbu.frame), [4]);
  const b = c.bindings()[1]!;
  assert.equal(b.mnId, 'b');
  assert.equal(b.state, 'pending');
  assert.deepEqual(b.history.map((h) => [h.kind, h.frame, h.attempted]), [['unanswered', 4, 'initial']]);
});

test('GRE sequence numbers: gaps, missing count and reordering per direction', () => {
  const c = new Correlator();
  register(c, { frame: 1, seq: 1, dl: 1, ul: 2, hnp: '2001:db8:aaaa:1::/64' });
  let f = 10;
  for (const s of [0, 1, 2, 5, 6, 4, 7, 7, 0xffffffff]) c.data(up(f++, { key: 2, seq: s }));
  const st = c.bindings()[0]!.uplink;
  assert.equal(st.seqGaps, 1);
  assert.equal(st.seqMissing, 2);
  assert.equal(st.seqReordered, 3); // 4, the repeated 7, and 0xffffffff (before 7 in serial order)
});

test('listeners see PBU, pair, binding changes, data and unanswered PBUs in order', () => {
  const c = new Correlator();
  const log: string[] = [];
  const l: SessionListener = {
    onPbu: (o) => log.push(`pbu ${o.pbu.frame} ${o.kind} b${o.binding.id}${o.created ? ' new' : ''}`),
    onPair: (o) => log.push(`pair ${o.pbu.frame}-${o.pba.frame} ${o.kind} ${o.accepted ? 'ok' : 'rej'} prev=${o.previous?.uplinkKey ?? '-'}`),
    onBinding: (ch) => log.push(`binding ${ch.type} b${ch.binding.id} prevMag=${ch.previous?.mag ?? '-'}`),
    onData: (ev, r) => log.push(`data ${ev.frame} ${r.binding ? 'b' + r.binding.id : REASONS[r.reason]} ${r.direction}`),
    onUnsolicitedPba: (p) => log.push(`unsolicited ${p.frame}`),
    onUnansweredPbu: (p) => log.push(`unanswered ${p.frame}`),
    onFinish: () => log.push('finish'),
  };
  c.addListener(l);
  const hnp = '2001:db8:aaaa:1::/64';
  register(c, { frame: 1, seq: 1, dl: 1, ul: 2, hnp });
  c.data(up(3, { key: 2 }));
  register(c, { frame: 4, seq: 2, mag: MAG2, dl: 3, ul: 2, hnp });
  c.pba(signalling({ type: 'pba', frame: 6, src: LMA, dst: MAG2, seq: 99, mnId: 'x' }));
  c.pbu(signalling({ type: 'pbu', frame: 7, src: MAG2, dst: LMA, seq: 3, mnId: 'mn1@example.com', lifetime: 0 }));
  c.finish();
  assert.deepEqual(log, [
    'binding created b1 prevMag=-',
    'pbu 1 initial b1 new',
    'pair 1-2 initial ok prev=-',
    'binding registered b1 prevMag=-',
    'data 3 b1 1',
    'pbu 4 handoff b1',
    'pair 4-5 handoff ok prev=2',
    `binding handoff b1 prevMag=${MAG1}`,
    'unsolicited 6',
    'pbu 7 deregistration b1',
    'unanswered 7',
    'finish',
  ]);
});

test('memory: the unattributed list aggregates per (key, endpoints) and caps frame numbers', () => {
  const c = new Correlator();
  for (let i = 0; i < 5000; i++) c.data(up(i + 1, { key: i % 3 }));
  const u = c.unattributed();
  assert.equal(u.length, 3);
  assert.equal(u[0]!.frames, 1667);
  assert.equal(u[0]!.frameNumbers.length, 32);
  assert.equal(u[0]!.firstFrame, 1);
  assert.equal(u[0]!.lastFrame, 4999);
});

test('UDP-TLV encapsulation and encap codes reach the aggregate', () => {
  const c = new Correlator();
  c.data(DataEvent.of({ frame: 1, src: '192.0.2.1', dst: '192.0.2.2', key: 5, encap: ENCAP_UDP_TLV }));
  assert.equal(c.unattributed()[0]!.encap, ENCAP_UDP_TLV);
  assert.equal(ENCAP_GRE, 1);
});

test('home prefixes of any length: /48, /64, /80 (checked beyond 64 bits); same prefix twice is ambiguous', () => {
  const c = new Correlator();
  register(c, { frame: 1, seq: 1, mn: 'a', hnp: '2001:db8:a::/48' });
  register(c, { frame: 3, seq: 2, mn: 'b', hnp: '2001:db8:b:1:2::/80' });
  register(c, { frame: 5, seq: 3, mn: 'c', hnp: '2001:db8:c:1::/64' });
  const ip = (frame: number, inner: string) => c.data(up(frame, { key: null, encap: ENCAP_IPIP, inner }));
  assert.equal(ip(10, '2001:db8:a:ffff::1').binding?.id, 1);
  assert.equal(ip(11, '2001:db8:b:1:2::9').binding?.id, 2);
  assert.equal(ip(12, '2001:db8:b:1:3::9').binding, null, 'same first 64 bits, outside the /80');
  assert.equal(ip(13, '2001:db8:c:1::77').binding?.id, 3);
  assert.equal(ip(14, '2001:db8:c:2::77').binding, null);
  register(c, { frame: 20, seq: 4, mn: 'd', hnp: '2001:db8:c:1::/64' });
  const r = ip(22, '2001:db8:c:1::77');
  assert.equal(REASONS[r.reason], 'ambiguous');
  // de-registering one of the two makes the prefix unique again
  register(c, { frame: 23, seq: 5, mn: 'd', hnp: '2001:db8:c:1::/64', lifetime: 0 });
  assert.equal(ip(25, '2001:db8:c:1::77').binding?.id, 3);
});

test('liveBindingsBetween lists the active bindings of a MAG/LMA pair (duplicate-key checks)', () => {
  const c = new Correlator();
  register(c, { frame: 1, seq: 1, mn: 'a', dl: 5, ul: 6, hnp: '2001:db8:a::/64' });
  register(c, { frame: 3, seq: 2, mn: 'b', dl: 5, ul: 7, hnp: '2001:db8:b::/64' });
  register(c, { frame: 5, seq: 3, mn: 'c', mag: MAG2, dl: 5, ul: 8, hnp: '2001:db8:c::/64' });
  const live = c.liveBindingsBetween(MAG1, LMA);
  assert.deepEqual(live.map((b) => [b.mnId, b.downlinkKey]), [['a', 5], ['b', 5]]);
  assert.deepEqual(c.liveBindingsBetween('2001:db8:99::1', LMA), []);
});
