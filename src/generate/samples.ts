/**
 * Regenerates samples/: one small capture per built-in scenario (pcap, Ethernet, seed 1,
 * start 2026-01-01T00:00:00Z) and samples/README.md, the table of what each one shows.
 * Run with `npm run samples`; test/generate/samples.test.ts fails when the committed files
 * are not what this makes now.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateCapture, listScenarios, loadScenario, scenariosDir } from './index.js';

export interface SampleRow {
  file: string;
  scenario: string;
  rfc: string;
  description: string;
  frames: number;
  signalling: number;
  data: number;
}

/** Writes every sample into `dir` and returns the README rows. */
export async function writeSamples(dir: string): Promise<SampleRow[]> {
  mkdirSync(dir, { recursive: true });
  const rows: SampleRow[] = [];
  for (const info of listScenarios()) {
    const file = `${info.name}.pcap`;
    const stats = await generateCapture(loadScenario(info.name), join(dir, file), { format: 'pcap', link: 'ethernet', seed: 1 });
    rows.push({ file, scenario: info.name, rfc: info.rfc, description: info.description, frames: stats.frames, signalling: stats.signalling, data: stats.data });
  }
  writeFileSync(join(dir, 'README.md'), samplesReadme(rows));
  return rows;
}

export function samplesReadme(rows: SampleRow[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '# Sample captures',
    '',
    'One small capture per built-in scenario of `gretool generate` (see `gretool generate --list`),',
    'written by the generator itself: classic pcap, Ethernet, seed 1, first event at',
    '2026-01-01T00:00:00Z. Regenerate them with `npm run samples`; a test fails when these files',
    'are not what the generator makes now. The scenario files are in `scenarios/`.',
    '',
    'Each capture reads in tshark 4.0 without malformed packets or expert warnings (tshark shows the',
    'RFC 5845 TLV header on UDP 5437 as Data: it has no dissector for it).',
    '',
    '| File | What it shows | RFC | Frames (signalling + data) |',
    '|---|---|---|---|',
    ...rows.map((r) => `| [${r.file}](${r.file}) | ${esc(r.description)} | ${esc(r.rfc)} | ${r.frames} (${r.signalling} + ${r.data}) |`),
    '',
    'Faulty variants are one option away, e.g. `gretool generate initial-attach --fault wrong-ul-key -o x.pcap`',
    '(`gretool generate --list-faults` names every fault and the lint rule it exercises).',
    '',
  ];
  return lines.join('\n');
}

/** The samples directory of the package (beside scenarios/). */
export function samplesDir(): string {
  return join(scenariosDir(), '..', 'samples');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await writeSamples(samplesDir());
  for (const r of rows) process.stdout.write(`samples/${r.file}: ${r.frames} frames\n`);
  process.stdout.write('samples/README.md\n');
}
