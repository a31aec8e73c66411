/**
 * The correlator on the generator's built-in scenarios (scenarios/*.yaml), plain and scaled to
 * thousands of sessions. The EXPECTED binding table is derived here from the scenario file
 * itself (parsed with `yaml`, interpreted by the small reference model below, which encodes the
 * scenario format's meaning and the RFC 5845 §5.2 / §7.4 LMA answers), never from the
 * correlator's output. Fast path and full dissection must also agree on every capture.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { faultRows, generateCapture, loadScenario } from '../../src/generate/index.js';
import { correlateCapture } from '../../src/sessions/run.js';
import { sessionsJson, type BindingJson, type SessionsJson } from '../../src/sessions/report.js';
import { canonicalAddr } from '../../src/sessions/addr.js';
import { ROOT, tempDir } from '../helpers/cli.js';

const SCEN_DIR = join(ROOT, 'scenarios');

// ------------------------------------------------------------------ reference model

/** "10ms", "1.01s", 0 → nanoseconds. */
function ns(v: unknown): number {
  if (typeof v === 'number') return Math.round(v * 1e9);
  const m = /^([0-9.]+)\s*(ns|us|µs|ms|s|m|h)?$/.exec(String(v).trim());
  if (!m) throw new Error(`bad time ${String(v)}`);
  const unit = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[(m[2] ?? 's') as 'ns'];
  return Math.round(Number(m[1]) * unit);
}

type Gre = 'keys' | 'gre-only' | 'none';

interface ExpBinding {
  mn: string;
  mnId: string;
  created: number; // ns, for ordering
  order: number;
  mag: string;
  lma: string;
  transport: string;
  greMode: Gre;
  downlinkKey: number | null | 'any';
  uplinkKey: number | null | 'any';
  tlv: boolean;
  state: string;
  history: [string, number | null][];
  hnp: string[];
  ipv4HomeAddress: string | null;
  up: number;
  down: number;
}

const ALL = [['udp', 4], ['tcp', 4], ['icmp', 4], ['udp', 6], ['tcp', 6], ['icmp', 6]] as const;

/** Frames one traffic event sends up and down (the scenario format's flow semantics). */
function trafficFrames(ev: Record<string, any>): [number, number] {
  const rate = ev.rate ?? 10;
  const count = (x: Record<string, any>, r: number, dflt: number) =>
    x.count !== undefined ? x.count : x.duration !== undefined ? Math.max(1, Math.floor((ns(x.duration) / 1e9) * r + 1e-9)) : dflt;
  const base = count(ev, rate, 1);
  const dir = ev.direction ?? 'both';
  const flows: { proto: string; n: number; dir: string }[] = [];
  for (const f of Array.isArray(ev.flows) ? ev.flows : [ev.flows]) {
    if (f === 'all') for (const [proto] of ALL) flows.push({ proto, n: base, dir });
    else if (typeof f === 'string') flows.push({ proto: /^(udp|tcp|icmp)/.exec(f)![1]!, n: base, dir });
    else flows.push({ proto: f.proto, n: count(f, f.rate ?? rate, base), dir: f.direction ?? dir });
  }
  let up = 0;
  let down = 0;
  for (const f of flows) {
    const u = f.dir !== 'downlink' ? f.n : 0;
    const d = f.dir !== 'uplink' ? f.n : 0;
    if (f.proto === 'udp') [up, down] = [up + u, down + d];
    else if (f.proto === 'icmp') [up, down] = [up + f.n, down + f.n]; // request one way, reply the other
    else [up, down] = [up + 2 + u, down + 1 + d]; // TCP: SYN, ACK up; SYN-ACK down
  }
  return [up, down];
}

/** The LMA's answer to a PBU (RFC 5845 §5.2, §6.4, §7.4; "ignore" = an LMA without RFC 5845). */
function lmaAnswer(policy: string, tlvOk: boolean, pbuGre: Gre, pbuT: boolean): { status: number; gre: Gre; t: boolean } {
  if (policy === 'ignore') return { status: 0, gre: 'none', t: false };
  if (pbuGre === 'none') return { status: policy === 'require' ? 163 : 0, gre: 'none', t: false };
  if (policy === 'not-required') return { status: 2, gre: 'none', t: false };
  if (pbuT) return tlvOk ? { status: 0, gre: pbuGre, t: true } : { status: 3, gre: pbuGre, t: false };
  return { status: 0, gre: pbuGre, t: false };
}

function expectedBindings(doc: Record<string, any>): ExpBinding[] {
  const nodes: Record<string, any> = doc.nodes;
  const mns: Record<string, any> = doc.mobile_nodes;
  const lmas = Object.keys(nodes).filter((n) => nodes[n].role === 'lma');
  const timeline: Record<string, any>[] = (doc.timeline as Record<string, any>[]).map((e, i) => ({ ...e, t: ns(e.at), i })).sort((a, b) => a.t - b.t || a.i - b.i);
  const out: ExpBinding[] = [];
  const noSupport = new Set<string>(); // "mag|lma" after an LMA ignored the option
  let order = 0;
  for (const [mnName, mn] of Object.entries(mns)) {
    const lmaName = mn.lma ?? lmas[0]!;
    const lma = nodes[lmaName];
    const st = { gre: 'none' as Gre, dl: null as number | null | 'any', ul: null as number | null | 'any', s2: false, t: false, transport: 'ipv6' };
    let cur: ExpBinding | null = null;
    for (const ev of timeline.filter((e) => e.mn === mnName)) {
      if (ev.event === 'traffic') {
        if (cur && cur.state === 'active') {
          const [u, d] = trafficFrames(ev);
          cur.up += u;
          cur.down += d;
        }
        continue;
      }
      const magName: string | null | undefined = ev.event === 'attach' || ev.event === 'handoff' ? ev.mag : cur ? Object.keys(nodes).find((n) => nodes[n].ipv6 === cur!.mag || nodes[n].ipv4 === cur!.mag)! : null;
      if (!magName) continue;
      const mag: Record<string, any> = nodes[magName];
      const transport: string = ev.transport ?? (ev.event === 'reregister' || ev.event === 'detach' ? st.transport : mag.transport ?? 'ipv6');
      const magAddr = transport === 'ipv6' ? mag.ipv6 : mag.ipv4;
      const lmaAddr = canonicalAddr(transport === 'ipv6' ? lma.ipv6 : lma.ipv4);
      if (ev.event === 'detach') {
        if (!cur) continue;
        cur.history.push(['deregistration', 0]);
        cur.state = 'deregistered';
        cur = null;
        continue;
      }
      let gre: Gre;
      if (ev.gre) gre = ev.gre;
      else if (st.s2 || noSupport.has(`${magName}|${lmaName}`)) gre = 'none';
      else if (ev.event === 'reregister') gre = st.gre;
      else gre = mag.gre ?? 'keys';
      const pbuT = ev.event === 'reregister' ? st.t && gre !== 'none' : transport === 'ipv4-udp' && gre !== 'none' && (ev.tlv ?? mag.tlv ?? true);
      const dl: number | 'any' | null = gre === 'keys' ? (ev.dl_key ?? (ev.event === 'reregister' ? st.dl : 'any')) : null;
      if (!cur) {
        cur = {
          mn: mnName, mnId: mn.id, created: ev.t, order: order++, mag: canonicalAddr(magAddr), lma: lmaAddr, transport: 'ipv6', greMode: 'none',
          downlinkKey: null, uplinkKey: null, tlv: false, state: 'pending', history: [], hnp: [canonicalPrefix(mn.hnp)],
          ipv4HomeAddress: mn.ipv4 ? String(mn.ipv4).split('/')[0]! : null, up: 0, down: 0,
        };
        out.push(cur);
      }
      const kind = ev.event === 'attach' ? 'initial' : ev.event === 'reregister' ? 'lifetime-extension' : 'handoff';
      let a = lmaAnswer(lma.gre ?? 'accept', lma.tlv ?? true, gre, pbuT);
      let usedGre = gre;
      let usedDl = dl;
      let usedT = pbuT;
      if (ev.response?.status !== undefined) a = { ...a, status: ev.response.status };
      if (a.status >= 128) {
        cur.history.push(['rejected', a.status]);
        if (cur.state === 'pending') cur.state = 'rejected';
        if (!(a.status === 163 && mag.retry_on_163 && gre === 'none')) continue;
        // the MAG retries with the GRE Key option (RFC 5845 §4.2)
        usedGre = 'keys';
        usedDl = ev.dl_key ?? 'any';
        usedT = transport === 'ipv4-udp' && (mag.tlv ?? true);
        a = lmaAnswer(lma.gre ?? 'accept', lma.tlv ?? true, usedGre, usedT);
      }
      const wasActive = cur.state === 'active';
      if (lma.gre === 'ignore' && usedGre !== 'none') noSupport.add(`${magName}|${lmaName}`);
      if (a.status === 2) st.s2 = true;
      const ul: number | 'any' | null = a.gre === 'keys' ? (ev.response?.ul_key ?? (wasActive && st.ul !== null ? st.ul : 'any')) : null;
      cur.history.push([wasActive ? kind : 'initial', a.status]);
      cur.state = 'active';
      cur.mag = canonicalAddr(magAddr);
      cur.greMode = a.gre;
      cur.downlinkKey = a.gre !== 'none' && usedGre === 'keys' ? usedDl : null;
      cur.uplinkKey = ul;
      cur.tlv = transport === 'ipv4-udp' && a.t && a.gre !== 'none' && a.status !== 3;
      cur.transport = transport === 'ipv6' ? 'ipv6' : cur.tlv || (mag.force_udp && a.gre === 'none') ? 'ipv4-udp' : 'ipv4';
      Object.assign(st, { gre: a.gre === 'none' ? 'none' : usedGre, dl: cur.downlinkKey, ul, t: usedT, transport });
    }
  }
  return out.sort((a, b) => a.created - b.created || a.order - b.order);
}

function canonicalPrefix(p: string): string {
  const [a, l] = p.split('/');
  return `${canonicalAddr(a!)}/${l}`;
}

function checkBinding(got: BindingJson, exp: ExpBinding, what: string, exactKeys = true): void {
  const key = (k: number | null | 'any', g: number | null) => (k === 'any' || !exactKeys ? (k === null ? null : typeof g === 'number' ? 'a key' : g) : k);
  assert.deepEqual(
    {
      mnId: got.mnId, mag: got.mag, lma: got.lma, transport: got.transport, greMode: got.greMode, tlv: got.tlv, state: got.state,
      downlinkKey: key(exp.downlinkKey, got.downlinkKey), uplinkKey: key(exp.uplinkKey, got.uplinkKey),
      history: got.history.map((h) => [h.kind, h.status]), uplink: got.uplink.frames, downlink: got.downlink.frames,
    },
    {
      mnId: exp.mnId, mag: exp.mag, lma: exp.lma, transport: exp.transport, greMode: exp.greMode, tlv: exp.tlv, state: exp.state,
      downlinkKey: exp.downlinkKey === 'any' || !exactKeys ? (exp.downlinkKey === null ? null : 'a key') : exp.downlinkKey,
      uplinkKey: exp.uplinkKey === 'any' || !exactKeys ? (exp.uplinkKey === null ? null : 'a key') : exp.uplinkKey,
      history: exp.history, uplink: exp.up, downlink: exp.down,
    },
    what,
  );
}

async function both(path: string): Promise<SessionsJson> {
  const a = sessionsJson((await correlateCapture(path, { fastPath: true })).correlator);
  const b = sessionsJson((await correlateCapture(path, { fastPath: false })).correlator);
  assert.deepEqual(a, b, 'fast path and full dissection disagree');
  return a;
}

const files = existsSync(SCEN_DIR) ? readdirSync(SCEN_DIR).filter((f) => f.endsWith('.yaml')).sort() : [];

for (const f of files) {
  const name = f.replace(/\.yaml$/, '');
  test(`scenario ${name}: binding table derived from the scenario file`, async () => {
    const doc = parse(readFileSync(join(SCEN_DIR, f), 'utf8'));
    const exp = expectedBindings(doc);
    const path = join(tempDir('gretool-sessions-'), `${name}.pcap`);
    await generateCapture(loadScenario(name), path, { seed: 1 });
    const j = await both(path);
    assert.equal(j.bindings.length, exp.length, `${name}: bindings`);
    j.bindings.forEach((b, i) => {
      checkBinding(b, exp[i]!, `${name}: binding ${b.id}`);
      assert.deepEqual(b.hnp, exp[i]!.hnp);
      assert.equal(b.ipv4HomeAddress, exp[i]!.ipv4HomeAddress);
    });
    assert.deepEqual(j.unattributed, [], `${name}: unattributed traffic`);
    assert.deepEqual(j.unansweredPbus, []);
    assert.deepEqual(j.unsolicitedPbas, []);
  });
}

// overlapping-ipv4 scaled: its clones keep the RFC 5845 Figure 1 case (same inner IPv4 addresses,
// told apart by keys) with keys that never collide with another mobile node's
for (const [name, sessions] of [['initial-attach', 3000], ['mixed', 1000], ['overlapping-ipv4', 500]] as const) {
  test(`scenario ${name} scaled to ${sessions} sessions: every clone is its base binding`, { skip: !files.includes(`${name}.yaml`) }, async () => {
    const doc = parse(readFileSync(join(SCEN_DIR, `${name}.yaml`), 'utf8'));
    const exp = expectedBindings(doc);
    const byMnId = new Map(exp.map((e) => [e.mnId, e]));
    const path = join(tempDir('gretool-sessions-'), `${name}-${sessions}.pcap`);
    await generateCapture(loadScenario(name), path, { seed: 3, sessions });
    const j = await both(path);
    assert.equal(j.bindings.length, sessions);
    let frames = 0;
    for (const b of j.bindings) {
      // clones are "<local>.<n>@<domain>" of a base identifier
      const base = b.mnId.replace(/\.\d+@/, '@');
      const e = byMnId.get(base);
      assert.ok(e, `${b.mnId}: no base mobile node`);
      const mags = new Map([[e.mag, b.mag]]);
      checkBinding(b, { ...e, mnId: b.mnId, mag: mags.get(e.mag)! }, `binding ${b.id} (${b.mnId})`, false);
      frames += b.uplink.frames + b.downlink.frames;
    }
    const keys = new Set(j.bindings.filter((b) => b.uplinkKey !== null).map((b) => `${b.mag}|${b.lma}|${b.uplinkKey}`));
    assert.equal(keys.size, j.bindings.filter((b) => b.uplinkKey !== null).length, 'uplink keys unique per MAG/LMA pair');
    assert.equal(j.summary.attributedFrames, frames);
    assert.deepEqual(j.unattributed, []);
    assert.equal(j.summary.unattributedFrames, 0);
  });
}

test('every generator fault, in its scenario: the fast path and full dissection give the same report', async () => {
  const dir = tempDir('gretool-sessions-faults-');
  let n = 0;
  for (const f of faultRows()) {
    if (!files.includes(`${f.scenario}.yaml`)) continue;
    const path = join(dir, `${f.name}.pcap`);
    await generateCapture(loadScenario(f.scenario), path, { seed: 5, faults: [f.name] });
    const j = await both(path);
    assert.ok(j.summary.frames > 0, f.name);
    n++;
  }
  assert.ok(n >= 20, `faults tried: ${n}`);
});
