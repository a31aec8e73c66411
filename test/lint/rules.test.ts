/**
 * Pair/session rules on hand-fed correlator events (no dissection): conditional severities,
 * negative cases the generator's faults do not show, aggregation, the data-shape cache, and the
 * policy's effect on findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Correlator } from '../../src/sessions/correlator.js';
import { DataEvent, signalling } from '../../src/sessions/events.js';
import { ENCAP_GRE, ENCAP_UDP_TLV } from '../../src/sessions/types.js';
import { Linter, type Finding } from '../../src/lint/engine.js';
import { resolvePolicy, type LintPolicy } from '../../src/lint/config.js';

const MAG1 = '2001:db8:1::1';
const MAG2 = '2001:db8:2::1';
const LMA = '2001:db8:f::1';
const MAG4 = '192.0.2.10';
const LMA4 = '198.51.100.1';
const MN = 'mn1@example';
const HNP = '2001:db8:a:1::/64';
const MN_ADDR = '2001:db8:a:1::10';
const CN = '2001:db8:cc::1';

function run(feed: (c: Correlator) => void, cli: LintPolicy = {}): Finding[] {
  const linter = new Linter({ policy: resolvePolicy({ noConfig: true, cli }), capture: 'synthetic' });
  const c = new Correlator();
  c.addListener(linter.listener);
  feed(c);
  c.finish();
  return linter.finish().findings;
}

interface Ex {
  frame: number;
  mag?: string;
  lma?: string;
  mn?: string;
  seq: number;
  dl?: number | null;
  dlLen?: number;
  ul?: number | null;
  ulLen?: number;
  status?: number;
  lifetime?: number;
  hi?: number;
  tPbu?: boolean;
  tPba?: boolean;
  hnp?: string;
}

/** PBU in `frame`, PBA in `frame + 1`. */
function exchange(c: Correlator, e: Ex): void {
  const mag = e.mag ?? MAG1;
  const lma = e.lma ?? LMA;
  const v4 = !mag.includes(':');
  const common = { mnId: e.mn ?? MN, seq: e.seq, lifetime: e.lifetime ?? 900, ...(v4 ? { ipv4Hoa: '10.0.0.5' } : { hnp: [e.hnp ?? HNP] }) };
  c.pbu(signalling({ type: 'pbu', frame: e.frame, src: mag, dst: lma, ...common, greKey: e.dl ?? null, ...(e.dlLen !== undefined ? { greKeyLen: e.dlLen } : {}), hi: e.hi ?? 1, tFlag: e.tPbu ?? false, fFlag: v4 }));
  c.pba(signalling({ type: 'pba', frame: e.frame + 1, src: lma, dst: mag, ...common, status: e.status ?? 0, greKey: e.ul ?? null, ...(e.ulLen !== undefined ? { greKeyLen: e.ulLen } : {}), tFlag: e.tPba ?? false }));
}

function up(frame: number, key: number | null, o: { seq?: number; mag?: string; encap?: number; gre?: boolean } = {}): DataEvent {
  return DataEvent.of({ frame, src: o.mag ?? MAG1, dst: LMA, innerSrc: MN_ADDR, innerDst: CN, key, ...(o.seq !== undefined ? { seq: o.seq } : {}), encap: o.encap ?? ENCAP_GRE, ...(o.gre !== undefined ? { gre: o.gre } : {}) });
}
function down(frame: number, key: number | null, o: { mag?: string } = {}): DataEvent {
  return DataEvent.of({ frame, src: LMA, dst: o.mag ?? MAG1, innerSrc: CN, innerDst: MN_ADDR, key });
}

const rules = (fs: Finding[]) => fs.map((f) => f.rule);

test('S-PBA-GREKEY-WITHOUT-PBU-GREKEY: error after a handoff PBU without the option for a keyed session, warning otherwise', () => {
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    exchange(c, { frame: 3, seq: 2, mag: MAG2, hi: 3, dl: null, ul: 0xb001 });
  });
  const f = fs.filter((x) => x.rule === 'S-PBA-GREKEY-WITHOUT-PBU-GREKEY');
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'error');
  assert.deepEqual(f[0]!.frames, [3, 4]);
  assert.equal(f[0]!.session, 1);
  assert.ok(rules(fs).includes('S-MAG-HANDOFF-NO-GREKEY'));

  const g = run((c) => exchange(c, { frame: 1, seq: 1, dl: null, ul: 0xb001 })).filter((x) => x.rule === 'S-PBA-GREKEY-WITHOUT-PBU-GREKEY');
  assert.equal(g.length, 1);
  assert.equal(g[0]!.severity, 'warning');
});

test('S-MAG-NO-RETRY-AFTER-163: a retry with the option is fine; without it, or no PBU at all, is reported', () => {
  assert.deepEqual(rules(run((c) => {
    exchange(c, { frame: 1, seq: 1, status: 163 });
    exchange(c, { frame: 3, seq: 2, dl: 0xa001, ul: 0xb001 });
  })), []);
  const none = run((c) => exchange(c, { frame: 1, seq: 1, status: 163 }));
  assert.deepEqual(none.map((f) => [f.rule, f.frames]), [['S-MAG-NO-RETRY-AFTER-163', [2]]]);
  assert.match(none[0]!.message, /no PBU follows/);
  const bad = run((c) => {
    exchange(c, { frame: 1, seq: 1, status: 163 });
    exchange(c, { frame: 3, seq: 2, status: 163 });
  });
  const f = bad.filter((x) => x.rule === 'S-MAG-NO-RETRY-AFTER-163');
  assert.deepEqual(f.map((x) => x.frames), [[2, 3], [4]]);
});

test('S-LMA-UL-KEY-CHANGED: same uplink key after a handoff is fine; a new one is reported with both PBAs', () => {
  assert.deepEqual(rules(run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    exchange(c, { frame: 3, seq: 2, mag: MAG2, hi: 3, dl: 0xa777, ul: 0xb001 });
  })), []);
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    exchange(c, { frame: 3, seq: 2, hi: 5, dl: 0xa001, ul: 0xb002 });
  });
  assert.deepEqual(fs.map((f) => [f.rule, f.severity, f.frames]), [['S-LMA-UL-KEY-CHANGED', 'warning', [2, 4]]]);
});

test('S-MAG-REREG-DL-KEY-CHANGED: a new MAG may pick a new downlink key, the same MAG may not', () => {
  assert.deepEqual(rules(run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    exchange(c, { frame: 3, seq: 2, mag: MAG2, hi: 3, dl: 0xa002, ul: 0xb001 });
  })), []);
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    exchange(c, { frame: 3, seq: 2, hi: 5, dl: 0xa002, ul: 0xb001 });
  });
  assert.deepEqual(fs.map((f) => [f.rule, f.severity, f.frames]), [['S-MAG-REREG-DL-KEY-CHANGED', 'info', [1, 3]]]);
});

test('S-MAG-REREG-NO-GREKEY and S-MAG-DEREG-HAS-GREKEY on a keyed session', () => {
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    exchange(c, { frame: 3, seq: 2, hi: 5, dl: null, dlLen: 2, ul: 0xb001 });
    exchange(c, { frame: 5, seq: 3, lifetime: 0, dl: 0xa001 });
  });
  const by = new Map(fs.map((f) => [f.rule, f]));
  assert.deepEqual(by.get('S-MAG-REREG-NO-GREKEY')?.frames, [3]);
  assert.match(by.get('S-MAG-REREG-NO-GREKEY')!.message, /Length 2 without a key/);
  assert.deepEqual(by.get('S-MAG-DEREG-HAS-GREKEY')?.frames, [5]);
  // the Length-2 answer to a keyed... no: the PBU had Length 2 and the PBA a key: a length mismatch too
  assert.deepEqual(by.get('S-PBA-GREKEY-LEN-MISMATCH')?.frames, [3, 4]);
});

test('S-MAG-GREKEY-AFTER-NO-SUPPORT stops once the LMA shows support after all', () => {
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: null }); // no support shown
    exchange(c, { frame: 3, seq: 2, mn: 'mn2@example', hnp: '2001:db8:a:2::/64', dl: 0xa002, ul: 0xb002 }); // reported, but the LMA answers with the option
    exchange(c, { frame: 5, seq: 3, mn: 'mn3@example', hnp: '2001:db8:a:3::/64', dl: 0xa003, ul: 0xb003 }); // no longer reported
  });
  assert.deepEqual(fs.filter((f) => f.rule === 'S-MAG-GREKEY-AFTER-NO-SUPPORT').map((f) => f.frames), [[2, 3]]);
  assert.deepEqual(fs.filter((f) => f.rule === 'S-MAG-LMA-NO-SUPPORT').map((f) => f.frames), [[1, 2]]);
});

test('S-TLV-CHANGED-ON-REREG compares the T flags with the last successful exchange', () => {
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, mag: MAG4, lma: LMA4, dl: 0xa001, ul: 0xb001, tPbu: true, tPba: true });
    exchange(c, { frame: 3, seq: 2, mag: MAG4, lma: LMA4, hi: 5, dl: 0xa001, ul: 0xb001, tPbu: false, tPba: true });
  });
  const f = fs.filter((x) => x.rule === 'S-TLV-CHANGED-ON-REREG');
  assert.deepEqual(f.map((x) => x.frames), [[3]]);
  assert.match(f[0]!.message, /PBU T 1 → 0/);
  assert.ok(rules(fs).includes('S-LMA-T-WITHOUT-PBU-T'));
  // the same flags on every re-registration: nothing
  assert.deepEqual(rules(run((c) => {
    exchange(c, { frame: 1, seq: 1, mag: MAG4, lma: LMA4, dl: 0xa001, ul: 0xb001, tPbu: true, tPba: false, status: 3 });
    exchange(c, { frame: 3, seq: 2, mag: MAG4, lma: LMA4, hi: 5, dl: 0xa001, ul: 0xb001, tPbu: true, tPba: false, status: 3 });
  })), []);
});

test('data rules aggregate per session: one finding, every frame, every occurrence', () => {
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    for (let i = 0; i < 5; i++) c.data(up(3 + i, null)); // K = 0, five times
    c.data(up(8, 0xb001)); // fine
    c.data(down(9, 0xa001)); // fine
  });
  assert.equal(fs.length, 1);
  const f = fs[0]!;
  assert.equal(f.rule, 'S-MAG-WRONG-UL-KEY');
  assert.deepEqual(f.frames, [3, 4, 5, 6, 7]);
  assert.equal(f.occurrences, 5);
  assert.equal(f.session, 1);
});

test('the data-shape cache does not hide a problem that starts with a state change', () => {
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    c.data(up(3, 0xb001)); // clean: cached
    c.data(up(4, 0xb001)); // served from the cache
    exchange(c, { frame: 5, seq: 2, hi: 5, dl: 0xa001, ul: 0xb002 }); // the LMA changes the uplink key
    c.data(up(7, 0xb001)); // the MAG keeps the old key: wrong now
    c.data(up(8, 0xb002)); // right
  });
  assert.deepEqual(fs.map((f) => [f.rule, f.frames]), [
    ['S-LMA-UL-KEY-CHANGED', [2, 6]],
    ['S-MAG-WRONG-UL-KEY', [7]],
  ]);
});

test('S-LMA-WRONG-DL-KEY / S-LMA-MISSING-DL-KEY; no verdict when the session never had a readable key', () => {
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    c.data(down(3, 0xa002));
    c.data(down(4, null));
  });
  assert.deepEqual(fs.map((f) => [f.rule, f.frames]), [['S-LMA-MISSING-DL-KEY', [4]], ['S-LMA-WRONG-DL-KEY', [3]]]);
  // the PBU's option had a bad Length: the downlink key is unknown, nothing to compare with
  assert.deepEqual(rules(run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: null, dlLen: 4, ul: 0xb001 });
    c.data(down(3, 0xa002));
  })).filter((r) => r.startsWith('S-LMA')), []);
});

test('TLV rules: TLV data without negotiation; IPv4/GRE uplink when TLV was negotiated', () => {
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, mag: MAG4, lma: LMA4, dl: 0xa001, ul: 0xb001, tPbu: true, tPba: true });
    c.data(DataEvent.of({ frame: 3, src: MAG4, dst: LMA4, innerSrc: '10.0.0.5', innerDst: '8.8.8.8', key: 0xb001, encap: ENCAP_UDP_TLV })); // right
    c.data(DataEvent.of({ frame: 4, src: MAG4, dst: LMA4, innerSrc: '10.0.0.5', innerDst: '8.8.8.8', key: 0xb001, encap: ENCAP_GRE })); // no UDP/TLV
  });
  assert.deepEqual(fs.map((f) => [f.rule, f.frames]), [['S-MAG-TLV-NOT-USED', [4]]]);
  const g = run((c) => {
    exchange(c, { frame: 1, seq: 1, mag: MAG4, lma: LMA4, dl: 0xa001, ul: 0xb001, tPbu: true, tPba: false, status: 3 });
    c.data(DataEvent.of({ frame: 3, src: LMA4, dst: MAG4, innerSrc: '8.8.8.8', innerDst: '10.0.0.5', key: 0xa001, encap: ENCAP_UDP_TLV }));
  });
  assert.deepEqual(g.map((f) => [f.rule, f.frames]), [['S-TLV-WITHOUT-NEGOTIATION', [3]]]);
});

test('G-SEQ-OUT-OF-ORDER: serial comparison across the wrap; per session, direction and key', () => {
  assert.deepEqual(rules(run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    [0xfffffffe, 0xffffffff, 0, 1, 5].forEach((s, i) => c.data(up(3 + i, 0xb001, { seq: s })));
  })), []);
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    [10, 11, 11, 12, 9, 13].forEach((s, i) => c.data(up(3 + i, 0xb001, { seq: s })));
    c.data(down(9, 0xa001)); // the other direction has its own sequence space
  });
  assert.deepEqual(fs.map((f) => [f.rule, f.severity, f.frames, f.occurrences]), [['G-SEQ-OUT-OF-ORDER', 'info', [5, 7], 2]]);
  // unattributed tunnels too
  const u = run((c) => [1, 2, 2].forEach((s, i) => c.data(DataEvent.of({ frame: 1 + i, src: '2001:db8:9::1', dst: '2001:db8:9::2', key: 7, seq: s }))), { disable: ['S-GRE-DATA-NO-NEGOTIATION'] });
  assert.deepEqual(u.map((f) => [f.rule, f.frames, f.session]), [['G-SEQ-OUT-OF-ORDER', [3], null]]);
});

test('S-DUP-DL-KEY: once per pair of live sessions, not after one of them is gone', () => {
  const fs = run((c) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    exchange(c, { frame: 3, seq: 2, mn: 'mn2@example', hnp: '2001:db8:a:2::/64', dl: 0xa001, ul: 0xb002 });
    exchange(c, { frame: 5, seq: 3, mn: 'mn2@example', hnp: '2001:db8:a:2::/64', hi: 5, dl: 0xa001, ul: 0xb002 }); // re-registration: same pair, not again
    exchange(c, { frame: 7, seq: 4, lifetime: 0 }); // mn1 leaves
    exchange(c, { frame: 9, seq: 5, mn: 'mn3@example', hnp: '2001:db8:a:3::/64', dl: 0xa009, ul: 0xb009 });
  });
  assert.deepEqual(fs.map((f) => [f.rule, f.frames, f.session]), [['S-DUP-DL-KEY', [1, 3], 2]]);
});

test('S-PBA-UNMATCHED: a PBA nobody asked for and a PBU nobody answered', () => {
  const fs = run((c) => {
    c.pbu(signalling({ type: 'pbu', frame: 1, src: MAG1, dst: LMA, seq: 1, mnId: MN, hnp: [HNP] }));
    c.pba(signalling({ type: 'pba', frame: 2, src: LMA, dst: MAG1, seq: 9, mnId: MN, status: 0 }));
  });
  assert.deepEqual(fs.map((f) => [f.rule, f.severity, f.frames]), [['S-PBA-UNMATCHED', 'info', [1]], ['S-PBA-UNMATCHED', 'info', [2]]]);
});

test('the policy: disabled rules do not run, severity overrides apply to every finding', () => {
  const feed = (c: Correlator) => {
    exchange(c, { frame: 1, seq: 1, dl: 0xa001, ul: 0xb001 });
    exchange(c, { frame: 3, seq: 2, mn: 'mn2@example', hnp: '2001:db8:a:2::/64', dl: 0xa001, ul: 0xb001 });
  };
  assert.deepEqual(run(feed).map((f) => [f.rule, f.severity]), [['S-DUP-DL-KEY', 'warning'], ['S-DUP-UL-KEY', 'warning']]);
  assert.deepEqual(run(feed, { disable: ['S-DUP-UL-KEY'], severity: { 'S-DUP-DL-KEY': 'error' } }).map((f) => [f.rule, f.severity]), [['S-DUP-DL-KEY', 'error']]);
  assert.deepEqual(run(feed, { disable: ['S-DUP-*'] }), []);
  assert.deepEqual(run(feed, { disable: ['S-*'], enable: ['s-dup-ul-key'] }).map((f) => f.rule), ['S-DUP-UL-KEY']);
});
