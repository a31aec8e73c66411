import { defineSessionRule } from '../rule.js';
import { duplicateKeyHooks } from '../dupkey.js';
import { keyText } from '../predicates.js';

export default defineSessionRule({
  id: 'S-DUP-UL-KEY',
  severity: 'warning',
  severityNote: 'derived from the purpose of N33',
  scope: 'all sessions',
  refs: [{ rfc: 5845, section: '5.2', note: 'N33' }],
  summary: 'Two live sessions from the same Proxy-CoA to one LMA use the same uplink key',
  explanation:
    'The LMA uses the GRE key of received packets to find the mobility session. Two live bindings from one MAG with the same uplink key cannot be told apart: uplink traffic of one mobile node may be attributed to the other.',
  fix: 'LMA: allocate a distinct uplink key per mobility session (per MAG).',
  create(ctx) {
    return duplicateKeyHooks(ctx, {
      key: (b) => (b.greMode === 'keys' ? b.uplinkKey : null),
      scope1: (b) => b.mag,
      scope2: (b) => b.lma,
      message: (b, o) => `binding ${b.id} (${b.mnId || '?'}) and binding ${o.id} (${o.mnId || '?'}) both use uplink key ${keyText(b.uplinkKey)} from MAG ${b.mag} to LMA ${b.lma}`,
      carrier: 'pba',
    });
  },
});
