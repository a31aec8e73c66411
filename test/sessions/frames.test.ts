/**
 * End to end through dissection: hand-built pcaps (test/sessions/frames.ts) → capture reader →
 * dissectors → extractor → correlator. The expected bindings are written from the frames' own
 * definition, never from the correlator's output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/dissectors/index.js';
import { correlateCapture } from '../../src/sessions/run.js';
import { sessionsJson, type BindingJson } from '../../src/sessions/report.js';
import { greData, inner, ipipData, pcapBytes, signal4, signal6, tlvData, udpData, type MhOpts, type TimedFrame } from './frames.js';

const MAG1 = '2001:db8:1::1';
const MAG2 = '2001:db8:2::1';
const LMA = '2001:db8:f::1';
const MAG4 = '192.0.2.10';
const LMA4 = '198.51.100.1';
const T0 = 1700000000;
const CN6 = '2001:db8:cc::1';

/** A tiny capture script: frames are numbered from 1 in push order. */
class Script {
  frames: TimedFrame[] = [];
  t = T0;
  push(data: Uint8Array, dt = 0.01): number {
    this.t += dt;
    this.frames.push({ data, time: this.t });
    return this.frames.length;
  }
  pair6(mag: string, lma: string, pbu: Omit<MhOpts, 'type'>, pba: Omit<MhOpts, 'type' | 'seq' | 'mnId'>): [number, number] {
    const a = this.push(signal6(mag, lma, { type: 'pbu', ...pbu }));
    const b = this.push(signal6(lma, mag, { type: 'pba', seq: pbu.seq, mnId: pbu.mnId, ...pba }), 0.003);
    return [a, b];
  }
  pair4(mag: string, lma: string, pbu: Omit<MhOpts, 'type'>, pba: Omit<MhOpts, 'type' | 'seq' | 'mnId'>, sport = 5436): [number, number] {
    const a = this.push(signal4(mag, lma, sport, 5436, { type: 'pbu', ...pbu }));
    const b = this.push(signal4(lma, mag, 5436, sport, { type: 'pba', seq: pbu.seq, mnId: pbu.mnId, ...pba }), 0.003);
    return [a, b];
  }
  async run() {
    const r = await correlateCapture(pcapBytes(this.frames));
    assert.equal(r.error, undefined);
    return sessionsJson(r.correlator);
  }
}

function pick(b: BindingJson) {
  return {
    id: b.id, mnId: b.mnId, mag: b.mag, lma: b.lma, transport: b.transport, greMode: b.greMode,
    downlinkKey: b.downlinkKey, uplinkKey: b.uplinkKey, tlv: b.tlv, state: b.state,
  };
}

test('frames: initial registration over IPv6 with keys; GRE data attributed by key and direction', async () => {
  const s = new Script();
  const hnp = '2001:db8:aaaa:1::/64';
  const mn = '2001:db8:aaaa:1::5';
  s.pair6(MAG1, LMA, { seq: 1, lifetime: 900, mnId: 'mn1@example.com', hnp: [hnp], hi: 1, att: 4, gre: 0x1001 }, { lifetime: 900, hnp: [hnp], gre: 0x2001 });
  const up1 = s.push(greData(MAG1, LMA, inner(mn, CN6), { key: 0x2001, seq: 0 }));
  const dn1 = s.push(greData(LMA, MAG1, inner(CN6, mn), { key: 0x1001 }));
  const up2 = s.push(greData(MAG1, LMA, inner(mn, CN6), { key: 0x2001, seq: 1 }));
  const bad = s.push(greData(MAG1, LMA, inner(mn, CN6), { key: 0x1001 })); // downlink key sent uplink
  const j = await s.run();
  assert.equal(j.bindings.length, 1);
  const b = j.bindings[0]!;
  assert.deepEqual(pick(b), {
    id: 1, mnId: 'mn1@example.com', mag: MAG1, lma: LMA, transport: 'ipv6', greMode: 'keys',
    downlinkKey: 0x1001, uplinkKey: 0x2001, tlv: false, state: 'active',
  });
  assert.deepEqual(b.hnp, [hnp]);
  assert.equal(b.lifetime, 3600);
  assert.equal(b.handoffIndicator, 1);
  assert.equal(b.accessTechnologyType, 4);
  assert.deepEqual([b.uplink.frames, b.uplink.firstFrame, b.uplink.lastFrame], [2, up1, up2]);
  assert.deepEqual([b.downlink.frames, b.downlink.firstFrame], [1, dn1]);
  assert.equal(b.uplink.bytes, s.frames[up1 - 1]!.data.length + s.frames[up2 - 1]!.data.length);
  assert.equal(j.unattributed.length, 1);
  assert.deepEqual(
    { key: j.unattributed[0]!.key, src: j.unattributed[0]!.src, reasons: j.unattributed[0]!.reasons, frames: j.unattributed[0]!.frameNumbers },
    { key: 0x1001, src: MAG1, reasons: { 'wrong-direction': 1 }, frames: [bad] },
  );
  assert.equal(j.summary.pbus, 1);
  assert.equal(j.summary.pbas, 1);
  assert.equal(j.summary.dataFrames, 4);
});

test('frames: handoff moves the binding to the new MAG; old tunnel traffic is stale', async () => {
  const s = new Script();
  const hnp = '2001:db8:aaaa:1::/64';
  const mn = '2001:db8:aaaa:1::5';
  s.pair6(MAG1, LMA, { seq: 1, lifetime: 900, mnId: 'mn', hnp: [hnp], hi: 1, gre: 0x11 }, { lifetime: 900, hnp: [hnp], gre: 0x21 });
  s.push(greData(MAG1, LMA, inner(mn, CN6), { key: 0x21 }));
  const [, hoPba] = s.pair6(MAG2, LMA, { seq: 1, lifetime: 900, mnId: 'mn', hnp: [hnp], hi: 3, gre: 0x12 }, { lifetime: 900, hnp: [hnp], gre: 0x21 });
  s.push(greData(MAG2, LMA, inner(mn, CN6), { key: 0x21 }));
  s.push(greData(LMA, MAG2, inner(CN6, mn), { key: 0x12 }));
  const stale = s.push(greData(LMA, MAG1, inner(CN6, mn), { key: 0x11 }));
  const j = await s.run();
  assert.equal(j.bindings.length, 1);
  const b = j.bindings[0]!;
  assert.equal(b.mag, MAG2);
  assert.equal(b.downlinkKey, 0x12);
  assert.deepEqual(b.history.map((h) => h.kind), ['initial', 'handoff']);
  assert.equal(b.history[1]!.frame, hoPba);
  assert.equal(b.history[1]!.previousMag, MAG1);
  assert.deepEqual([b.uplink.frames, b.downlink.frames], [2, 1]);
  assert.deepEqual(j.unattributed.map((u) => [u.key, u.src, u.dst, Object.keys(u.reasons), u.bindingId, u.frameNumbers]), [
    [0x11, LMA, MAG1, ['stale-binding'], 1, [stale]],
  ]);
});

test('frames: re-registration, de-registration, then a new binding', async () => {
  const s = new Script();
  const hnp = '2001:db8:aaaa:1::/64';
  const mn = '2001:db8:aaaa:1::5';
  s.pair6(MAG1, LMA, { seq: 1, lifetime: 900, mnId: 'mn', hnp: [hnp], hi: 1, gre: 1 }, { lifetime: 900, hnp: [hnp], gre: 2 });
  s.pair6(MAG1, LMA, { seq: 2, lifetime: 900, mnId: 'mn', hnp: [hnp], hi: 5, gre: 1 }, { lifetime: 900, hnp: [hnp], gre: 2 });
  s.push(greData(MAG1, LMA, inner(mn, CN6), { key: 2 }));
  s.pair6(MAG1, LMA, { seq: 3, lifetime: 0, mnId: 'mn', hnp: [hnp], hi: 5 }, { lifetime: 0, hnp: [hnp] });
  const after = s.push(greData(MAG1, LMA, inner(mn, CN6), { key: 2 }));
  s.pair6(MAG1, LMA, { seq: 4, lifetime: 900, mnId: 'mn', hnp: [hnp], hi: 1, gre: 3 }, { lifetime: 900, hnp: [hnp], gre: 4 });
  s.push(greData(MAG1, LMA, inner(mn, CN6), { key: 4 }));
  const j = await s.run();
  assert.equal(j.bindings.length, 2);
  assert.deepEqual(j.bindings.map((b) => [b.state, b.history.map((h) => h.kind)]), [
    ['deregistered', ['initial', 'lifetime-extension', 'deregistration']],
    ['active', ['initial']],
  ]);
  assert.deepEqual(j.bindings.map((b) => b.uplink.frames), [1, 1]);
  assert.deepEqual(j.unattributed.map((u) => [u.key, Object.keys(u.reasons), u.bindingId, u.frameNumbers]), [[2, ['stale-binding'], 1, [after]]]);
});

test('frames: status 163 then a retry with the GRE Key option; one binding', async () => {
  const s = new Script();
  const hnp = '2001:db8:aaaa:1::/64';
  s.pair6(MAG1, LMA, { seq: 1, lifetime: 900, mnId: 'mn', hnp: [hnp], hi: 1 }, { status: 163, lifetime: 0, hnp: [hnp] });
  s.pair6(MAG1, LMA, { seq: 2, lifetime: 900, mnId: 'mn', hnp: [hnp], hi: 1, gre: 0xa001 }, { lifetime: 900, hnp: [hnp], gre: 0xb001 });
  s.push(greData(MAG1, LMA, inner('2001:db8:aaaa:1::5', CN6), { key: 0xb001 }));
  const j = await s.run();
  assert.equal(j.bindings.length, 1);
  const b = j.bindings[0]!;
  assert.equal(b.state, 'active');
  assert.deepEqual(b.history.map((h) => [h.kind, h.status, h.reason ?? null]), [['rejected', 163, 'GRE_KEY_OPTION_REQUIRED'], ['initial', 0, null]]);
  assert.equal(b.uplink.frames, 1);
});

test('frames: status 2, IPv6-in-IPv6 data attributed by HNP', async () => {
  const s = new Script();
  const hnp = '2001:db8:aaaa:1::/64';
  const mn = '2001:db8:aaaa:1::5';
  s.pair6(MAG1, LMA, { seq: 1, lifetime: 900, mnId: 'mn', hnp: [hnp], gre: 7 }, { status: 2, lifetime: 900, hnp: [hnp] });
  s.push(ipipData(MAG1, LMA, inner(mn, CN6)));
  s.push(ipipData(LMA, MAG1, inner(CN6, mn)));
  const other = s.push(ipipData(LMA, MAG1, inner(CN6, '2001:db8:bbbb::9')));
  const j = await s.run();
  const b = j.bindings[0]!;
  assert.equal(b.greMode, 'none');
  assert.equal(b.downlinkKey, null);
  assert.equal(b.lastSuccessStatus, 2);
  assert.deepEqual([b.uplink.frames, b.downlink.frames], [1, 1]);
  assert.deepEqual(j.unattributed.map((u) => [u.key, u.encapsulation, Object.keys(u.reasons), u.frameNumbers]), [[null, 'ip-in-ip', ['no-binding'], [other]]]);
});

test('frames: IPv4 transport, status 3 → IPv4-GRE; T + key → IPv4-UDP-TLV', async () => {
  const s = new Script();
  s.pair4(MAG4, LMA4, { seq: 1, lifetime: 900, mnId: 'a@x', gre: 0x100, tFlag: true, hoa: '0.0.0.0' }, { status: 3, lifetime: 900, gre: 0x200, hoa: '10.1.0.5' }, 40001);
  s.pair4(MAG4, LMA4, { seq: 2, lifetime: 900, mnId: 'b@x', gre: 0x101, tFlag: true, hoa: '0.0.0.0' }, { lifetime: 900, gre: 0x201, tFlag: true, hoa: '10.1.0.6' }, 40002);
  s.pair4(MAG4, LMA4, { seq: 3, lifetime: 900, mnId: 'c@x', fFlag: true, hoa: '0.0.0.0' }, { lifetime: 900, hoa: '10.1.0.7' }, 40003);
  s.push(greData(MAG4, LMA4, inner('10.1.0.5', '8.8.8.8'), { key: 0x200 }));
  s.push(tlvData(LMA4, MAG4, inner('8.8.8.8', '10.1.0.6'), { key: 0x101 }));
  s.push(tlvData(MAG4, LMA4, inner('10.1.0.6', '8.8.8.8'), { key: 0x201 }));
  s.push(udpData(MAG4, LMA4, inner('10.1.0.7', '8.8.8.8')));
  const j = await s.run();
  assert.deepEqual(j.bindings.map((b) => [b.mnId, b.transport, b.greMode, b.tlv, b.ipv4HomeAddress, b.uplink.frames, b.downlink.frames]), [
    ['a@x', 'ipv4', 'keys', false, '10.1.0.5', 1, 0],
    ['b@x', 'ipv4-udp', 'keys', true, '10.1.0.6', 1, 1],
    ['c@x', 'ipv4-udp', 'none', false, '10.1.0.7', 1, 0],
  ]);
  assert.equal(j.unattributed.length, 0);
  assert.equal(j.unansweredPbus.length, 0);
});

test('frames: RFC 5845 Figure 1, two MNs with 10.0.0.1 behind one MAG/LMA pair, the key decides', async () => {
  const s = new Script();
  s.pair4(MAG4, LMA4, { seq: 1, lifetime: 900, mnId: 'a@x', gre: 0x1111, hoa: '0.0.0.0' }, { status: 0, lifetime: 900, gre: 0x2111, hoa: '10.0.0.1' });
  s.pair4(MAG4, LMA4, { seq: 2, lifetime: 900, mnId: 'b@x', gre: 0x1222, hoa: '0.0.0.0' }, { status: 0, lifetime: 900, gre: 0x2222, hoa: '10.0.0.1' });
  const expect: [number, 1 | 2, 'u' | 'd'][] = [];
  const send = (id: 1 | 2, dir: 'u' | 'd') => {
    const key = dir === 'u' ? (id === 1 ? 0x2111 : 0x2222) : id === 1 ? 0x1111 : 0x1222;
    const f = dir === 'u' ? greData(MAG4, LMA4, inner('10.0.0.1', '8.8.8.8'), { key }) : greData(LMA4, MAG4, inner('8.8.8.8', '10.0.0.1'), { key });
    expect.push([s.push(f), id, dir]);
  };
  send(1, 'u');
  send(2, 'u');
  send(2, 'd');
  send(2, 'u');
  send(1, 'd');
  send(2, 'd');
  const j = await s.run();
  const count = (id: number, dir: string) => expect.filter((e) => e[1] === id && e[2] === dir).length;
  assert.deepEqual(j.bindings.map((b) => [b.mnId, b.ipv4HomeAddress, b.uplink.frames, b.downlink.frames]), [
    ['a@x', '10.0.0.1', count(1, 'u'), count(1, 'd')],
    ['b@x', '10.0.0.1', count(2, 'u'), count(2, 'd')],
  ]);
  assert.equal(j.bindings[1]!.downlink.lastFrame, expect.at(-1)![0]);
});

test('frames: expiry by lifetime, unanswered PBU and unsolicited PBA', async () => {
  const s = new Script();
  const hnp = '2001:db8:aaaa:1::/64';
  s.pair6(MAG1, LMA, { seq: 1, lifetime: 5, mnId: 'mn', hnp: [hnp], gre: 1 }, { lifetime: 5, hnp: [hnp], gre: 2 }); // 20 s
  s.push(greData(MAG1, LMA, inner('2001:db8:aaaa:1::5', CN6), { key: 2 }), 10);
  const late = s.push(greData(MAG1, LMA, inner('2001:db8:aaaa:1::5', CN6), { key: 2 }), 15);
  const lost = s.push(signal6(MAG2, LMA, { type: 'pbu', seq: 9, lifetime: 100, mnId: 'other' }));
  const stray = s.push(signal6(LMA, MAG2, { type: 'pba', seq: 10, lifetime: 100, mnId: 'other' }));
  const j = await s.run();
  assert.equal(j.bindings[0]!.state, 'expired');
  assert.equal(j.bindings[0]!.history.at(-1)!.kind, 'expired');
  assert.equal(j.bindings[0]!.uplink.frames, 1);
  assert.deepEqual(j.unattributed.map((u) => [Object.keys(u.reasons), u.frameNumbers]), [[['stale-binding'], [late]]]);
  assert.deepEqual(j.unansweredPbus.map((u) => [u.frame, u.mnId, u.bindingId]), [[lost, 'other', 2]]);
  assert.deepEqual(j.unsolicitedPbas.map((u) => [u.frame, u.seq, u.bindingId]), [[stray, 10, 2]]);
  assert.equal(j.bindings[1]!.state, 'pending');
});
