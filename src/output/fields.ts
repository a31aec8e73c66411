/**
 * `-T fields`: one line per frame with the values of the `-e` fields, and the `-E` options of
 * tshark (header, separator, occurrence, aggregator, quote, bom). The fast path: one pass over
 * the frame's field table collects the nodes of every wanted field, values are written as bytes.
 */
import { allFields, fieldByName, fieldDef } from '../engine/fields.js';
import type { Packet } from '../engine/packet.js';
import type { TextBuf } from '../engine/textbuf.js';
import { GretoolError, UsageError } from '../errors.js';
import { writeFieldText } from './format.js';

export interface FieldsOptions {
  header: boolean;
  /** Between fields (default tab). */
  separator: string;
  /** 'f' first, 'l' last, 'a' all, or a 1-based occurrence number. */
  occurrence: 'f' | 'l' | 'a' | number;
  /** Between the values of one field (default ","). */
  aggregator: string;
  /** Quote character around each non-empty field ('' for none). */
  quote: '' | '"' | "'";
  bom: boolean;
}

export const DEFAULT_FIELDS_OPTIONS: FieldsOptions = {
  header: false,
  separator: '\t',
  occurrence: 'a',
  aggregator: ',',
  quote: '',
  bom: false,
};

const E_HELP = `the -E options are:
  header=y|n                    print the field names as the first line (default n)
  separator=/t|/s|<character>   between fields: tab, space or a character (default /t)
  occurrence=f|l|a|<n>          first, last, all or the n-th occurrence of a field (default a)
  aggregator=,|/s|<character>   between the occurrences of a field (default ,)
  quote=d|s|n                   double quotes, single quotes or none around values (default n)
  bom=y|n                       start the output with a UTF-8 byte-order mark (default n)`;

function yesNo(key: string, v: string): boolean {
  if (/^(y|yes|true|1)$/i.test(v)) return true;
  if (/^(n|no|false|0)$/i.test(v)) return false;
  throw new UsageError(`-E ${key}=${v}: expected y or n\n${E_HELP}`);
}

function charOf(key: string, v: string): string {
  if (v === '/t') return '\t';
  if (v === '/s') return ' ';
  if (v.length === 0) throw new UsageError(`-E ${key}= needs a character\n${E_HELP}`);
  return [...v][0]!; // tshark takes the first character
}

/** Parses the `-E key=value` options (tshark's names and values). Throws a UsageError. */
export function parseFieldsOptions(list: readonly string[]): FieldsOptions {
  const o: FieldsOptions = { ...DEFAULT_FIELDS_OPTIONS };
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`-E ${item}: expected key=value\n${E_HELP}`);
    const key = item.slice(0, eq).trim().toLowerCase();
    const v = item.slice(eq + 1);
    switch (key) {
      case 'header':
        o.header = yesNo(key, v);
        break;
      case 'bom':
        o.bom = yesNo(key, v);
        break;
      case 'separator':
        o.separator = charOf(key, v);
        break;
      case 'aggregator':
        o.aggregator = charOf(key, v);
        break;
      case 'quote':
        if (v === 'd') o.quote = '"';
        else if (v === 's') o.quote = "'";
        else if (v === 'n') o.quote = '';
        else throw new UsageError(`-E quote=${v}: expected d, s or n\n${E_HELP}`);
        break;
      case 'occurrence':
        if (v === 'f' || v === 'l' || v === 'a') o.occurrence = v;
        else if (/^[1-9][0-9]*$/.test(v)) o.occurrence = Number(v);
        else throw new UsageError(`-E occurrence=${v}: expected f, l, a or a number from 1\n${E_HELP}`);
        break;
      default:
        throw new UsageError(`-E ${item}: unknown option "${key}"\n${E_HELP}`);
    }
  }
  return o;
}

function distance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

/** Registered field names close to `name` (edit distance, then shared prefix), best first. */
export function closeFieldNames(name: string, max = 5): string[] {
  const scored: [number, string][] = [];
  const lower = name.toLowerCase();
  for (const d of allFields()) {
    const a = d.abbrev;
    let score = distance(lower, a.toLowerCase());
    if (a.startsWith(lower) || lower.startsWith(a)) score = Math.min(score, 1.5);
    const lim = Math.max(2, Math.floor(name.length / 4));
    if (score <= lim) scored.push([score, a]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]));
  return scored.slice(0, max).map((s) => s[1]);
}

/**
 * Resolves field names to ids. Unknown names throw UNKNOWN_FIELD (exit 2) naming the close
 * matches, e.g. `unknown field "gre.kye" (did you mean gre.key?)`.
 */
export function resolveFields(names: readonly string[]): number[] {
  const bad: string[] = [];
  const ids: number[] = [];
  for (const n of names) {
    const d = fieldByName(n);
    if (d) ids.push(d.id);
    else bad.push(n);
  }
  if (bad.length) {
    const lines = bad.map((b) => {
      const close = closeFieldNames(b);
      return `unknown field "${b}"` + (close.length ? ` (did you mean ${close.join(', ')}?)` : '');
    });
    throw new GretoolError('UNKNOWN_FIELD', lines.join('\n') + '\n(run "gretool fields" for the list of fields)');
  }
  return ids;
}

export class FieldsWriter {
  /** Column of each field id (-1: not wanted); `dup` chains columns asking for the same field. */
  private readonly colOf: Int32Array;
  private readonly dup: Int32Array;
  private readonly nodes: Int32Array[];
  private readonly counts: Int32Array;
  private readonly sep: number[];
  private readonly agg: number[];
  private readonly quote: number;
  private readonly occ: number; // 0 all, -1 last, n>0 n-th

  constructor(
    readonly fields: readonly number[],
    readonly opts: FieldsOptions = DEFAULT_FIELDS_OPTIONS,
  ) {
    const n = allFields().length;
    this.colOf = new Int32Array(n).fill(-1);
    this.dup = new Int32Array(fields.length).fill(-1);
    for (let c = fields.length - 1; c >= 0; c--) {
      const f = fields[c]!;
      this.dup[c] = this.colOf[f]!;
      this.colOf[f] = c;
    }
    this.nodes = fields.map(() => new Int32Array(8));
    this.counts = new Int32Array(fields.length);
    const enc = (s: string) => [...new TextEncoder().encode(s)];
    this.sep = enc(opts.separator);
    this.agg = enc(opts.aggregator);
    this.quote = opts.quote ? opts.quote.charCodeAt(0) : -1;
    this.occ = opts.occurrence === 'a' ? 0 : opts.occurrence === 'l' ? -1 : opts.occurrence === 'f' ? 1 : opts.occurrence;
  }

  /** The BOM (if asked) and the header line (if asked). */
  begin(out: TextBuf): void {
    if (this.opts.bom) out.byte(0xef).byte(0xbb).byte(0xbf);
    if (!this.opts.header) return;
    this.fields.forEach((f, c) => {
      if (c) for (const b of this.sep) out.byte(b);
      out.str(fieldDef(f).abbrev);
    });
    out.byte(10);
  }

  /** Appends the line of `p`. */
  write(out: TextBuf, p: Packet): void {
    const t = p.tree;
    const counts = this.counts;
    counts.fill(0);
    const colOf = this.colOf;
    const nf = colOf.length;
    for (let i = 0; i < t.count; i++) {
      const f = t.fid[i]!;
      if (f < 0 || f >= nf) continue;
      for (let c = colOf[f]!; c >= 0; c = this.dup[c]!) {
        let arr = this.nodes[c]!;
        const k = counts[c]!;
        if (k === arr.length) {
          const a2 = new Int32Array(arr.length * 2);
          a2.set(arr);
          this.nodes[c] = arr = a2;
        }
        arr[k] = i;
        counts[c] = k + 1;
      }
    }
    const ncols = this.fields.length;
    for (let c = 0; c < ncols; c++) {
      if (c) for (let s = 0; s < this.sep.length; s++) out.byte(this.sep[s]!);
      const k = counts[c]!;
      if (k === 0) continue;
      const arr = this.nodes[c]!;
      let from = 0;
      let to = k;
      if (this.occ === -1) from = k - 1;
      else if (this.occ > 0) {
        if (this.occ > k) continue;
        from = this.occ - 1;
        to = this.occ;
      }
      if (this.quote >= 0) out.byte(this.quote);
      for (let j = from; j < to; j++) {
        if (j > from) for (let s = 0; s < this.agg.length; s++) out.byte(this.agg[s]!);
        writeFieldText(out, p, arr[j]!);
      }
      if (this.quote >= 0) out.byte(this.quote);
    }
    out.byte(10);
  }
}
