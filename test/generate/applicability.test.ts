/**
 * Asking for a fault that cannot apply is a usage error, never an internal error: every named
 * fault on every built-in scenario either generates (and the fault changed something) or fails
 * with a GretoolError whose exit code is 2 and whose one-line message names the fault and the
 * scenario, before anything is written. The same for a fault given after another that takes
 * away what it changes (the GRE header, the TLV header, the tunnel's UDP header, the GRE Key
 * option). A frame that lacks what a fault needs is left alone, so a fault still applies to the
 * frames that have it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAULTS, faultByName, generateCapture, listScenarios, loadScenario, parseScenario, runGenerator } from '../../src/generate/index.js';
import { NEED } from '../../src/generate/faults.js';
import { GretoolError } from '../../src/errors.js';
import { EXIT, EXIT_CODE_OF } from '../../src/cli/exit-codes.js';
import { gretool, tempDir } from '../helpers/cli.js';

const dir = tempDir('gretool-applicability-');

type Outcome = { ok: true } | { ok: false; message: string };

/** Generates into a file; a GretoolError is an outcome, anything else fails the test. */
async function attempt(scenario: string, faults: string[]): Promise<Outcome> {
  const out = join(dir, 'x.pcap');
  rmSync(out, { force: true });
  try {
    await generateCapture(loadScenario(scenario), out, { faults });
    assert.ok(existsSync(out));
    return { ok: true };
  } catch (e) {
    const what = `${faults.join(' + ')} @ ${scenario}`;
    assert.ok(e instanceof GretoolError, `${what}: not a GretoolError (exit ${EXIT.INTERNAL}): ${(e as Error).stack}`);
    assert.equal(EXIT_CODE_OF[e.code], EXIT.USAGE, `${what}: ${e.code} ${e.message}`);
    assert.ok(!e.message.includes('\n'), `${what}: one line`);
    assert.ok(!existsSync(out), `${what}: nothing written`);
    return { ok: false, message: e.message };
  }
}

const scenarios = listScenarios().map((s) => s.name);

test('every fault on every built-in scenario generates or is a usage error (exit 2) naming fault and scenario', async () => {
  let generated = 0;
  for (const s of scenarios) {
    for (const f of FAULTS) {
      const r = await attempt(s, [f.name]);
      if (r.ok) generated++;
      else {
        assert.ok(r.message.includes(f.name), `${f.name} @ ${s}: ${r.message}`);
        assert.ok(r.message.includes(`scenario "${s}"`), `${f.name} @ ${s}: ${r.message}`);
      }
    }
  }
  for (const f of FAULTS) assert.ok((await attempt(f.scenario, [f.name])).ok, `${f.name} on its own scenario ${f.scenario}`);
  assert.ok(generated >= FAULTS.length);
});

test('a fault that needs GRE checksums, on a scenario without them, says so', async () => {
  for (const name of ['gre-checksum-bad', 'gre-reserved1']) {
    for (const s of ['mixed', 'initial-attach', 'ipv4-udp-tlv']) {
      const r = await attempt(s, [name]);
      assert.ok(!r.ok);
      assert.equal(r.message, `fault ${name} needs uplink packets with GRE checksums (gre_checksum: true); scenario "${s}" has none (try scenario gre-only)`);
    }
    assert.ok((await attempt('gre-only', [name])).ok);
  }
});

/** Faults whose mutation takes away something other faults change. */
const REMOVERS = ['uplink-no-gre', 'downlink-no-gre', 'tlv-nh-ipv4', 'udp-gre-no-tlv', 'uplink-ipv4-gre', 'downlink-not-tlv', 'pba-drop-grekey', 'status3-no-grekey', 's2-pbu-no-grekey', 'rereg-no-grekey', 'handoff-no-grekey', 'no-retry-after-163'];

test('a fault given after one that removes what it changes: generates or exit 2, never an internal error', async () => {
  const needy = FAULTS.filter((f) => 'needs' in f && f.needs !== undefined).map((f) => f.name);
  assert.ok(needy.length > 20);
  let refused = 0;
  for (const first of REMOVERS) {
    assert.ok(faultByName(first), first);
    for (const second of needy) {
      if (second === first) continue;
      for (const s of new Set([faultByName(first)!.scenario, faultByName(second)!.scenario])) {
        const r = await attempt(s, [first, second]);
        if (!r.ok && r.message.includes('given before it')) {
          refused++;
          assert.match(r.message, new RegExp(`^fault ${second} needs .* with .*; scenario "${s}" has them, but --fault ${first} \\(given before it\\) leaves none$`));
        }
      }
    }
  }
  assert.ok(refused >= 20, `${refused} combinations refused as conflicting`);
  const r = await attempt('initial-attach', ['uplink-no-gre', 'gre-version']);
  assert.ok(!r.ok);
  assert.equal(r.message, 'fault gre-version needs uplink packets with a GRE header; scenario "initial-attach" has them, but --fault uplink-no-gre (given before it) leaves none');
});

test('a fault applies to the frames that have what it needs and leaves the others alone', async () => {
  // the lifetime extension's PBU loses its GRE Key option; the initial PBU keeps it and gets the fault
  const sc = loadScenario('lifetime-extension');
  const sink = { write: () => true, drain: async () => {} };
  const st = await runGenerator(sc, sink, { faults: ['rereg-no-grekey', 'grekey-reserved'] });
  assert.ok(st.faultsApplied.has('rereg-no-grekey') && st.faultsApplied.has('grekey-reserved'));
  assert.equal(st.faultsUnmet.get('grekey-reserved'), NEED.greKey.text);
  // GRE checksums on one LMA only: gre-checksum-bad changes the sessions tunnelled to it
  const two = parseScenario(mixedChecksums(), 'two-lmas.yaml');
  const st2 = await runGenerator(two, sink, { faults: ['gre-checksum-bad'] });
  assert.ok(st2.faultsApplied.has('gre-checksum-bad'));
  assert.equal(st2.faultsUnmet.get('gre-checksum-bad'), NEED.greChecksum.text);
});

function mixedChecksums(): string {
  return `
name: two-lmas
description: "two LMAs, one with GRE checksums"
rfc: RFC 5845
nodes:
  mag1: { role: mag, ipv6: "2001:db8:1::1", gre: gre-only, gre_checksum: true }
  lma1: { role: lma, ipv6: "2001:db8:100::1", gre: accept, gre_checksum: true }
  mag2: { role: mag, ipv6: "2001:db8:2::1", gre: gre-only }
  lma2: { role: lma, ipv6: "2001:db8:200::1", gre: accept }
mobile_nodes:
  mn1: { id: mn1@a.example, hnp: "2001:db8:a:1::/64", ipv4: 10.1.0.10/24, lma: lma1 }
  mn2: { id: mn2@a.example, hnp: "2001:db8:a:2::/64", ipv4: 10.1.0.11/24, lma: lma2 }
timeline:
  - { at: 0, event: attach, mn: mn1, mag: mag1 }
  - { at: 0, event: attach, mn: mn2, mag: mag2 }
  - { at: 10ms, event: traffic, mn: mn1, flows: all, rate: 20, count: 2, size: 120 }
  - { at: 10ms, event: traffic, mn: mn2, flows: all, rate: 20, count: 2, size: 120 }
`;
}

test('the CLI: exit 2 with one line, no capture written, an existing file left as it was', () => {
  const out = join(dir, 'cli.pcap');
  rmSync(out, { force: true });
  const r = gretool(['generate', 'mixed', '--sessions', '50', '--fault', 'gre-checksum-bad', '-o', out]);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, 'gretool: fault gre-checksum-bad needs uplink packets with GRE checksums (gre_checksum: true); scenario "mixed" has none (try scenario gre-only)\n');
  assert.ok(!existsSync(out));
  writeFileSync(out, 'old');
  const again = gretool(['generate', 'initial-attach', '--fault', 'tlv-nh-ipv4', '--fault', 'gre-reserved1', '-o', out]);
  assert.equal(again.status, 2, again.stderr);
  assert.equal(readFileSync(out, 'utf8'), 'old');
});
