/**
 * The fault catalog: every rule of shared/spec/lint-rules.md §1–§4 is exercised by a named fault,
 * and each fault changes what it names and nothing else. For every fault its scenario is
 * generated with and without it and the two captures are compared frame by frame:
 *  - only frames of the fault's target (PBU, PBA, uplink or downlink data) differ, at least one;
 *  - a fault that keeps the layout: every differing octet lies in a field the fault names or in
 *    a derived field (length, checksum, padding), located by dissecting the fault-free frame;
 *  - a fault that adds, removes or moves octets: the multiset of (field, value) pairs differs
 *    only in named or derived fields.
 * Where gretool's dissectors report the rule as an expert item, it fires with the fault and
 * never without it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { DERIVED_FIELDS, FAULTS, fieldMatches, type FaultDef } from '../../src/generate/faults.js';
import { generateCapture, loadScenario, runGenerator, listScenarios } from '../../src/generate/index.js';
import type { Scenario } from '../../src/generate/model.js';
import { allExperts } from '../../src/engine/expert.js';
import { join } from 'node:path';
import { gretool, rel, tempDir } from '../helpers/cli.js';
import { dissect, LINK, type Dissected } from './helpers.js';

const RULES_MD = rel('../shared/spec/lint-rules.md');

async function frames(sc: Scenario, faults: string[] = []): Promise<{ data: Uint8Array; ts: number }[]> {
  const out: { data: Uint8Array; ts: number }[] = [];
  const sink = { write: (d: Uint8Array, o: number, n: number, _l: number, s: number, ns: number) => (out.push({ data: d.slice(o, o + n), ts: s * 1e9 + ns }), true), drain: async () => {} };
  const st = await runGenerator(sc, sink, { faults });
  for (const f of faults) assert.ok(st.faultsApplied.has(f), `${f} did not apply in ${sc.name}`);
  return out;
}

function ruleIdsOfSections1to4(md: string): string[] {
  const body = md.slice(md.indexOf('## 1.'), md.indexOf('## 5.'));
  return [...body.matchAll(/^\| ([A-Z]-[A-Z0-9-]+) \|/gm)].map((m) => m[1]!);
}

test('every rule of lint-rules.md §1–§4 is exercised by a fault', (t) => {
  if (!existsSync(RULES_MD)) {
    // CI always has shared/ beside the checkout: a missing catalog there is a failure
    if (process.env.CI) assert.fail('shared/spec/lint-rules.md not found beside the project');
    return t.skip('shared/spec/lint-rules.md not available');
  }
  const ids = ruleIdsOfSections1to4(readFileSync(RULES_MD, 'utf8'));
  assert.ok(ids.length > 60, `parsed only ${ids.length} rule ids`);
  const covered = new Set(FAULTS.flatMap((f) => f.rules));
  const missing = ids.filter((id) => !covered.has(id));
  assert.deepEqual(missing, [], `rules without a fault: ${missing.join(', ')}`);
  for (const id of covered) assert.ok(ids.includes(id), `fault rule ${id} is not in lint-rules.md`);
});

test('the catalog is well formed: unique names, real scenarios, a description', () => {
  const names = new Set<string>();
  const scenarios = new Set(listScenarios().map((s) => s.name));
  for (const f of FAULTS) {
    assert.ok(!names.has(f.name), `duplicate ${f.name}`);
    names.add(f.name);
    assert.match(f.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(scenarios.has(f.scenario), `${f.name}: unknown scenario ${f.scenario}`);
    assert.ok(f.rules.length > 0 && f.description.length > 20, f.name);
  }
});

type Kind = 'pbu' | 'pba' | 'uplink' | 'downlink';

function kindOf(d: Dissected, magAddrs: Set<string>): Kind {
  const mh = d.get('mip6.mhtype');
  if (mh === '5') return 'pbu';
  if (mh === '6') return 'pba';
  // the outer source address: the first IPv4/IPv6 source in the frame
  const src = d.nodes.find(([n]) => n === 'ip.src' || n === 'ipv6.src')![1];
  return magAddrs.has(src) ? 'uplink' : 'downlink';
}

function allowedKinds(f: FaultDef): Kind[] {
  switch (f.target) {
    case 'data':
      return ['uplink', 'downlink'];
    case 'session':
      return ['pbu', 'pba', 'uplink', 'downlink'];
    default:
      return [f.target];
  }
}

function fieldMultiset(d: Dissected): Map<string, number> {
  const m = new Map<string, number>();
  for (const [name, value, , , leaf] of d.nodes) {
    if (!leaf || name.startsWith('frame') || name === 'gretool.link_type' || name.startsWith('gretool.session') || name.startsWith('gretool.pair') || name === 'gretool.direction') continue;
    const k = `${name}\u0000${value}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

const cache = new Map<string, Promise<{ data: Uint8Array; ts: number }[]>>();
function plain(sc: Scenario) {
  if (!cache.has(sc.name)) cache.set(sc.name, frames(sc));
  return cache.get(sc.name)!;
}

for (const f of FAULTS) {
  test(`fault ${f.name} (${f.rules.join(', ')}) changes only what it names`, async () => {
    const sc = loadScenario(f.scenario);
    const magAddrs = new Set<string>();
    for (const n of sc.nodes.values()) if (n.role === 'mag') for (const a of [n.ipv6, n.ipv4]) if (a) magAddrs.add(a);
    const A = await plain(sc);
    const B = await frames(sc, [f.name]);
    const allowed = [...f.fields, ...DERIVED_FIELDS];
    if (f.name === 'capture-started-late') {
      // exactly the initial PBU and PBA are gone, everything else is untouched
      assert.equal(B.length, A.length - 2);
      assert.equal(kindOf(dissect(A[0]!.data), magAddrs), 'pbu');
      assert.equal(kindOf(dissect(A[1]!.data), magAddrs), 'pba');
      A.slice(2).forEach((a, i) => {
        assert.deepEqual(B[i]!.data, a.data);
        assert.equal(B[i]!.ts, a.ts);
      });
      return;
    }
    assert.equal(B.length, A.length, 'frame count');
    let changed = 0;
    for (let i = 0; i < A.length; i++) {
      const a = A[i]!;
      const b = B[i]!;
      assert.equal(b.ts, a.ts, `frame ${i + 1}: timestamp`);
      if (a.data.length === b.data.length && a.data.every((x, j) => x === b.data[j])) continue;
      changed++;
      const da = dissect(a.data, LINK.ethernet, i + 1);
      const kind = kindOf(da, magAddrs);
      assert.ok(allowedKinds(f).includes(kind), `frame ${i + 1} (${kind}) changed, but ${f.name} targets ${f.target}`);
      if (a.data.length === b.data.length && !f.moves) {
        for (let j = 0; j < a.data.length; j++) {
          if (a.data[j] === b.data[j]) continue;
          const names = da.nodes.filter(([, , off, len]) => off <= j && j < off + Math.max(len, 1)).map((n) => n[0]);
          assert.ok(names.some((n) => fieldMatches(n, allowed)), `frame ${i + 1} octet ${j}: ${a.data[j]} → ${b.data[j]} lies in ${names.join(', ') || 'no field'}, not in ${f.fields.join(', ')}`);
        }
      } else {
        const ma = fieldMultiset(da);
        const mb = fieldMultiset(dissect(b.data, LINK.ethernet, i + 1));
        for (const k of new Set([...ma.keys(), ...mb.keys()])) {
          if ((ma.get(k) ?? 0) === (mb.get(k) ?? 0)) continue;
          const name = k.slice(0, k.indexOf('\u0000'));
          assert.ok(fieldMatches(name, allowed), `frame ${i + 1}: ${name} changed (${k.replace('\u0000', '=')}), not named by ${f.name}`);
        }
      }
    }
    assert.ok(changed > 0, 'no frame changed');
  });
}

test('rules that gretool’s dissectors report fire with their fault and never without it', async () => {
  const reported = new Set(allExperts().flatMap((e) => (e.rule ? [e.rule] : [])));
  let checked = 0;
  for (const f of FAULTS) {
    const rule = f.rules.find((r) => reported.has(r));
    if (!rule) continue;
    const sc = loadScenario(f.scenario);
    const rulesIn = (fr: { data: Uint8Array }[]) => new Set(fr.flatMap((x, i) => dissect(x.data, LINK.ethernet, i + 1).experts.flatMap((e) => (e.rule ? [e.rule] : []))));
    assert.ok(!rulesIn(await plain(sc)).has(rule), `${rule} fires in the fault-free ${sc.name}`);
    assert.ok(rulesIn(await frames(sc, [f.name])).has(rule), `${f.name}: ${rule} does not fire`);
    checked++;
  }
  assert.ok(checked >= 10, `only ${checked} faults checked against dissector experts`);
});

/** Rules `gretool lint` reports on a capture (the built CLI). */
function lintRules(file: string): Set<string> {
  const r = gretool(['lint', file, '--format', 'json']);
  assert.ok(r.status === 0 || r.status === 1, `lint exited ${r.status}: ${r.stderr}`);
  return new Set((JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule));
}

/** What the fault-free built-in scenarios show on purpose. */
const INTENDED: Record<string, string[]> = { 'lma-ignores-grekey': ['S-MAG-LMA-NO-SUPPORT'] };

test('gretool lint: fault-free scenarios are clean (but for what they show on purpose), every fault trips its rules', async () => {
  const dir = tempDir('gretool-faults-');
  for (const s of listScenarios()) {
    const f = join(dir, `${s.name}.pcap`);
    await generateCapture(loadScenario(s.name), f);
    assert.deepEqual([...lintRules(f)].sort(), INTENDED[s.name] ?? [], `fault-free ${s.name}`);
  }
  for (const fault of FAULTS) {
    const f = join(dir, `${fault.name}.pcap`);
    await generateCapture(loadScenario(fault.scenario), f, { faults: [fault.name] });
    const got = lintRules(f);
    for (const rule of fault.rules) assert.ok(got.has(rule), `${fault.name}: lint does not report ${rule} (got ${[...got].join(', ')})`);
  }
});
