/**
 * GRE keys stay unique when a scenario is scaled with --sessions: a clone's derived key (the
 * scenario's explicit key + clone · 0x10001) must never land on another mobile node's explicit
 * key, whichever is allocated first (overlapping-ipv4: mn1's clone 1 would get 0x000b0002, mn4's
 * uplink key). Checked on the PBU/PBA options themselves (uplink keys per LMA, downlink keys per
 * MAG, each owned by one mobile node), and by the linter on the compliant scenarios.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateCapture, listScenarios, loadScenario, runGenerator } from '../../src/generate/index.js';
import { resolvePolicy } from '../../src/lint/config.js';
import { lintCapture } from '../../src/lint/run.js';
import { tempDir } from '../helpers/cli.js';
import { dissect } from './helpers.js';

const SESSIONS = 300;
/** The one scenario that is not compliant on purpose (an LMA without RFC 5845). */
const EXPECTED: Record<string, string[]> = { 'lma-ignores-grekey': ['S-MAG-LMA-NO-SUPPORT'] };

/** "node address/key" → mobile node identifiers that were given that key there. */
type KeyOwners = Map<string, Set<string>>;

async function keyOwners(name: string, seed: number): Promise<{ ul: KeyOwners; dl: KeyOwners; pbas: number }> {
  const ul: KeyOwners = new Map();
  const dl: KeyOwners = new Map();
  let pbas = 0;
  const add = (m: KeyOwners, k: string, mn: string): void => {
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(mn);
  };
  await runGenerator(
    loadScenario(name),
    {
      write: (d, o, n) => {
        const f = dissect(d.subarray(o, o + n));
        const type = f.get('mip6.mhtype');
        if (type !== '5' && type !== '6') return true;
        const mn = f.get('mip6.mnid.identifier');
        const key = f.get('mip6.gre_key');
        const src = f.get('ipv6.src') ?? f.get('ip.src');
        assert.ok(mn !== undefined && src !== undefined, `${name}: PBU/PBA without MN-ID or source`);
        if (type === '6') pbas++;
        if (key !== undefined) add(type === '5' ? dl : ul, `${src}/${key}`, mn);
        return true;
      },
      drain: async () => {},
    },
    { sessions: SESSIONS, seed },
  );
  return { ul, dl, pbas };
}

function shared(m: KeyOwners): string[] {
  return [...m].filter(([, owners]) => owners.size > 1).map(([k, owners]) => `${k}: ${[...owners].join(', ')}`);
}

for (const sc of listScenarios()) {
  test(`scenario ${sc.name} with ${SESSIONS} sessions: one mobile node per uplink key per LMA and per downlink key per MAG`, async () => {
    for (const seed of [1]) {
      const { ul, dl, pbas } = await keyOwners(sc.name, seed);
      assert.ok(pbas >= SESSIONS, `${sc.name}: ${pbas} PBAs`);
      assert.deepEqual(shared(ul), [], `${sc.name} seed ${seed}: uplink keys given to two mobile nodes`);
      assert.deepEqual(shared(dl), [], `${sc.name} seed ${seed}: downlink keys given to two mobile nodes`);
    }
  });
}

test('overlapping-ipv4 scaled: the clones whose derived key was taken get other keys, the rest keep theirs', async () => {
  const { ul, dl } = await keyOwners('overlapping-ipv4', 1);
  const LMA = '2001:db8:100::1';
  const MAG = '2001:db8:1::1';
  const owner = (m: KeyOwners, node: string, k: number): string[] => [...(m.get(`${node}/${k}`) ?? [])];
  // the explicit keys belong to the base mobile nodes
  assert.deepEqual(owner(ul, LMA, 0x000b0002), ['mn4@operator-b.example']);
  assert.deepEqual(owner(ul, LMA, 0x000a0001), ['mn1@operator-a.example']);
  assert.deepEqual(owner(dl, MAG, 0x0000b002), ['mn4@operator-b.example']);
  // derivation still holds where nothing is in the way: mn2's clone 1 gets 0x000a0002 + 0x10001
  assert.deepEqual(owner(ul, LMA, 0x000b0003), ['mn2.1@operator-a.example']);
  assert.deepEqual(owner(dl, MAG, 0x0000a002 + 0x10001), ['mn2.1@operator-a.example']);
  // mn1's clone 1 would have collided with mn4 (0x000a0001 + 0x10001 = 0x000b0002): it has a key of its own
  const mn11 = [...ul].filter(([, o]) => o.has('mn1.1@operator-a.example'));
  assert.equal(mn11.length, 1);
  assert.notEqual(mn11[0]![0], `${LMA}/${0x000b0002}`);
  assert.equal(ul.size, SESSIONS);
  assert.equal(dl.size, SESSIONS);
});

test('the compliant scenarios scaled up lint clean (no duplicate-key findings)', async () => {
  const dir = tempDir('gretool-keys-');
  for (const sc of listScenarios()) {
    const path = join(dir, `${sc.name}-${SESSIONS}.pcap`);
    await generateCapture(loadScenario(sc.name), path, { seed: 1, sessions: SESSIONS });
    const r = await lintCapture(path, { policy: resolvePolicy({ noConfig: true, cli: { failOn: 'info' } }) });
    assert.ok(r.frames > SESSIONS, sc.name);
    const rules = [...new Set(r.findings.map((f) => f.rule))];
    assert.deepEqual(rules, EXPECTED[sc.name] ?? [], `${sc.name}: ${r.findings.map((f) => `${f.rule} ${f.message}`).join('; ')}`);
  }
});
