/** Undecoded payload ("data"), the fallback of every dispatch. */
import { defineFields } from '../../engine/fields.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import type { Packet } from '../../engine/packet.js';

const F = defineFields({
  data: { abbrev: 'data', name: 'Data', type: 'protocol' },
  data_data: { abbrev: 'data.data', name: 'Data', type: 'bytes' },
  data_len: { abbrev: 'data.len', name: 'Length', type: 'int32' },
});

export const dataDissector: Dissector = {
  proto: F.data,
  name: 'data',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    const n = p.avail(off, end);
    if (end - off <= 0) return;
    const root = p.add(F.data, off, n, parent);
    p.pushProto(F.data);
    p.add(F.data_data, off, n, root);
    p.addNum(F.data_len, off, 0, root, end - off);
    if (n < end - off) p.need(off, end - off, end); // throws TRUNCATED
  },
};

table('data', 1).add(0, dataDissector);
