/**
 * Box tables drawn exactly as cli-table3 0.6 draws them, in time linear in the number of cells.
 *
 * cli-table3 stays the reference for how a table looks: for the options this renderer accepts
 * (a head row, every row as long as the head, string cells, `style.head` / `style.border` colour
 * names, left/right padding, no word wrap, no column widths, no spans) the output is byte for byte
 * what `new Table({ head, style, wordWrap: false })` + `push(...rows)` + `toString()` gives
 * (test/output/table.test.ts compares the two on random tables). Anything else is handed to
 * cli-table3 itself. What cli-table3 does, and what this does the same way:
 *
 *  - width of a cell: the widest of its '\n'-separated lines, measured by string-width 4 after
 *    removing SGR sequences (ESC [ up to six ';'-separated numbers m); column width = widest cell
 *    + padding (at least 1); rows as tall as their tallest cell;
 *  - colour codes carried across the lines of a multi-line cell: each line is closed (bold,
 *    italic, underline, inverse, strikethrough, background, foreground) and the next re-opened
 *    with the codes still in effect;
 *  - the head and border colours come from @colors/colors, the very copy cli-table3 loads (its
 *    own enabled/disabled decision included), each border segment and each head cell line
 *    coloured on its own.
 *
 * Unlike cli-table3 (whose layout pass compares every cell with every cell of the rows above),
 * nothing here looks at other rows than the one being drawn, apart from one pass for the column
 * widths; printable-ASCII cells (nearly all of them) are measured by their length.
 */
import { createRequire } from 'node:module';
import Table from 'cli-table3';
import stringWidth from 'string-width';

/** cli-table3's `style` subset this renderer draws itself. */
export interface TableStyleOptions {
  /** @colors/colors style names for the head row. */
  head?: readonly string[];
  /** @colors/colors style names for the borders. */
  border?: readonly string[];
  'padding-left'?: number;
  'padding-right'?: number;
}

export interface TableOptions {
  /** The head row (cli-table3's `head`); at least one column. */
  head: readonly string[];
  /**
   * As cli-table3's `style`. Omitted colour lists are empty here (cli-table3's own defaults are
   * red heads and grey borders: pass them explicitly to get them).
   */
  style?: TableStyleOptions;
}

// ---------------------------------------------------------------------- @colors/colors

type Colorize = (s: string) => string;
interface ColorsModule {
  styles: Record<string, unknown>;
}

let colorsModule: ColorsModule | null | undefined;

/** @colors/colors/safe as cli-table3 resolves it (null when it is not installed: no colours). */
function colors(): ColorsModule | null {
  if (colorsModule === undefined) {
    try {
      const fromHere = createRequire(import.meta.url);
      colorsModule = createRequire(fromHere.resolve('cli-table3'))('@colors/colors/safe') as ColorsModule;
    } catch {
      colorsModule = null;
    }
  }
  return colorsModule;
}

const identity: Colorize = (s) => s;

/** True when every name is a plain @colors style (a pure function of the text). */
function plainStyles(names: readonly string[]): boolean {
  if (names.length === 0) return true;
  const c = colors();
  if (c === null) return true;
  return names.every((n) => typeof n === 'string' && Object.prototype.hasOwnProperty.call(c.styles, n));
}

/** The @colors function cli-table3 applies for a style list (names[0] outermost lookup last). */
function colorizer(names: readonly string[]): Colorize {
  const c = colors();
  if (names.length === 0 || c === null) return identity;
  let f = c as unknown as Record<string, unknown>;
  for (let i = names.length - 1; i >= 0; i--) f = f[names[i]!] as Record<string, unknown>;
  const fn = f as unknown as Colorize;
  return (s) => fn(s);
}

// ---------------------------------------------------------------------- width

/** cli-table3's colour-code pattern (SGR with up to six parameters). */
const SGR = /\u001b\[(?:\d*;){0,5}\d*m/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Display width of one line (no '\n'), as cli-table3 measures it. */
function lineWidth(line: string): number {
  if (PRINTABLE_ASCII.test(line)) return line.length;
  const plain = line.includes('\u001b') ? line.replace(SGR, '') : line;
  if (plain !== line && PRINTABLE_ASCII.test(plain)) return plain.length;
  return stringWidth(plain);
}

/** Width of a cell: its widest line. */
function cellWidth(content: string): number {
  if (!content.includes('\n')) return lineWidth(content);
  let w = 0;
  for (const line of content.split('\n')) w = Math.max(w, lineWidth(line));
  return w;
}

// ---------------------------------------------------------------------- colour state across lines

/** The attribute codes cli-table3 tracks by name, with their on and off sequences. */
const ATTRS: readonly [name: string, on: number, off: number][] = [
  ['bold', 1, 22],
  ['italics', 3, 23],
  ['underline', 4, 24],
  ['inverse', 7, 27],
  ['strikethrough', 9, 29],
];
const esc = (n: number): string => `\u001b[${n}m`;
const ATTR_BY_CODE = new Map<string, { name: string; value: boolean }>();
const ATTR_ON = new Map<string, string>();
const ATTR_OFF = new Map<string, string>();
for (const [name, on, off] of ATTRS) {
  ATTR_BY_CODE.set(esc(on), { name, value: true });
  ATTR_BY_CODE.set(esc(off), { name, value: false });
  ATTR_ON.set(name, esc(on));
  ATTR_OFF.set(name, esc(off));
}
const FG_DEFAULT = esc(39);
const BG_DEFAULT = esc(49);

/** The colour state at the end of a line: last foreground / background code, attributes in first-set order. */
interface SgrState {
  fg: string | null;
  bg: string | null;
  attrs: Map<string, boolean>;
}

function readState(line: string): SgrState {
  const st: SgrState = { fg: null, bg: null, attrs: new Map() };
  const re = /\u001b\[((?:\d*;){0,5}\d*)m/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    const params = m[1]!;
    const code = params === '' ? 0 : parseInt(params.split(';')[0]!, 10);
    if ((code >= 30 && code <= 39) || (code >= 90 && code <= 97)) st.fg = m[0];
    else if ((code >= 40 && code <= 49) || (code >= 100 && code <= 107)) st.bg = m[0];
    else if (code === 0) {
      st.fg = null;
      st.bg = null;
      st.attrs.clear();
    } else {
      const a = ATTR_BY_CODE.get(m[0]);
      if (a) st.attrs.set(a.name, a.value);
    }
  }
  return st;
}

/** The line with the codes still in effect closed at its end. */
function closeState(st: SgrState, line: string): string {
  let s = line;
  for (const [name, on] of st.attrs) if (on) s += ATTR_OFF.get(name)!;
  if (st.bg !== null && st.bg !== BG_DEFAULT) s += BG_DEFAULT;
  if (st.fg !== null && st.fg !== FG_DEFAULT) s += FG_DEFAULT;
  return s;
}

/** The line with the codes in effect from the previous line opened at its start. */
function reopenState(st: SgrState, line: string): string {
  let prefix = '';
  for (const [name, on] of st.attrs) if (on) prefix = ATTR_ON.get(name)! + prefix;
  if (st.bg !== null && st.bg !== BG_DEFAULT) prefix = st.bg + prefix;
  if (st.fg !== null && st.fg !== FG_DEFAULT) prefix = st.fg + prefix;
  return prefix + line;
}

/** A cell's lines as drawn: split at '\n', each line's colours closed and re-opened on the next. */
function cellLines(content: string): string[] {
  const raw = content.split('\n');
  if (!content.includes('\u001b')) return raw;
  const out: string[] = [];
  let st: SgrState = { fg: null, bg: null, attrs: new Map() };
  for (const r of raw) {
    const line = reopenState(st, r);
    st = readState(line);
    out.push(closeState(st, line));
  }
  return out;
}

// ---------------------------------------------------------------------- drawing

const BOX = {
  top: ['┌', '┬', '┐'],
  mid: ['├', '┼', '┤'],
  bottom: ['└', '┴', '┘'],
  vertical: '│',
  horizontal: '─',
} as const;

function padding(v: number | undefined): number | null {
  if (v === undefined) return 1;
  return Number.isSafeInteger(v) && v >= 0 ? v : null;
}

/** True when renderTable draws the table itself (otherwise it asks cli-table3). */
export function drawsItself(opts: TableOptions, rows: readonly (readonly string[])[]): boolean {
  const style = opts.style ?? {};
  const n = opts.head.length;
  return (
    n > 0 &&
    padding(style['padding-left']) !== null &&
    padding(style['padding-right']) !== null &&
    plainStyles(style.head ?? []) &&
    plainStyles(style.border ?? []) &&
    opts.head.every((c) => typeof c === 'string') &&
    rows.every((r) => r.length === n && r.every((c) => typeof c === 'string'))
  );
}

function referenceTable(opts: TableOptions, rows: readonly (readonly string[])[]): string {
  const style = opts.style ?? {};
  const t = new Table({
    head: [...opts.head],
    style: {
      head: [...(style.head ?? [])],
      border: [...(style.border ?? [])],
      'padding-left': style['padding-left'] ?? 1,
      'padding-right': style['padding-right'] ?? 1,
    },
    wordWrap: false,
  });
  for (const r of rows) t.push([...r]);
  return t.toString();
}

/**
 * The table's text lines (joined with '\n' they are the table, without a final newline; a table
 * handed to cli-table3 comes as one piece). Rows are read twice: once for the column widths, once
 * to draw.
 */
export function* tableLines(opts: TableOptions, rows: readonly (readonly string[])[]): Generator<string> {
  if (!drawsItself(opts, rows)) {
    yield referenceTable(opts, rows);
    return;
  }
  const style = opts.style ?? {};
  const padL = padding(style['padding-left'])!;
  const padR = padding(style['padding-right'])!;
  const n = opts.head.length;
  const widths = opts.head.map((c) => Math.max(cellWidth(c) + padL + padR, 1));
  for (const r of rows) {
    for (let c = 0; c < n; c++) {
      const w = cellWidth(r[c]!) + padL + padR;
      if (w > widths[c]!) widths[c] = w;
    }
  }
  const head = colorizer(style.head ?? []);
  const border = colorizer(style.border ?? []);
  const rule = (chars: readonly [string, string, string]): string =>
    widths.map((w, c) => border((c === 0 ? chars[0] : chars[1]) + BOX.horizontal.repeat(w) + (c === n - 1 ? chars[2] : ''))).join('');
  const top = rule(BOX.top);
  const mid = rule(BOX.mid);
  const bottom = rule(BOX.bottom);
  const left = border(BOX.vertical);
  const right = border(BOX.vertical);
  const noRight = border('');
  const leftPad = ' '.repeat(padL);
  const rightPad = ' '.repeat(padR);
  const blank = widths.map((w) => ' '.repeat(w));

  const drawRow = function* (cells: readonly string[], isHead: boolean): Generator<string> {
    const lines: string[][] = new Array<string[]>(n);
    let height = 1;
    for (let c = 0; c < n; c++) {
      const l = cellLines(cells[c]!);
      lines[c] = l;
      if (l.length > height) height = l.length;
    }
    for (let k = 0; k < height; k++) {
      let s = '';
      for (let c = 0; c < n; c++) {
        const l = lines[c]!;
        let content: string;
        if (k < l.length) {
          const text = l[k]!;
          // never negative (a line is no wider than its cell); cli-table3 would truncate, not throw
          content = leftPad + text + ' '.repeat(Math.max(0, widths[c]! - padL - padR - lineWidth(text))) + rightPad;
        } else content = blank[c]!;
        s += left + (isHead ? head(content) : content) + (c === n - 1 ? right : noRight);
      }
      yield s;
    }
  };

  yield top;
  yield* drawRow(opts.head, true);
  for (const r of rows) {
    yield mid;
    yield* drawRow(r, false);
  }
  yield bottom;
}

/** The table as cli-table3's `toString()` gives it (no final newline). */
export function renderTable(opts: TableOptions, rows: readonly (readonly string[])[]): string {
  return [...tableLines(opts, rows)].join('\n');
}
