/**
 * The sessions binding table drawn by src/output/table.ts against cli-table3 (the reference it
 * reproduces byte for byte), from an empty table to thousands of rows: microseconds per table,
 * and how many times faster. cli-table3's layout pass is quadratic in rows, so its largest sizes
 * take seconds.
 *
 *   node dist/bench/table.js [--max-rows N]      (default 3000)
 */
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { renderTable } from '../src/output/table.js';

const HEAD = ['ID', 'MN identifier', 'MAG (Proxy-CoA)', 'LMA', 'Transport', 'GRE', 'DL key', 'UL key', 'State', 'Frames up/down'];
const STYLE = { head: ['cyan'], border: ['grey'], 'padding-left': 1, 'padding-right': 1 };

function row(i: number): string[] {
  return [String(i), `mn-${i}@example.net`, '2001:db8:1::1', '2001:db8:f::1', 'ipv6', 'gre-key', '0x0000a001', '0xfffffffe', '\u001b[32mactive\u001b[39m', `${i} / ${2 * i}`];
}

function cliTable3(rows: string[][]): string {
  const t = new Table({ head: HEAD, style: STYLE, wordWrap: false });
  for (const r of rows) t.push(r);
  return t.toString();
}

function linear(rows: string[][]): string {
  return renderTable({ head: HEAD, style: STYLE }, rows);
}

/** Mean microseconds per call over enough repetitions to take about `budgetMs`. */
function time(f: (rows: string[][]) => string, rows: string[][], budgetMs: number): number {
  f(rows);
  let reps = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  do {
    f(rows);
    reps++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  } while (elapsed < budgetMs);
  return (elapsed * 1000) / reps;
}

export function benchTable(maxRows = 3000): string[] {
  const lines = ['| rows | cli-table3 µs | linear µs | speed-up |', '|---:|---:|---:|---:|'];
  for (const n of [0, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000].filter((x) => x <= maxRows)) {
    const rows = Array.from({ length: n }, (_, i) => row(i));
    if (linear(rows) !== cliTable3(rows)) throw new Error(`${n} rows: the tables differ`);
    const a = time(cliTable3, rows, 300);
    const b = time(linear, rows, 300);
    lines.push(`| ${n} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(1)}× |`);
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--max-rows');
  process.stdout.write(benchTable(i >= 0 ? Number(process.argv[i + 1]) : 3000).join('\n') + '\n');
}
