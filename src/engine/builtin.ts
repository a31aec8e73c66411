/** Fields and expert items the engine itself uses (Wireshark's "_ws.*" names). */
import { defineFields } from './fields.js';
import { defineExperts } from './expert.js';

export const BUILTIN = defineFields({
  malformed: { abbrev: '_ws.malformed', name: 'Malformed Packet', short: 'Malformed packet', type: 'protocol' },
  short: { abbrev: '_ws.short', name: 'Packet size limited during capture', short: 'Short frame', type: 'protocol' },
  expert: { abbrev: '_ws.expert', name: 'Expert Info', short: 'Expert', type: 'protocol' },
});

export const EXPERT = defineExperts({
  malformed: { abbrev: '_ws.malformed.expert', group: 'malformed', severity: 'error', summary: 'Malformed Packet ({0}{1})' },
  short: { abbrev: '_ws.short.expert', group: 'malformed', severity: 'error', summary: 'Packet size limited during capture: {0} truncated' },
  bug: { abbrev: '_ws.dissector_bug', group: 'malformed', severity: 'error', summary: 'Dissector bug, protocol {0}: {1}' },
});
