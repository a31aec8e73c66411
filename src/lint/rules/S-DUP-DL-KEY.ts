import { defineSessionRule } from '../rule.js';
import { duplicateKeyHooks } from '../dupkey.js';
import { keyText } from '../predicates.js';

export default defineSessionRule({
  id: 'S-DUP-DL-KEY',
  severity: 'warning',
  severityNote: 'derived from the purpose of N25',
  scope: 'all sessions',
  refs: [{ rfc: 5845, section: '4.2', note: 'N25' }],
  summary: 'Two live sessions tunnelled to the same Proxy-CoA use the same downlink key',
  explanation:
    'The MAG uses the GRE key of received packets to find the mobility session. Two live bindings towards the same MAG with the same downlink key cannot be told apart: downlink traffic of one mobile node may be delivered to the other (the overlapping-private-address case of RFC 5845 Figure 1).',
  fix: 'MAG: allocate a distinct downlink key per mobility session.',
  create(ctx) {
    return duplicateKeyHooks(ctx, {
      key: (b) => (b.greMode === 'keys' ? b.downlinkKey : null),
      scope1: (b) => b.mag,
      scope2: () => '',
      message: (b, o) => `binding ${b.id} (${b.mnId || '?'}) and binding ${o.id} (${o.mnId || '?'}) both use downlink key ${keyText(b.downlinkKey)} towards MAG ${b.mag}`,
      carrier: 'pbu',
    });
  },
});
