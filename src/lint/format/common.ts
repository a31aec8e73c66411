/** Helpers shared by the report formats. */
import type { Finding } from '../engine.js';

/** "frame 5" / "frames 3, 4, 9" / "frames 3, 4, 9, … (1200 in all)". */
export function framesText(f: Finding, max = 12): string {
  const fr = f.frames;
  if (fr.length === 0) return 'no frame';
  const shown = fr.slice(0, max).join(', ');
  const more = fr.length > max || f.framesTruncated;
  const total = f.framesTruncated ? `${fr.length}+` : String(fr.length);
  return `${fr.length === 1 && !f.framesTruncated ? 'frame' : 'frames'} ${shown}${more ? `, … (${total} frames)` : ''}`;
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Why findings were not kept (CaptureResult.dropped): the words every format uses. */
export const DROPPED_NOTE = 'limit per rule and capture reached';

/**
 * "… and 12 more findings of RULE not kept (limit per rule and capture reached)" for a capture's
 * dropped findings of one rule (`atLeast`: the count is a lower bound), or null when none.
 */
export function droppedLine(rule: string, count: number | undefined, atLeast: boolean): string | null {
  if (count === undefined || count <= 0) return null;
  return `… and ${atLeast ? 'at least ' : ''}${count} more ${count === 1 ? 'finding' : 'findings'} of ${rule} not kept (${DROPPED_NOTE})`;
}

/** Removes characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF). */
export function xmlSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function xmlEscape(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
