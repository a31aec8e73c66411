/** Helpers for the output tests: run gretool's writers in-process over a capture, and tshark. */
import { TextBuf } from '../../src/engine/textbuf.js';
import { dissectCapture, type DissectOptions } from '../../src/output/dissect.js';
import { nodeLabel, writeNodeLine } from '../../src/output/format.js';
import { Packet } from '../../src/engine/packet.js';
import { run, rel } from '../helpers/cli.js';
import { TSHARK_PREFS } from '../helpers/parity.js';

export const VARIED = rel('test', 'fixtures', 'output', 'varied.pcap');
export const VARIED_NG = rel('test', 'fixtures', 'output', 'varied.pcapng');

/** Runs `write(out, packet)` for every frame and returns the text. */
export async function render(path: string, write: (out: TextBuf, p: Packet) => void, opts: DissectOptions = {}): Promise<string> {
  const out = new TextBuf(1 << 16);
  await dissectCapture(path, (f) => write(out, f.packet), opts);
  // keep a byte-order mark (TextBuf.toString() would drop it)
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(out.buf.subarray(0, out.len));
}

/** tshark's stdout for the given arguments (checksum prefs included); throws on failure. */
export function tshark(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = run('tshark', [...TSHARK_PREFS, ...args], { env: { ...process.env, TZ: 'UTC', ...env } });
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A Packet holding `bytes` as its frame, with an empty tree (for hand-built nodes). */
export function packetOf(bytes: number[]): Packet {
  const p = new Packet();
  p.data = Uint8Array.from(bytes);
  p.base = 0;
  p.caplen = bytes.length;
  p.origlen = bytes.length;
  return p;
}

/** The -V line of `node` at `level`, through the line caches. */
export function cachedLine(p: Packet, node: number, level: number): string {
  const out = new TextBuf(16);
  writeNodeLine(out, p, node, level);
  return out.toString();
}

/** The -V line of `node` at `level`, built from the uncached label. */
export function uncachedLine(p: Packet, node: number, level: number): string {
  return ' '.repeat(4 * level) + nodeLabel(p, node) + '\n';
}
