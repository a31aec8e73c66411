/**
 * Display-filter scanner, after Wireshark 4.0's epan/dfilter/scanner.l.
 *
 * Unquoted values (field names, numbers, addresses, byte strings, value names) all come out as
 * one `word` token: what a word means is decided later against the type of the other side,
 * as Wireshark does. A word is [A-Za-z0-9_:] followed by [A-Za-z0-9_:/-] and single dots
 * (never "..", which is the range operator). So `10.0.0.0/8`, `2001:db8::/32`,
 * `02-00-00-00-00-01` and `frame.len-10` are single words, and subtraction needs a space
 * before the minus ("a -b" or "a - b"), as in Wireshark.
 */
import { fail } from './errors.js';

/** Comparison / test operators, normalised to Wireshark's names. */
export type CmpOp = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains' | 'matches';

export type TokKind =
  | 'lparen' | 'rparen' | 'lbrace' | 'rbrace' | 'comma' | 'dotdot' | 'dollar'
  | 'slice'   // "[ ... ]": `ranges` holds the comma-separated parts
  | 'layer'   // "#2" or "#[1-2]": `ranges` holds the parts
  | 'cmp'     // comparison operator: `op`
  | 'in' | 'not' | 'and' | 'or' | 'any' | 'all'
  | 'plus' | 'minus' | 'star' | 'slash' | 'percent' | 'bitand'
  | 'string'  // "..." or r"...": `bytes`, `raw`
  | 'char'    // 'c': `value`
  | 'word'
  | 'eof';

/** One part of a slice or layer range, as written, with its position. */
export interface RangePart {
  text: string;
  start: number;
  end: number;
}

export interface Token {
  kind: TokKind;
  /** Source text of the token. */
  text: string;
  start: number;
  end: number;
  op?: CmpOp;
  bytes?: Uint8Array;
  raw?: boolean;
  value?: number;
  ranges?: RangePart[];
}

const KEYWORDS: Record<string, [TokKind, CmpOp?]> = {
  eq: ['cmp', 'any_eq'], any_eq: ['cmp', 'any_eq'],
  ne: ['cmp', 'all_ne'], all_ne: ['cmp', 'all_ne'],
  all_eq: ['cmp', 'all_eq'], any_ne: ['cmp', 'any_ne'],
  gt: ['cmp', 'gt'], ge: ['cmp', 'ge'], lt: ['cmp', 'lt'], le: ['cmp', 'le'],
  contains: ['cmp', 'contains'], matches: ['cmp', 'matches'],
  in: ['in'], not: ['not'], and: ['and'], or: ['or'], any: ['any'], all: ['all'],
  bitwise_and: ['bitand'],
};

function isWordStart(c: number): boolean {
  return (c >= 48 && c <= 58) /* 0-9 : */ || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isWordChar(c: number): boolean {
  return isWordStart(c) || c === 45 /* - */ || c === 47 /* / */;
}
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** Appends the UTF-8 encoding of code point `cp` to `out`. */
export function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

const SIMPLE_ESCAPES: Record<string, number> = {
  "'": 39, '"': 34, '\\': 92, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11,
};

/**
 * Reads one escape sequence at `s[i] === '\\'` of a (non-raw) string or character constant.
 * Returns [bytes, next index]. Escapes as listed in wireshark-filter(4).
 */
function readEscape(src: string, i: number, limit: number, out: number[]): number {
  const c = src[i + 1];
  if (c === undefined || i + 1 >= limit) return fail(src, 'The final quote was missing from a quoted string.', i, i + 1);
  if (c in SIMPLE_ESCAPES) {
    out.push(SIMPLE_ESCAPES[c]!);
    return i + 2;
  }
  if (c >= '0' && c <= '7') {
    let j = i + 1;
    while (j < i + 4 && j < limit && src[j]! >= '0' && src[j]! <= '7') j++;
    const v = parseInt(src.slice(i + 1, j), 8);
    if (v > 255) return fail(src, `${src.slice(i, j)} is larger than 255.`, i, j);
    out.push(v);
    return j;
  }
  if (c === 'x') {
    let j = i + 2;
    while (j < i + 4 && j < limit && isHex(src.charCodeAt(j))) j++;
    if (j === i + 2) return fail(src, `${src.slice(i, i + 2)} is not a valid character escape sequence`, i, i + 2);
    out.push(parseInt(src.slice(i + 2, j), 16));
    return j;
  }
  if (c === 'u' || c === 'U') {
    const n = c === 'u' ? 4 : 8;
    let j = i + 2;
    while (j < i + 2 + n && j < limit && isHex(src.charCodeAt(j))) j++;
    if (j !== i + 2 + n) return fail(src, `${src.slice(i, j)} is not a valid universal character name`, i, j);
    const cp = parseInt(src.slice(i + 2, j), 16);
    // C's rule, which Wireshark follows: not a surrogate, and not below U+00A0 except $ @ `
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp < 0xa0 && cp !== 0x24 && cp !== 0x40 && cp !== 0x60)) return fail(src, `${src.slice(i, j)} is not a valid universal character name`, i, j);
    pushUtf8(out, cp);
    return j;
  }
  return fail(src, `${src.slice(i, i + 2)} is not a valid character escape sequence`, i, i + 2);
}

/** Scans the whole filter into tokens (the last one is 'eof'). Throws FilterError. */
export function tokenize(src: string): Token[] {
  const toks: Token[] = [];
  const n = src.length;
  let i = 0;
  const push = (kind: TokKind, start: number, end: number, extra?: Partial<Token>): void => {
    toks.push({ kind, text: src.slice(start, end), start, end, ...extra });
  };
  while (i < n) {
    const c = src.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) {
      i++;
      continue;
    }
    const ch = src[i]!;
    const two = src.slice(i, i + 2);
    const three = src.slice(i, i + 3);
    if (ch === '(') { push('lparen', i, i + 1); i++; continue; }
    if (ch === ')') { push('rparen', i, i + 1); i++; continue; }
    if (ch === '{') { push('lbrace', i, i + 1); i++; continue; }
    if (ch === '}') { push('rbrace', i, i + 1); i++; continue; }
    if (ch === ',') { push('comma', i, i + 1); i++; continue; }
    if (ch === '$') { push('dollar', i, i + 1); i++; continue; }
    if (two === '..') { push('dotdot', i, i + 2); i += 2; continue; }
    if (three === '===') { push('cmp', i, i + 3, { op: 'all_eq' }); i += 3; continue; }
    if (three === '!==') { push('cmp', i, i + 3, { op: 'any_ne' }); i += 3; continue; }
    if (two === '==') { push('cmp', i, i + 2, { op: 'any_eq' }); i += 2; continue; }
    if (two === '!=') { push('cmp', i, i + 2, { op: 'all_ne' }); i += 2; continue; }
    if (two === '~=') { push('cmp', i, i + 2, { op: 'any_ne' }); i += 2; continue; } // 4.0: deprecated any_ne
    if (two === '>=') { push('cmp', i, i + 2, { op: 'ge' }); i += 2; continue; }
    if (two === '<=') { push('cmp', i, i + 2, { op: 'le' }); i += 2; continue; }
    if (two === '&&') { push('and', i, i + 2); i += 2; continue; }
    if (two === '||') { push('or', i, i + 2); i += 2; continue; }
    if (ch === '>') { push('cmp', i, i + 1, { op: 'gt' }); i++; continue; }
    if (ch === '<') { push('cmp', i, i + 1, { op: 'lt' }); i++; continue; }
    if (ch === '~') { push('cmp', i, i + 1, { op: 'matches' }); i++; continue; }
    if (ch === '!') { push('not', i, i + 1); i++; continue; }
    if (ch === '&') { push('bitand', i, i + 1); i++; continue; }
    if (ch === '+') { push('plus', i, i + 1); i++; continue; }
    if (ch === '-') { push('minus', i, i + 1); i++; continue; }
    if (ch === '*') { push('star', i, i + 1); i++; continue; }
    if (ch === '/') { push('slash', i, i + 1); i++; continue; }
    if (ch === '%') { push('percent', i, i + 1); i++; continue; }
    if (ch === '[') {
      const { ranges, end } = scanBracket(src, i);
      push('slice', i, end, { ranges });
      i = end;
      continue;
    }
    if (ch === '#') {
      const next = src[i + 1];
      if (next === '[') {
        const { ranges, end } = scanBracket(src, i + 1);
        push('layer', i, end, { ranges });
        i = end;
        continue;
      }
      if (next !== undefined && isDigit(src.charCodeAt(i + 1))) {
        let j = i + 1;
        while (j < n && isDigit(src.charCodeAt(j))) j++;
        push('layer', i, j, { ranges: [{ text: src.slice(i + 1, j), start: i + 1, end: j }] });
        i = j;
        continue;
      }
      if (next === undefined) fail(src, 'The layer number or range was missing.', i, i + 1);
      fail(src, `Expected digit or "[", not "${next}"`, i + 1, i + 2);
    }
    if (ch === '"' || ((ch === 'r' || ch === 'R') && src[i + 1] === '"')) {
      const raw = ch !== '"';
      const start = i;
      let j = raw ? i + 2 : i + 1;
      const out: number[] = [];
      for (;;) {
        if (j >= n) fail(src, 'The final quote was missing from a quoted string.', n, n + 1);
        const cj = src[j]!;
        if (cj === '"') break;
        if (cj === '\\') {
          if (raw) {
            // raw strings keep the backslash; \" and \\ do not end the string
            if (j + 1 >= n) fail(src, 'The final quote was missing from a quoted string.', n, n + 1);
            pushUtf8(out, 92);
            const cp = src.codePointAt(j + 1)!;
            pushUtf8(out, cp);
            j += cp > 0xffff ? 3 : 2;
            continue;
          }
          j = readEscape(src, j, n, out);
          continue;
        }
        const cp = src.codePointAt(j)!;
        pushUtf8(out, cp);
        j += cp > 0xffff ? 2 : 1;
      }
      push('string', start, j + 1, { bytes: Uint8Array.from(out), raw });
      i = j + 1;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let j = i + 1;
      const out: number[] = [];
      let chars = 0;
      for (;;) {
        if (j >= n) fail(src, 'The final quote was missing from a character constant.', n, n + 1);
        const cj = src[j]!;
        if (cj === "'") break;
        if (cj === '\\') j = readEscape(src, j, n, out);
        else {
          const cp = src.codePointAt(j)!;
          out.push(cp);
          if (cp > 127) chars++; // more than one byte in UTF-8
          j += cp > 0xffff ? 2 : 1;
        }
        chars++;
      }
      const text = src.slice(start, j + 1);
      if (chars === 0) fail(src, `${text} is not a valid character constant.`, start, j + 1);
      if (chars > 1 || out.length !== 1 || out[0]! > 255) fail(src, `${text} is too long to be a valid character constant.`, start, j + 1);
      push('char', start, j + 1, { value: out[0]! });
      i = j + 1;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      for (;;) {
        if (j < n && isWordChar(src.charCodeAt(j))) j++;
        else if (j + 1 < n && src[j] === '.' && src[j + 1] !== '.' && isWordChar(src.charCodeAt(j + 1))) j += 2;
        else break;
      }
      const text = src.slice(i, j);
      const kw = KEYWORDS[text];
      if (kw) push(kw[0], i, j, kw[1] ? { op: kw[1] } : undefined);
      else push('word', i, j);
      i = j;
      continue;
    }
    const cp = src.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    fail(src, `"${src.slice(i, i + w)}" was unexpected in this context.`, i, i + w);
  }
  push('eof', n, n);
  return toks;
}

/** Reads "[ ... ]" starting at `src[at] === '['`; parts are split on commas. */
function scanBracket(src: string, at: number): { ranges: RangePart[]; end: number } {
  const ranges: RangePart[] = [];
  let j = at + 1;
  let partStart = j;
  for (;;) {
    if (j >= src.length) fail(src, 'The right bracket was missing from a slice.', src.length, src.length + 1);
    const c = src[j]!;
    if (c === ',' || c === ']') {
      ranges.push({ text: src.slice(partStart, j), start: partStart, end: j });
      if (c === ']') return { ranges, end: j + 1 };
      partStart = j + 1;
    }
    j++;
  }
}
