/**
 * PCRE2 patterns (what Wireshark's `matches` takes) translated to JavaScript RegExp.
 *
 * Wireshark matches case-insensitively by default; a leading option group changes that:
 * `(?-i)` case-sensitive, `(?s)` dot matches newline, `(?m)` multi-line, in any combination.
 * Translated: \A \z \Z \Q..\E \h \H \R \e \x{hhhh}, POSIX classes ([[:alpha:]] ...), a leading
 * ']' in a class, (?P<name>...), (?#comment), and inline groups such as (?i:...) whose options
 * do not change anything. Not supported (an error, never a silent difference): option changes
 * inside the pattern, (?x), atomic groups, possessive quantifiers, recursion, \G \K \X \C,
 * Unicode properties, callouts, backtracking verbs. The subject is the field's text (string
 * fields) or its bytes as ISO-8859-1 characters (bytes, protocols, MAC addresses), so \xhh
 * matches byte hh as PCRE does without UTF mode.
 */

export interface Translated {
  source: string;
  flags: string;
}

const POSIX: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
  word: '\\w', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~', ascii: '\\x00-\\x7f',
};

/** Translates a PCRE2 pattern; throws Error(message) for what JavaScript cannot express. */
export function translatePcre(pattern: string): Translated {
  let i = 0;
  let ci = true;
  let dotall = false;
  let multiline = false;
  // leading option settings, e.g. (?-i) (?is) (?s-i)
  for (;;) {
    const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(pattern.slice(i));
    if (!m || (m[1] === '' && m[2] === undefined)) break;
    for (const [letters, on] of [[m[1] ?? '', true], [m[2] ?? '', false]] as const) {
      for (const f of letters) {
        if (f === 'i') ci = on;
        else if (f === 's') dotall = on;
        else if (f === 'm') multiline = on;
        else throw new Error(`regex option (?${f}) is not supported`);
      }
    }
    i += m[0].length;
  }
  const flags = (ci ? 'i' : '') + (dotall ? 's' : '') + (multiline ? 'm' : '');
  let out = '';
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) throw new Error('\\ at end of pattern');
      i += 2;
      switch (e) {
        case 'A': out += multiline ? '(?<![\\s\\S])' : '^'; break;
        case 'z': out += '(?![\\s\\S])'; break;
        case 'Z': out += '(?=\\n?(?![\\s\\S]))'; break;
        case 'h': out += '[\\t \\xa0]'; break;
        case 'H': out += '[^\\t \\xa0]'; break;
        case 'R': out += '(?:\\r\\n|[\\n\\v\\f\\r\\x85])'; break;
        case 'e': out += '\\x1b'; break;
        case 'a': out += '\\x07'; break;
        case 'Q': {
          const end = pattern.indexOf('\\E', i);
          const lit = end < 0 ? pattern.slice(i) : pattern.slice(i, end);
          out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
          i = end < 0 ? n : end + 2;
          break;
        }
        case 'E': break;
        case 'x': {
          if (pattern[i] === '{') {
            const end = pattern.indexOf('}', i);
            if (end < 0) throw new Error('missing } in \\x{...}');
            out += codeEscape(parseInt(pattern.slice(i + 1, end), 16));
            i = end + 1;
          } else out += '\\x';
          break;
        }
        case 'G': case 'K': case 'X': case 'C': case 'p': case 'P': case 'N': case 'g': case 'o':
          throw new Error(`regex escape \\${e} is not supported`);
        default: out += '\\' + e;
      }
      continue;
    }
    if (c === '[') {
      const r = translateClass(pattern, i);
      out += r.text;
      i = r.end;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (/^[:=!]/.test(rest) || /^<[=!]/.test(rest) || /^<[A-Za-z_]/.test(rest)) {
        out += '(?';
        i += 2;
        continue;
      }
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 4;
        continue;
      }
      if (rest.startsWith('#')) {
        const end = pattern.indexOf(')', i);
        i = end < 0 ? n : end + 1;
        continue;
      }
      const m = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
      if (m) {
        // inline options: allowed only when they change nothing
        let same = true;
        for (const f of m[1] ?? '') same &&= (f === 'i' && ci) || (f === 's' && dotall) || (f === 'm' && multiline);
        for (const f of m[2] ?? '') same &&= (f === 'i' && !ci) || (f === 's' && !dotall) || (f === 'm' && !multiline);
        if (!same) throw new Error(`inline regex options (?${m[0].slice(0, -1)}) inside the pattern are not supported; put them at the start`);
        out += m[3] === ':' ? '(?:' : '';
        i += 2 + m[0].length;
        continue;
      }
      throw new Error(`regex group (?${rest.slice(0, 1)} is not supported`);
    }
    if ((c === '+' && i > 0 && /[*+?}]/.test(pattern[i - 1]!) && pattern[i - 2] !== '\\')) {
      throw new Error('possessive quantifiers are not supported');
    }
    out += c;
    i++;
  }
  return { source: out, flags };
}

function codeEscape(cp: number): string {
  if (!Number.isFinite(cp) || cp < 0) throw new Error('bad \\x{...} escape');
  if (cp <= 0xff) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp <= 0xffff) return '\\u' + cp.toString(16).padStart(4, '0');
  throw new Error('\\x{...} above U+FFFF is not supported');
}

function translateClass(p: string, at: number): { text: string; end: number } {
  let i = at + 1;
  let out = '[';
  if (p[i] === '^') {
    out += '^';
    i++;
  }
  if (p[i] === ']') {
    out += '\\]';
    i++;
  }
  for (;;) {
    if (i >= p.length) throw new Error('missing terminating ] for character class');
    const c = p[i]!;
    if (c === ']') return { text: out + ']', end: i + 1 };
    if (c === '\\') {
      const e = p[i + 1];
      if (e === undefined) throw new Error('missing terminating ] for character class');
      if (e === 'h') out += '\\t \\xa0';
      else if (e === 'e') out += '\\x1b';
      else if (e === 'a') out += '\\x07';
      else if (e === 'x' && p[i + 2] === '{') {
        const end = p.indexOf('}', i);
        if (end < 0) throw new Error('missing } in \\x{...}');
        out += codeEscape(parseInt(p.slice(i + 3, end), 16));
        i = end + 1;
        continue;
      } else if ('pPXC'.includes(e)) throw new Error(`regex escape \\${e} is not supported`);
      else out += '\\' + e;
      i += 2;
      continue;
    }
    if (c === '[' && p[i + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
      if (m) {
        const cls = POSIX[m[2]!];
        if (!cls) throw new Error(`unknown POSIX class name ${m[2]}`);
        if (m[1]) throw new Error('negated POSIX classes are not supported');
        out += cls;
        i += m[0].length;
        continue;
      }
    }
    if (c === '[') out += '\\[';
    else if (c === '/') out += '\\/';
    else out += c;
    i++;
  }
}

/** Compiles a PCRE2 pattern to a RegExp; throws Error with a PCRE-like message. */
export function compilePcre(pattern: string): RegExp {
  const t = translatePcre(pattern);
  try {
    return new RegExp(t.source, t.flags);
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : String(e);
    throw new Error(msg);
  }
}
