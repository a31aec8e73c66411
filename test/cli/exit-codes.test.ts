/** The one exit-code table is what --help and the README document. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../src/cli/exit-codes.js';
import { gretool, ROOT } from '../helpers/cli.js';

test('every exit code is documented in --help of each command and in the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const args of [['--help'], ['dissect', '--help'], ['lint', '--help'], ['generate', '--help']]) {
    const r = gretool(args);
    assert.equal(r.status, 0, args.join(' '));
    for (const code of Object.values(EXIT)) assert.match(r.stdout, new RegExp(`^  ${code} +\\S`, 'm'), `${args.join(' ')}: exit ${code}`);
  }
  for (const code of Object.values(EXIT)) assert.match(readme, new RegExp(`^\\| ${code} \\| \\S`, 'm'), `README: exit ${code}`);
});

test('usage and input errors map to 2 and 3 without a stack trace', () => {
  const usage = gretool(['dissect', join(ROOT, 'samples', 'handoff.pcap'), '-Y', 'gre.key ==']);
  assert.equal(usage.status, EXIT.USAGE);
  assert.doesNotMatch(usage.stderr, /\n\s+at /);
  const input = gretool(['dissect', join(ROOT, 'README.md')]);
  assert.equal(input.status, EXIT.INPUT);
  assert.match(input.stderr, /not a pcap or pcapng capture/);
  assert.doesNotMatch(input.stderr, /\n\s+at /);
});
