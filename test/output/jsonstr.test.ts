/**
 * `-T json` writes field values straight into the output when they are plain ASCII, and through
 * JSON.stringify otherwise: both must give the same document as JSON.stringify of the values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFields } from '../../src/engine/fields.js';
import { Packet } from '../../src/engine/packet.js';
import { TextBuf } from '../../src/engine/textbuf.js';
import { JsonWriter } from '../../src/output/json.js';

const F = defineFields({
  proto: { abbrev: 'jsontest', name: 'JSON Test', type: 'protocol' },
  name: { abbrev: 'jsontest.name', name: 'Name', type: 'string' },
  port: { abbrev: 'jsontest.port', name: 'Port', type: 'uint16' },
  data: { abbrev: 'jsontest.data', name: 'Data', type: 'bytes' },
});

const texts = ['mn1@example.org', 'say "hi"', 'back\\slash', 'tab\there', 'ünïcödé → ok', 'del\x7f', 'nul\x00end', ''];

test('json string values: plain ASCII, quotes, backslashes, control and non-ASCII characters', () => {
  for (const text of texts) {
    const bytes = [...new TextEncoder().encode(text)];
    const p = new Packet();
    p.data = Uint8Array.from([0x1f, 0x90, 0xde, 0xad, ...bytes]);
    p.base = 0;
    p.caplen = p.origlen = p.data.length;
    p.tsSec = 1767225600;
    const root = p.add(F.proto, 0, p.caplen, -1);
    p.add(F.port, 0, 2, root);
    p.add(F.data, 2, 2, root);
    p.add(F.name, 4, bytes.length, root);
    const out = new TextBuf(64);
    const w = new JsonWriter();
    w.begin(out);
    w.frame(out, p);
    w.end(out);
    const s = out.toString();
    const doc = JSON.parse(s)[0]._source.layers;
    assert.deepEqual(doc.jsontest, { 'jsontest.port': '8080', 'jsontest.data': 'de:ad', 'jsontest.name': text });
    // the text as JSON.stringify writes it, byte for byte
    assert.ok(s.includes(`"jsontest.name": ${JSON.stringify(text)}`), s);
    assert.ok(s.includes('"jsontest.port": "8080"'));
  }
});
