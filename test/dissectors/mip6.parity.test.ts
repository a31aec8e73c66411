/**
 * tshark 4.0 parity of the Mobility Header: every mip6.* field gretool registers with
 * wireshark: true, over a varied hand-built capture (test/fixtures/mip6/frames.ts).
 * Deliberate differences (tshark reads the wrong bytes) are listed with their reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { allFields, fieldDef } from '../../src/engine/fields.js';
import { diffFields, gretoolFields, tsharkFields } from '../helpers/parity.js';
import { haveTool, tempDir } from '../helpers/cli.js';
import { MIP6_FIELDS } from '../../src/dissectors/mip6/index.js';
import { writePcap } from '../fixtures/mip6/build.js';
import { variedFrames } from '../fixtures/mip6/frames.js';
import { installStubLayersIfMissing } from '../fixtures/mip6/stub.js';

const stubbed = installStubLayersIfMissing();
if (stubbed) console.log('# mip6 parity: link/IP/UDP layers not registered yet, using the test stub');

/** frame name -> field -> why gretool deliberately differs from tshark 4.0 */
const DELIBERATE: Record<string, Record<string, string>> = {
  'pbu-misc-options': { 'mip6.vsm.data': 'tshark shows Length - 7 octets of the vendor data (drops the last 2); RFC 5094 §3: the data is all octets after the sub-type' },
  'pbu-unknown-option': { 'mip6.mobility_opt.len': "tshark reads the MH Header Len octet (MH+1) instead of the unknown option's Length octet" },
};

const mip6Fields = allFields()
  .filter((d) => d.wireshark && d.proto === MIP6_FIELDS.mipv6 && d.type !== 'protocol')
  .map((d) => d.abbrev);

test('mip6: every Wireshark-named field matches tshark 4.0 -T fields', { skip: !haveTool('tshark') && 'tshark not installed' }, () => {
  assert.ok(mip6Fields.length > 200, `expected the full mip6 field set, got ${mip6Fields.length}`);
  const frames = variedFrames();
  const path = join(tempDir('gretool-mip6-'), 'varied.pcap');
  writePcap(path, frames);
  const ours = gretoolFields(path, mip6Fields);
  const theirs = tsharkFields(path, mip6Fields);
  const unexpected: string[] = [];
  const seenDeliberate = new Set<string>();
  for (const line of diffFields(mip6Fields, ours, theirs)) {
    const m = /^frame (\d+) (\S+):/.exec(line)!;
    const name = frames[Number(m[1]) - 1]!.name;
    if (DELIBERATE[name]?.[m[2]!]) seenDeliberate.add(`${name} ${m[2]}`);
    else unexpected.push(`${name}: ${line}`);
  }
  assert.deepEqual(unexpected, []);
  // the listed differences are real (if tshark is ever fixed, drop them from the list)
  assert.equal(seenDeliberate.size, Object.values(DELIBERATE).reduce((n, r) => n + Object.keys(r).length, 0));
});

test('mip6: the parity capture exercises the PMIPv6 fields (non-empty in some frame)', { skip: !haveTool('tshark') && 'tshark not installed' }, () => {
  const frames = variedFrames();
  const path = join(tempDir('gretool-mip6-'), 'varied.pcap');
  writePcap(path, frames);
  const must = [
    'mip6.proto', 'mip6.hlen', 'mip6.mhtype', 'mip6.reserved', 'mip6.csum', 'mip6.bu.seqnr', 'mip6.bu.a_flag', 'mip6.bu.t_flag', 'mip6.bu.b_flag',
    'mip6.nemo.bu.r_flag', 'mip6.bu.p_flag', 'mip6.bu.f_flag', 'mip6.bu.lifetime', 'mip6.ba.status', 'mip6.ba.k_flag', 'mip6.nemo.ba.r_flag',
    'mip6.ba.p_flag', 'mip6.ba.t_flag', 'mip6.ba.b_flag', 'mip6.ba.seqnr', 'mip6.ba.lifetime', 'mip6.gre_key', 'mip6.ipv4dra.reserved',
    'mip6.mnid.subtype', 'mip6.mnid.identifier', 'mip6.nemo.mnp.pfl', 'mip6.nemo.mnp.mnp', 'mip6.hi', 'mip6.att', 'mip6.timestamp_tmp',
    'mip6.lila_lla', 'mip6.mnlli.lli', 'mip6.rc', 'mip6.ipv4ha.preflen', 'mip6.ipv4ha.p_flag', 'mip6.ipv4ha.ha', 'mip6.ipv4aa.sts',
    'mip6.ipv4dra.dra', 'mip6.ipv4dsm.s_flag', 'mip6.ipv4coa.addr', 'mip6.natd.f_flag', 'mip6.natd.refresh_t', 'mip6.vsm.vendorId',
    'mip6.vsm.subtype', 'mip6.3gpp.chg_id', 'mip6.3gpp.pdn_gw_ipv4_addr', 'mip6.bi.bid', 'mip6.bi.h_flag', 'mip6.bi.coa_ipv4', 'mip6.mng.mng_id',
    'mip6.padn', 'mip6.options.pad1', 'mip6.options.grek', 'mip6.mobility_opt', 'mip6.hb.seqnr', 'mip6.hot.token', 'mip6.be.haddr',
    'mip6.bri_br.type', 'mip6.bri_r.trigger', 'mip6.bri_status', 'mip6.unknown_type_data', 'mip6.hi.code', 'mip6.fbu.a_flag', 'mip6.fback.status',
  ];
  const theirs = tsharkFields(path, must);
  const empty = must.filter((_, j) => theirs.every((row) => !row[j]));
  assert.deepEqual(empty, []);
  for (const f of must) assert.ok(fieldDef(allFields().find((d) => d.abbrev === f)!.id).wireshark, f);
});
