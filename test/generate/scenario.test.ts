/**
 * Scenario files: valid YAML and JSON load; invalid ones fail with file:line:col and a clear
 * message (GretoolError code SCENARIO, which the CLI maps to exit 2); per-event overrides and
 * faults change exactly the frames of their event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../src/generate/scenario.js';
import { runGenerator } from '../../src/generate/index.js';
import { GretoolError } from '../../src/errors.js';
import { gretool, tempDir } from '../helpers/cli.js';
import { dissect, LINK } from './helpers.js';

const BASE = `name: t
description: test
nodes:
  mag1: { role: mag, ipv6: 2001:db8:1::1 }
  lma1: { role: lma, ipv6: 2001:db8:100::1 }
mobile_nodes:
  mn1: { hnp: 2001:db8:a:1::/64, ipv4: 10.1.0.10/24 }
timeline:
  - { at: 0, event: attach, mn: mn1, mag: mag1, dl_key: 0x1001, response: { ul_key: 0x2001 } }
  - { at: 10ms, event: traffic, mn: mn1, flows: [udp4, tcp6], rate: 10, count: 2 }
`;

function errorOf(text: string, file = 'x.yaml'): string {
  try {
    parseScenario(text, file);
  } catch (err) {
    assert.ok(err instanceof GretoolError, String(err));
    assert.equal(err.code, 'SCENARIO');
    return err.message;
  }
  assert.fail('expected a SCENARIO error');
}

/** Frames of a scenario as an array of byte arrays. */
async function framesOf(text: string, opts = {}): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  await runGenerator(parseScenario(text, 't.yaml'), { write: (d, o, n) => (out.push(d.slice(o, o + n)), true), drain: async () => {} }, opts);
  return out;
}

test('a valid scenario parses into the model', () => {
  const sc = parseScenario(BASE, 't.yaml');
  assert.equal(sc.name, 't');
  assert.equal(sc.nodes.size, 2);
  assert.equal(sc.mobileNodes.get('mn1')!.id, 'mn1@example.net');
  assert.equal(sc.mobileNodes.get('mn1')!.lma, 'lma1');
  assert.equal(sc.timeline.length, 2);
  const tr = sc.timeline[1]!;
  assert.equal(tr.kind, 'traffic');
  assert.equal(tr.at, 10e6);
  if (tr.kind === 'traffic') assert.deepEqual(tr.flows.map((f) => `${f.proto}${f.ip}`), ['udp4', 'tcp6']);
});

test('YAML syntax errors carry line and column', () => {
  const msg = errorOf('name: t\nnodes: [a, b\n', 'bad.yaml');
  assert.match(msg, /^bad\.yaml:\d+:\d+: /);
});

test('unknown keys, wrong types and bad values point at the offending value', () => {
  assert.match(errorOf(BASE.replace('description: test', 'descripton: test')), /^x\.yaml:2:1: unknown key "descripton"/);
  assert.match(errorOf(BASE.replace('ipv6: 2001:db8:1::1', 'ipv6: 2001:db8:1::zz')), /^x\.yaml:4:28: nodes\.mag1\.ipv6: "2001:db8:1::zz" is not an IPv6 address/);
  assert.match(errorOf(BASE.replace('role: lma', 'role: lmx')), /^x\.yaml:5:17: nodes\.lma1\.role: expected one of "mag", "lma", got "lmx"/);
  assert.match(errorOf(BASE.replace('rate: 10', 'rate: fast')), /^x\.yaml:10:\d+: timeline\[1\]\.rate: expected a number, got "fast"/);
  assert.match(errorOf(BASE.replace('at: 10ms', 'at: soon')), /^x\.yaml:10:\d+: timeline\[1\]\.at: expected a time/);
  assert.match(errorOf(BASE.replace('hnp: 2001:db8:a:1::/64', 'hnp: 2001:db8:a:1::/129')), /^x\.yaml:7:\d+: mobile_nodes\.mn1\.hnp: .*prefix length must be 0-128/);
});

test('references are checked: unknown mobile node, MAG, LMA', () => {
  assert.match(errorOf(BASE.replace('mn: mn1, mag: mag1', 'mn: mn9, mag: mag1')), /^x\.yaml:9:\d+: timeline\[0\]\.mn: unknown mobile node "mn9"/);
  assert.match(errorOf(BASE.replace('mag: mag1, dl_key', 'mag: lma1, dl_key')), /timeline\[0\]\.mag: "lma1" is not a node with role "mag"/);
  assert.match(errorOf(BASE.replace('ipv4: 10.1.0.10/24 }', 'ipv4: 10.1.0.10/24, lma: mag1 }')), /^x\.yaml:7:\d+: mobile_nodes\.mn1\.lma: "mag1" is not a node with role "lma"/);
});

test('missing required parts are named', () => {
  assert.match(errorOf(BASE.replace(/timeline:[\s\S]*/, '')), /missing "timeline"/);
  assert.match(errorOf(BASE.replace('{ at: 0, event: attach', '{ event: attach')), /^x\.yaml:9:\d+: timeline\[0\]: missing "at"/);
  assert.match(errorOf(BASE.replace('{ at: 0, event: attach, mn: mn1, mag: mag1,', '{ at: 0, mn: mn1, mag: mag1,')), /missing "event"/);
});

test('the order of events is checked per mobile node', () => {
  const twice = BASE + '  - { at: 1s, event: attach, mn: mn1, mag: mag1 }\n';
  assert.match(errorOf(twice), /^x\.yaml:11:\d+: timeline\[2\]: mobile node "mn1" is already attached/);
  const early = BASE.replace('{ at: 0, event: attach', '{ at: 5s, event: attach') + '  - { at: 1s, event: reregister, mn: mn1 }\n';
  assert.match(errorOf(early), /^x\.yaml:11:\d+: timeline\[2\]: mobile node "mn1" is not attached at this time/);
  const v4 = BASE.replace("dl_key: 0x1001,", 'dl_key: 0x1001, transport: ipv4-udp,');
  assert.match(errorOf(v4), /transport ipv4-udp needs an "ipv4" address on node "mag1"/);
});

test('faults and overrides in files are validated where they stand', () => {
  assert.match(errorOf(BASE.replace('response: { ul_key: 0x2001 } }', 'response: { ul_key: 0x2001 }, faults: [no-such-fault] }')), /^x\.yaml:9:\d+: timeline\[0\]\.faults\[0\]: unknown fault "no-such-fault"/);
  assert.match(errorOf(BASE.replace('count: 2 }', 'count: 2, faults: [grekey-len4] }')), /fault "grekey-len4" changes PBUs: put it on an attach/);
  assert.match(errorOf(BASE.replace('count: 2 }', 'count: 2, faults: [dup-dl-key] }')), /give it on the command line \(--fault dup-dl-key\)/);
  assert.match(errorOf(BASE.replace('count: 2 }', 'count: 2, overrides: { uplink: { ip.tll: 3 } } }')), /^x\.yaml:10:\d+: timeline\[1\]\.overrides\.uplink: unknown field "ip\.tll"/);
  assert.match(errorOf(BASE.replace('count: 2 }', 'count: 2, overrides: { pbu: { ip.ttl: 3 } } }')), /unknown key "pbu" \(expected one of: uplink, downlink\)/);
});

test('JSON scenario files are accepted, and their errors carry line and column too', async () => {
  const json = JSON.stringify(
    {
      name: 't',
      nodes: { mag1: { role: 'mag', ipv6: '2001:db8:1::1' }, lma1: { role: 'lma', ipv6: '2001:db8:100::1' } },
      mobile_nodes: { mn1: { hnp: '2001:db8:a:1::/64', ipv4: '10.1.0.10/24' } },
      timeline: [
        { at: 0, event: 'attach', mn: 'mn1', mag: 'mag1', dl_key: 0x1001, response: { ul_key: 0x2001 } },
        { at: '10ms', event: 'traffic', mn: 'mn1', flows: ['udp4', 'tcp6'], rate: 10, count: 2 },
      ],
    },
    null,
    2,
  );
  const a = await framesOf(json.replace('"name": "t"', '"name": "t", "description": "test"'));
  const b = await framesOf(BASE);
  assert.deepEqual(a, b);
  const msg = errorOf(json.replace('"rate": 10', '"rate": "x"'), 'x.json');
  assert.match(msg, /^x\.json:\d+:\d+: timeline\[1\]\.rate: expected a number/);
});

test('per-event overrides change exactly their frames', async () => {
  const plain = await framesOf(BASE);
  const over = await framesOf(
    BASE.replace('response: { ul_key: 0x2001 } }', 'response: { ul_key: 0x2001 }, overrides: { pbu: { ipv6.hlim: 7, mip6.bu.lifetime: 5 }, pba: { mip6.ba.status: 1 } } }').replace(
      'count: 2 }',
      'count: 2, overrides: { uplink: { inner.ip.ttl: 9, gre.key: 0x0bad }, downlink: { inner.udp.dstport: 4444 } } }',
    ),
  );
  assert.equal(over.length, plain.length);
  const pbu = dissect(over[0]!, LINK.ethernet);
  assert.equal(pbu.get('ipv6.hlim'), '7');
  assert.equal(pbu.get('mip6.bu.lifetime'), '5');
  assert.equal(pbu.get('gretool.mip6.csum.status'), '1');
  assert.equal(dissect(over[1]!, LINK.ethernet).get('mip6.ba.status'), '1');
  let up = 0;
  for (let i = 2; i < over.length; i++) {
    const d = dissect(over[i]!, LINK.ethernet);
    const p = dissect(plain[i]!, LINK.ethernet);
    if (d.get('ipv6.src') === '2001:db8:1::1') {
      up++;
      assert.equal(d.get('gre.key'), '0x00000bad');
      if (d.has('ip.ttl')) assert.equal(d.get('ip.ttl'), '9');
    } else {
      assert.equal(d.get('gre.key'), p.get('gre.key'));
      if (d.has('udp.dstport')) assert.equal(d.get('udp.dstport'), '4444');
    }
  }
  assert.ok(up > 0);
});

test('a PBU/PBA override naming a header the message does not have is a SCENARIO error', async () => {
  await assert.rejects(
    framesOf(BASE.replace('response: { ul_key: 0x2001 } }', 'response: { ul_key: 0x2001 }, overrides: { pbu: { udp.srcport: 1 } } }')),
    (e: unknown) => e instanceof GretoolError && e.code === 'SCENARIO' && /override in the PBU .*"udp\.srcport": this frame has no udp header/.test(e.message),
  );
  await assert.rejects(
    framesOf(BASE.replace('count: 2 }', 'count: 2, overrides: { uplink: { ip.ttl: fast } } }')),
    (e: unknown) => e instanceof GretoolError && e.code === 'SCENARIO' && /ip\.ttl: expected a number/.test(e.message),
  );
});

test('the CLI exits 2 with file:line:col for a broken scenario file', () => {
  const dir = tempDir();
  const f = join(dir, 'broken.yaml');
  writeFileSync(f, BASE.replace('mn: mn1, mag: mag1', 'mn: mn2, mag: mag1'));
  const r = gretool(['generate', f, '-o', join(dir, 'out.pcap')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /broken\.yaml:9:\d+: timeline\[0\]\.mn: unknown mobile node "mn2"/);
  const j = join(dir, 'broken.json');
  writeFileSync(j, '{\n  "name": "x",\n  "nodes": {\n');
  const r2 = gretool(['generate', j, '-o', join(dir, 'out.pcap')]);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /broken\.json:\d+:\d+: /);
});

test('faults named on an event change that event’s frames only', async () => {
  const text = BASE.replace('response: { ul_key: 0x2001 } }', 'response: { ul_key: 0x2001 }, faults: [grekey-len4] }').replace(
    'count: 2 }',
    'count: 2 }\n  - { at: 1s, event: reregister, mn: mn1 }\n  - { at: 1.1s, event: traffic, mn: mn1, flows: [udp4], rate: 10, count: 2, faults: [wrong-ul-key] }\n',
  );
  const f = await framesOf(text);
  const d = f.map((x) => dissect(x, LINK.ethernet));
  const pbus = d.filter((x) => x.get('mip6.mhtype') === '5');
  assert.equal(pbus.length, 2);
  assert.ok(pbus[0]!.all('mip6.mobility_opt.len').includes('4'), 'the attach PBU has the Length-4 option');
  assert.equal(pbus[1]!.get('mip6.gre_key'), String(0x1001), 'the re-registration PBU is untouched');
  const uplinkKeys = d.filter((x) => x.get('ipv6.src') === '2001:db8:1::1' && x.has('gre.key')).map((x) => x.get('gre.key'));
  assert.ok(uplinkKeys.includes('0x00002001'), 'the first traffic event keeps the uplink key');
  assert.ok(uplinkKeys.includes('0x00002002'), 'the second one has the wrong key');
  assert.equal(uplinkKeys.filter((k) => k === '0x00002002').length, 2);
});

test('a fault named on an event that changes none of its frames is an error at the event, before anything is written', () => {
  const dir = tempDir('gretool-scfault-');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, BASE.replace('count: 2 }', 'count: 2, faults: [gre-checksum-bad] }'));
  const out = join(dir, 'out.pcap');
  const r = gretool(['generate', bad, '-o', out]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /bad\.yaml:10:\d+: fault "gre-checksum-bad" on this traffic event changes nothing: it needs uplink packets with GRE checksums/);
  assert.equal(existsSync(out), false);
  // the same fault where it applies (a traffic event with GRE checksums is not in BASE; a PBU fault on the attach is)
  const good = join(dir, 'good.yaml');
  writeFileSync(good, BASE.replace('response: { ul_key: 0x2001 } }', 'response: { ul_key: 0x2001 }, faults: [grekey-len4] }'));
  const r2 = gretool(['generate', good, '-o', out]);
  assert.equal(r2.status, 0, r2.stderr);
  assert.ok(existsSync(out));
});
