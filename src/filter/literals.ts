/**
 * Parsers for unquoted filter literals: integers, floats, times, IPv4/IPv6 addresses with
 * CIDR prefixes, MAC addresses and byte strings. Each returns null when the text is not of
 * that form; the checker turns null into an error message with a caret.
 */

/** Decimal, octal (leading 0), hexadecimal (0x) or binary (0b) unsigned integer. */
export function parseInteger(text: string): number | null {
  if (/^(?:0|[1-9][0-9]*)$/.test(text)) return Number(text);
  if (/^0[0-7]+$/.test(text)) return parseInt(text.slice(1), 8);
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseHexBig(text.slice(2));
  if (/^0[bB][01]+$/.test(text)) return parseBinBig(text.slice(2));
  return null;
}

function parseHexBig(h: string): number {
  // parseInt loses nothing below 2^53 and rounds above (uint64 keys beyond 2^53 compare approximately)
  return parseInt(h, 16);
}
function parseBinBig(b: string): number {
  return parseInt(b, 2);
}

/** A floating-point literal (decimal with optional exponent, hexadecimal, inf, nan). */
export function parseFloatLiteral(text: string): number | null {
  if (/^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(text)) return Number(text);
  const i = parseInteger(text);
  if (i !== null) return i;
  if (/^inf(?:inity)?$/i.test(text)) return Infinity;
  if (/^nan$/i.test(text)) return NaN;
  return null;
}

/** Relative time "S" or "S.FFFFFFFFF" (seconds) as nanoseconds; null if not of that form. */
export function parseRelTime(text: string): number | null {
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!m) return null;
  const frac = (m[2] ?? '').slice(0, 9).padEnd(9, '0');
  return Number(m[1]) * 1e9 + Number(frac);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Absolute time as [seconds since the epoch, nanoseconds]: ISO 8601
 * ("2020-07-04T12:34:56.5", 'T' optional, "Z" / "+02:00" / " UTC" zone) or Wireshark's legacy
 * "Sep 26, 2004 23:18:04.954975" (optional " UTC"). Without a zone the time is local, as in
 * Wireshark. Null if not a valid time.
 */
export function parseAbsTime(text: string): [number, number] | null {
  const s = text.trim();
  let y: number, mo: number, d: number, h = 0, mi = 0, sec = 0, frac = '', zone = '';
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (m) {
    y = +m[1]!; mo = +m[2]! - 1; d = +m[3]!;
    if (m[4] !== undefined) { h = +m[4]; mi = +m[5]!; sec = m[6] !== undefined ? +m[6] : 0; frac = m[7] ?? ''; }
    zone = m[8] ?? '';
  } else {
    m = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(UTC)?$/i.exec(s);
    if (!m) return null;
    mo = MONTHS.indexOf(m[1]!.toLowerCase());
    if (mo < 0) return null;
    d = +m[2]!; y = +m[3]!;
    if (m[4] !== undefined) { h = +m[4]; mi = +m[5]!; sec = m[6] !== undefined ? +m[6] : 0; frac = m[7] ?? ''; }
    zone = m[8] ?? '';
  }
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return null;
  let ms: number;
  if (zone === '') ms = new Date(y, mo, d, h, mi, sec).getTime();
  else {
    ms = Date.UTC(y, mo, d, h, mi, sec);
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (z) ms -= (z[1] === '-' ? -1 : 1) * (+z[2]! * 60 + +z[3]!) * 60000;
  }
  if (!Number.isFinite(ms)) return null;
  const nsec = Number(frac.slice(0, 9).padEnd(9, '0'));
  return [Math.floor(ms / 1000), nsec];
}

/** Dotted-quad IPv4 address (inet_pton rules: decimal octets, no leading zeros) as a uint32. */
export function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const o = Number(p);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v;
}

/** IPv6 address (RFC 4291 text forms, "::" and a trailing dotted quad) as 16 bytes. */
export function parseIPv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const dbl = text.indexOf('::');
  if (dbl >= 0 && text.indexOf('::', dbl + 1) >= 0) return null;
  const groups: number[] = [];
  const parseSide = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    for (let k = 0; k < items.length; k++) {
      const it = items[k]!;
      if (k === items.length - 1 && it.includes('.')) {
        const v4 = parseIPv4(it);
        if (v4 === null) return null;
        out.push(Math.floor(v4 / 65536), v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  if (dbl >= 0) {
    const head = parseSide(text.slice(0, dbl));
    const tail = parseSide(text.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    const all = parseSide(text);
    if (!all || all.length !== 8) return null;
    groups.push(...all);
  }
  const b = new Uint8Array(16);
  for (let k = 0; k < 8; k++) {
    b[2 * k] = groups[k]! >> 8;
    b[2 * k + 1] = groups[k]! & 255;
  }
  return b;
}

/**
 * Byte string: hex bytes separated by ':', '-' or '.' (one or two digits each), an even run of
 * hex digits without separators, a single hex digit, or any of these after a leading ':'.
 */
export function parseBytes(text: string): Uint8Array | null {
  let s = text;
  if (s.startsWith(':') && s.length > 1) s = s.slice(1);
  if (/^[0-9a-fA-F]$/.test(s)) return Uint8Array.of(parseInt(s, 16));
  if (/^(?:[0-9a-fA-F]{2})+$/.test(s)) {
    const b = new Uint8Array(s.length / 2);
    for (let k = 0; k < b.length; k++) b[k] = parseInt(s.slice(2 * k, 2 * k + 2), 16);
    return b;
  }
  for (const sep of [':', '-', '.']) {
    if (!s.includes(sep)) continue;
    const parts = s.split(sep);
    if (!parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return null;
    return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
  }
  return null;
}

/** A MAC address: 6 bytes in any byte-string form, or Cisco's "hhhh.hhhh.hhhh". */
export function parseEther(text: string): Uint8Array | 'short' | 'long' | null {
  const q = /^([0-9a-fA-F]{4})\.([0-9a-fA-F]{4})\.([0-9a-fA-F]{4})$/.exec(text);
  if (q) return parseBytes(q[1]! + q[2]! + q[3]!);
  const b = parseBytes(text);
  if (!b) return null;
  if (b.length < 6) return 'short';
  if (b.length > 6) return 'long';
  return b;
}

/** Six bytes as a 48-bit number (exact in a double). */
export function etherNumber(b: Uint8Array, o = 0): number {
  return ((b[o]! << 8) | b[o + 1]!) * 4294967296 + (((b[o + 2]! << 24) >>> 0) + ((b[o + 3]! << 16) | (b[o + 4]! << 8) | b[o + 5]!));
}
