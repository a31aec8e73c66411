/**
 * The library's `fields` option: frames dissected with only the declared fields materialised
 * give the same values as whole trees, and reading anything else still works (the frame is
 * dissected again in full, on demand).
 */
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dissectCapture, dissectFrames, type FieldValue } from '../../src/index.js';
import { VARIED } from './util.js';

const DECLARED = ['frame.number', 'gre.key', 'ip.src', 'mip6.gre_key', 'udp.srcport'];
const OTHERS = ['ipv6.dst', 'gre.flags.key', 'mip6.bu.seqnr', 'frame.protocols', 'eth.src'];

interface Row {
  values: Record<string, FieldValue[]>;
  summary: string;
  experts: string[];
}

async function rows(opts: { fields?: string[]; filter?: string }, read: string[]): Promise<Row[]> {
  const out: Row[] = [];
  await dissectCapture(
    VARIED,
    (f) => {
      const values: Record<string, FieldValue[]> = {};
      for (const n of read) values[n] = f.all(n);
      out.push({ values, summary: f.summaryLine(), experts: f.experts().map((e) => `${e.name} ${e.message} ${e.field ?? ''}`) });
    },
    opts,
  );
  return out;
}

test('declared fields: same values as whole trees, without materialising the rest', async () => {
  const full = await rows({}, DECLARED);
  let masked = 0;
  const got: Record<string, FieldValue[]>[] = [];
  await dissectCapture(
    VARIED,
    (f) => {
      if (f.packet.want !== null) masked++;
      const v: Record<string, FieldValue[]> = {};
      for (const n of DECLARED) v[n] = f.all(n);
      got.push(v);
      assert.notEqual(f.packet.want, null, 'reading declared fields does not dissect the frame again');
    },
    { fields: DECLARED },
  );
  assert.equal(masked, full.length);
  assert.deepEqual(got, full.map((r) => r.values));
});

test('declared fields: other fields, summary, experts and trees still work (dissected again on demand)', async () => {
  const full = await rows({}, [...DECLARED, ...OTHERS]);
  const lazy = await rows({ fields: DECLARED }, [...DECLARED, ...OTHERS]);
  assert.deepEqual(lazy, full);
  const trees: unknown[] = [];
  const fullTrees: unknown[] = [];
  await dissectCapture(VARIED, (f) => void fullTrees.push(f.tree(true)));
  await dissectCapture(VARIED, (f) => void trees.push(f.tree(true)), { fields: ['gre.key'] });
  assert.deepEqual(trees, fullTrees);
});

test('declared fields with a filter: the filter sees its own fields, the callback its', async () => {
  const full = await rows({ filter: 'gre.key || mipv6' }, DECLARED);
  const lazy = await rows({ filter: 'gre.key || mipv6', fields: DECLARED }, DECLARED);
  assert.ok(full.length > 0);
  assert.deepEqual(lazy, full);
  // a predicate filter reads the declared fields without a second dissection
  let n = 0;
  await dissectCapture(VARIED, () => void n++, { fields: ['frame.len'], filter: (f) => (f.get('frame.len') as number) > 100 });
  assert.equal(n, 4);
});

test('a text filter alone: frames are filtered on the filter\'s fields, then handed over whole', async () => {
  for await (const f of dissectFrames(VARIED, { filter: 'gre' })) {
    assert.equal(f.packet.want, null);
    assert.ok(f.packet.tree.count > 20);
    assert.ok(f.summaryLine().includes('GRE') || f.protocols.includes('gre'));
  }
});
