/**
 * `-T json` / `-T ek`: tshark 4.0's shapes. The layout of the pretty printer is compared with
 * tshark's on the frame protocol (the part both tools share whatever the dissectors do); the
 * rest is checked structurally: valid JSON, keys by filter name, "<key>_tree" for subtrees,
 * "_ws.expert" objects, ek's "<proto>_<field>" names and arrays for repeated keys.
 */
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haveTool } from '../helpers/cli.js';
import { EkWriter, JsonWriter, indexName, isoTime } from '../../src/output/json.js';
import { resolveFields } from '../../src/output/fields.js';
import { fieldByName } from '../../src/engine/fields.js';
import { render, tshark, VARIED } from './util.js';

const hasTshark = haveTool('tshark');

async function jsonOf(opts: ConstructorParameters<typeof JsonWriter>[0] = {}, count?: number): Promise<string> {
  const w = new JsonWriter(opts);
  let begun = false;
  const s = await render(
    VARIED,
    (out, p) => {
      if (!begun) {
        w.begin(out);
        begun = true;
      }
      w.frame(out, p);
    },
    count ? { count } : {},
  );
  const { TextBuf } = await import('../../src/engine/textbuf.js');
  const tail = new TextBuf();
  w.end(tail);
  return s + tail.toString();
}

test('json: valid, one element per frame, tshark envelope', async () => {
  const text = await jsonOf();
  const doc = JSON.parse(text) as { _index: string; _type: string; _score: null; _source: { layers: Record<string, unknown> } }[];
  assert.equal(doc.length, 14);
  for (const el of doc) {
    assert.deepEqual(Object.keys(el), ['_index', '_type', '_score', '_source']);
    assert.equal(el._index, 'packets-2023-11-14');
    assert.equal(el._type, 'doc');
    assert.equal(el._score, null);
    const frame = el._source.layers.frame as Record<string, string>;
    assert.equal(typeof frame['frame.number'], 'string');
  }
  assert.ok(text.startsWith('[\n  {\n    "_index": "packets-2023-11-14",\n    "_type": "doc",\n    "_score": null,\n    "_source": {\n      "layers": {\n        "frame": {\n'));
  assert.ok(text.endsWith('\n      }\n    }\n  }\n]\n'));
});

test('json: no frames gives []', async () => {
  const w = new JsonWriter();
  const { TextBuf } = await import('../../src/engine/textbuf.js');
  const b = new TextBuf();
  w.begin(b);
  w.end(b);
  assert.equal(b.toString(), '[]\n');
});

test('json layout equals tshark on the frame fields both tools have', { skip: !hasTshark && 'tshark not installed' }, async () => {
  const names = ['frame.number', 'frame.len', 'frame.cap_len', 'frame.time_epoch', 'frame.time_relative'].filter((n) => fieldByName(n));
  const ours = await jsonOf({ fields: resolveFields(names) });
  const args = ['-r', VARIED, '-T', 'json'];
  for (const n of names) args.push('-e', n);
  assert.equal(ours, tshark(args));
});

test('ek with -e equals tshark on the frame fields', { skip: !hasTshark && 'tshark not installed' }, async () => {
  const names = ['frame.number', 'frame.len', 'frame.time_relative'];
  const w = new EkWriter({ fields: resolveFields(names) });
  const ours = await render(VARIED, (out, p) => w.frame(out, p));
  const args = ['-r', VARIED, '-T', 'ek'];
  for (const n of names) args.push('-e', n);
  assert.equal(ours, tshark(args));
});

test('ek: index line + document line per frame, names with underscores', async () => {
  const w = new EkWriter();
  const lines = (await render(VARIED, (out, p) => w.frame(out, p))).trimEnd().split('\n');
  assert.equal(lines.length, 28);
  for (let i = 0; i < lines.length; i += 2) {
    assert.deepEqual(JSON.parse(lines[i]!), { index: { _index: 'packets-2023-11-14', _type: 'doc' } });
    const doc = JSON.parse(lines[i + 1]!) as { timestamp: string; layers: Record<string, Record<string, unknown>> };
    assert.match(doc.timestamp, /^17000000\d{5}$/);
    const frame = doc.layers.frame!;
    assert.equal(frame.frame_frame_number, String(i / 2 + 1));
    assert.match(String(frame.frame_frame_time), /^2023-11-14T22:13:2\d\.\d{9}Z$/);
    for (const k of Object.keys(doc.layers)) assert.doesNotMatch(k, /\./);
  }
});

test('helpers: _index date and ISO times', () => {
  assert.equal(indexName(1700000000), 'packets-2023-11-14');
  assert.equal(isoTime(1700000000, 5), '2023-11-14T22:13:20.000000005Z');
});
