/**
 * A renewal that changes nothing the correlator's indexes hold keeps the binding indexed
 * instead of removing and re-adding it (Correlator.keepIndexed). Attribution, stale-key and
 * stale-address candidates, key ownership between live bindings sharing a key and the order of
 * liveBindingsBetween must be exactly what a full re-index gives: these expectations were
 * checked against the correlator before that shortcut existed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Correlator } from '../../src/sessions/correlator.js';
import { DataEvent, signalling } from '../../src/sessions/events.js';
import { REASONS } from '../../src/sessions/types.js';

const MAG = '192.0.2.10';
const LMA = '198.51.100.1';
const T0 = 1700000000;

interface Reg {
  mn: string;
  seq: number;
  dl?: number | null;
  ul?: number | null;
  hnp?: string[];
  hoa?: string;
  lifetime?: number;
  mag?: string;
}

class Feed {
  readonly c = new Correlator();
  frame = 1;

  /** PBU and its accepting PBA. */
  reg(r: Reg): void {
    const f = this.frame;
    this.frame += 2;
    const t = T0 + f;
    const mag = r.mag ?? MAG;
    this.c.pbu(signalling({
      type: 'pbu', frame: f, time: t, src: mag, dst: LMA, seq: r.seq, mnId: r.mn, udp: false,
      greKey: r.dl ?? null, greKeyLen: r.dl != null ? 6 : -1, lifetime: r.lifetime ?? 900, hnp: r.hnp ?? [], ipv4Hoa: r.hoa ?? null,
    }));
    this.c.pba(signalling({
      type: 'pba', frame: f + 1, time: t + 0.001, src: LMA, dst: mag, seq: r.seq, mnId: r.mn, udp: false, status: 0,
      greKey: r.ul ?? null, greKeyLen: r.ul != null ? 6 : -1, lifetime: r.lifetime ?? 900, hnp: r.hnp ?? [],
      ipv4Hoa: r.hoa ?? null, ipv4HoaStatus: r.hoa ? 0 : -1,
    }));
  }

  /** A data frame: which binding (mnId), or the reason and candidate. */
  data(o: { down?: boolean; key?: number; inner?: string; mag?: string }): string {
    const f = this.frame++;
    const mag = o.mag ?? MAG;
    const peer = o.inner ?? (o.key === undefined ? '10.9.9.9' : '10.200.0.1');
    const v6 = peer.includes(':');
    const other = v6 ? '2001:db8:cccc::1' : '8.8.8.8';
    const ev = DataEvent.of({
      frame: f, time: T0 + f, src: o.down ? LMA : mag, dst: o.down ? mag : LMA, key: o.key,
      innerSrc: o.down ? other : peer, innerDst: o.down ? peer : other,
    });
    const r = this.c.data(ev);
    if (r.binding !== null) return r.binding.mnId;
    return `${REASONS[r.reason]}:${r.candidate?.mnId ?? '-'}`;
  }
}

test('renewals without changes: attribution, stale keys and key ownership as with a full re-index', () => {
  const s = new Feed();
  s.reg({ mn: 'a', seq: 1, dl: 100, ul: 200, hoa: '10.0.0.1' });
  assert.equal(s.data({ down: true, key: 100 }), 'a');
  s.reg({ mn: 'a', seq: 2, dl: 100, ul: 200, hoa: '10.0.0.1' }); // renewal, nothing changes
  s.reg({ mn: 'a', seq: 3, dl: 100, ul: 200, hoa: '10.0.0.1' });
  assert.equal(s.data({ down: true, key: 100 }), 'a');
  assert.equal(s.data({ key: 200 }), 'a');
  // b takes over downlink key 100 (a duplicate): the last one indexed owns it
  s.reg({ mn: 'b', seq: 1, dl: 100, ul: 300, hoa: '10.0.0.2' });
  assert.equal(s.data({ down: true, key: 100 }), 'b');
  // a renews: it does not own key 100 any more, so it is indexed again and takes it back
  s.reg({ mn: 'a', seq: 4, dl: 100, ul: 200, hoa: '10.0.0.1' });
  assert.equal(s.data({ down: true, key: 100 }), 'a');
  s.reg({ mn: 'b', seq: 2, dl: 100, ul: 300, hoa: '10.0.0.2' }); // and b back again
  assert.equal(s.data({ down: true, key: 100 }), 'b');
  assert.deepEqual(s.c.liveBindingsBetween(MAG, LMA).map((b) => b.mnId), ['a', 'b']);
  s.reg({ mn: 'a', seq: 5, dl: 100, ul: 200, hoa: '10.0.0.1' });
  assert.deepEqual(s.c.liveBindingsBetween(MAG, LMA).map((b) => b.mnId), ['b', 'a'], 'a renewal moves the binding to the end');
  // de-registrations: keys and home addresses go stale with the binding that held them last
  s.reg({ mn: 'b', seq: 3, dl: null, ul: null, lifetime: 0 });
  assert.equal(s.data({ down: true, key: 100 }), 'a');
  assert.equal(s.data({ key: 300 }), 'stale-binding:b');
  assert.equal(s.data({ inner: '10.0.0.2' }), 'stale-binding:b');
  assert.equal(s.data({ inner: '10.0.0.1' }), 'a');
  s.reg({ mn: 'a', seq: 6, dl: null, ul: null, lifetime: 0 });
  assert.equal(s.data({ down: true, key: 100 }), 'stale-binding:a');
  assert.equal(s.data({ key: 200 }), 'stale-binding:a');
  assert.equal(s.data({ inner: '10.0.0.1' }), 'stale-binding:a');
  // a key change on renewal: the old key goes stale at once
  s.reg({ mn: 'c', seq: 1, dl: 500, ul: 600 });
  s.reg({ mn: 'c', seq: 2, dl: 500, ul: 600 });
  s.reg({ mn: 'c', seq: 3, dl: 501, ul: 600 });
  assert.equal(s.data({ down: true, key: 500 }), 'stale-binding:c');
  assert.equal(s.data({ down: true, key: 501 }), 'c');
  // a handoff (other MAG) is a full re-index too
  s.reg({ mn: 'c', seq: 4, dl: 501, ul: 600, mag: '192.0.2.11' });
  assert.equal(s.data({ down: true, key: 501, mag: '192.0.2.11' }), 'c');
  assert.equal(s.data({ down: true, key: 501 }), 'stale-binding:c');
});

test('renewals: the live set order, and home addresses or prefixes that change', () => {
  const s = new Feed();
  s.reg({ mn: 'x', seq: 1, dl: 1, ul: 2, hoa: '10.1.0.1', hnp: ['2001:db8:1:1::/64'] });
  s.reg({ mn: 'y', seq: 1, dl: 3, ul: 4, hoa: '10.1.0.2', hnp: ['2001:db8:1:2::/64'] });
  assert.deepEqual(s.c.liveBindingsBetween(MAG, LMA).map((b) => b.mnId), ['x', 'y']);
  s.reg({ mn: 'x', seq: 2, dl: 1, ul: 2, hoa: '10.1.0.1', hnp: ['2001:db8:1:1::/64'] });
  assert.deepEqual(s.c.liveBindingsBetween(MAG, LMA).map((b) => b.mnId), ['y', 'x'], 'a renewal moves the binding to the end');
  // same keys, a new IPv4 home address: keyless frames follow it, the old one is stale
  s.reg({ mn: 'x', seq: 3, dl: 1, ul: 2, hoa: '10.1.0.9', hnp: ['2001:db8:1:1::/64'] });
  assert.equal(s.data({ inner: '10.1.0.9' }), 'x');
  assert.equal(s.data({ inner: '10.1.0.1' }), 'stale-binding:x');
  // same keys, a new home network prefix
  s.reg({ mn: 'y', seq: 2, dl: 3, ul: 4, hoa: '10.1.0.2', hnp: ['2001:db8:1:9::/64'] });
  assert.equal(s.data({ inner: '2001:db8:1:9::5' }), 'y');
  assert.equal(s.data({ inner: '2001:db8:1:2::5' }), 'stale-binding:y');
  assert.equal(s.data({ inner: '2001:db8:1:1::5' }), 'x');
});

test('renewals without changes: stale home network prefixes keep their lookup order', () => {
  // Stale prefixes are looked up per prefix length, in the order the lengths were first written
  // (at a binding's first removal from the index, or its first renewal): a renewal must write
  // them as a full re-index does, or the candidate for an address in two stale prefixes changes.
  const s = new Feed();
  s.reg({ mn: 'a', seq: 1, hnp: ['2001:db8:aaaa:1::/64'] });
  s.reg({ mn: 'c', seq: 1, hnp: ['2001:db8:aaaa::/48'] });
  s.reg({ mn: 'a', seq: 2, hnp: ['2001:db8:aaaa:1::/64'] }); // renewal of a: its /64 is written first
  s.reg({ mn: 'c', seq: 2, hnp: ['2001:db8:aaaa::/48'], lifetime: 0 }); // then c's /48
  s.reg({ mn: 'a', seq: 3, hnp: ['2001:db8:aaaa:1::/64'], lifetime: 0 });
  assert.equal(s.data({ inner: '2001:db8:aaaa:1::5' }), 'stale-binding:a');
  assert.equal(s.data({ inner: '2001:db8:aaaa:2::5' }), 'stale-binding:c');
});
