/**
 * Scenario files: YAML (JSON is accepted, being YAML too), parsed with the `yaml` package for
 * positions, then validated here against gretool's schema. Every error names the file, line and
 * column of the offending value and what was expected; it is a GretoolError with code SCENARIO
 * (exit 2). See scenarios/*.yaml for complete examples.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YNode, type Pair } from 'yaml';
import { GretoolError } from '../errors.js';
import { ipv4Bytes, ipv6Bytes } from './layer.js';
import { isOverrideField } from './frames.js';
import { FAULTS } from './faults.js';
import type {
  AttachEvent,
  Direction,
  FlowDef,
  FlowProto,
  GreMode,
  LmaDef,
  MagDef,
  MobileNodeDef,
  NodeDef,
  Overrides,
  Pos,
  RegistrationFields,
  ResponseDef,
  Scenario,
  ScenarioEvent,
  Transport,
} from './model.js';

const NS = 1e9;

class Reader {
  constructor(
    readonly file: string,
    private readonly lc: LineCounter,
  ) {}

  pos(node: YNode | null | undefined): Pos {
    const off = node?.range?.[0] ?? 0;
    const p = this.lc.linePos(off);
    return { line: p.line, col: p.col };
  }

  fail(node: YNode | null | undefined, path: string, msg: string): never {
    const p = this.pos(node);
    throw new GretoolError('SCENARIO', `${this.file}:${p.line}:${p.col}: ${path ? path + ': ' : ''}${msg}`);
  }

  /** The pairs of a mapping, checking that every key is one of `allowed`. */
  map(node: YNode | null | undefined, path: string, allowed?: readonly string[]): Map<string, { key: YNode; value: YNode | null }> {
    if (!isMap(node)) this.fail(node, path, `expected a mapping (key: value), got ${describe(node)}`);
    const out = new Map<string, { key: YNode; value: YNode | null }>();
    for (const it of node.items as Pair<YNode, YNode | null>[]) {
      const k = isScalar(it.key) ? String(it.key.value) : undefined;
      if (k === undefined) this.fail(it.key, path, 'keys must be plain names');
      if (allowed && !allowed.includes(k)) {
        this.fail(it.key, path, `unknown key "${k}" (expected one of: ${allowed.join(', ')})`);
      }
      out.set(k, { key: it.key, value: it.value });
    }
    return out;
  }

  seq(node: YNode | null | undefined, path: string): YNode[] {
    if (!isSeq(node)) this.fail(node, path, `expected a list, got ${describe(node)}`);
    return node.items as YNode[];
  }

  scalar(node: YNode | null | undefined, path: string): unknown {
    if (!isScalar(node)) this.fail(node, path, `expected a single value, got ${describe(node)}`);
    return node.value;
  }

  str(node: YNode | null | undefined, path: string): string {
    const v = this.scalar(node, path);
    if (typeof v === 'string' && v.length > 0) return v;
    if (typeof v === 'number') return String(v);
    this.fail(node, path, `expected text, got ${describe(node)}`);
  }

  num(node: YNode | null | undefined, path: string, min = -Infinity, max = Infinity, integer = false): number {
    const v = this.scalar(node, path);
    let n: number;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && /^\s*(0x[0-9a-f]+|\d+(\.\d+)?)\s*$/i.test(v)) n = Number(v);
    else this.fail(node, path, `expected a number, got ${describe(node)}`);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      const range = `${integer ? 'an integer' : 'a number'}${min > -Infinity ? ` ≥ ${min}` : ''}${max < Infinity ? ` and ≤ ${max}` : ''}`;
      this.fail(node, path, `expected ${range}, got ${String(v)}`);
    }
    return n;
  }

  int(node: YNode | null | undefined, path: string, min: number, max: number): number {
    return this.num(node, path, min, max, true);
  }

  bool(node: YNode | null | undefined, path: string): boolean {
    const v = this.scalar(node, path);
    if (typeof v === 'boolean') return v;
    this.fail(node, path, `expected true or false, got ${describe(node)}`);
  }

  oneOf<T extends string>(node: YNode | null | undefined, path: string, values: readonly T[]): T {
    const v = this.scalar(node, path);
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    this.fail(node, path, `expected one of ${values.map((x) => `"${x}"`).join(', ')}, got ${describe(node)}`);
  }

  /** A duration: seconds as a number, or text with a unit (ns, us, ms, s, m, h). */
  time(node: YNode | null | undefined, path: string): number {
    const v = this.scalar(node, path);
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.round(v * NS);
    if (typeof v === 'string') {
      const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)?\s*$/.exec(v);
      if (m) {
        const unit = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: NS, m: 60 * NS, h: 3600 * NS }[m[2] ?? 's']!;
        return Math.round(Number(m[1]) * unit);
      }
    }
    this.fail(node, path, `expected a time ≥ 0 (seconds, or text such as "250ms", "1.5s", "2m"), got ${describe(node)}`);
  }

  ipv4(node: YNode | null | undefined, path: string): string {
    const s = this.str(node, path);
    try {
      ipv4Bytes(s);
    } catch {
      this.fail(node, path, `"${s}" is not an IPv4 address`);
    }
    return s;
  }

  ipv6(node: YNode | null | undefined, path: string): string {
    const s = this.str(node, path);
    try {
      ipv6Bytes(s);
    } catch {
      this.fail(node, path, `"${s}" is not an IPv6 address`);
    }
    return s;
  }

  mac(node: YNode | null | undefined, path: string): string {
    const s = this.str(node, path);
    if (!/^([0-9a-f]{1,2}[:-]){5}[0-9a-f]{1,2}$/i.test(s)) this.fail(node, path, `"${s}" is not a MAC address`);
    return s;
  }
}

function describe(node: YNode | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    return typeof v === 'string' ? `"${v}"` : String(v);
  }
  return 'something else';
}

const FLOW_SHORTHAND = /^(udp|tcp|icmp)(4|6)$/;
const ALL_FLOWS: readonly [FlowProto, 4 | 6][] = [
  ['udp', 4],
  ['tcp', 4],
  ['icmp', 4],
  ['udp', 6],
  ['tcp', 6],
  ['icmp', 6],
];
const DEFAULT_PORT: Record<FlowProto, number> = { udp: 7, tcp: 7, icmp: 0 };

/** Parses and validates scenario text. `file` names it in messages. */
export function parseScenario(text: string, file: string): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const p = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
    throw new GretoolError('SCENARIO', `${file}:${p.line}:${p.col}: ${e.message.split('\n')[0]}`);
  }
  const r: Reader = new Reader(file, lc);
  const root = doc.contents as YNode | null;
  const top = r.map(root, '', ['name', 'description', 'rfc', 'defaults', 'nodes', 'mobile_nodes', 'timeline']);
  const get = (k: string) => top.get(k)?.value;
  const need = (k: string): YNode => {
    const v = top.get(k);
    if (!v || v.value === null) r.fail(v?.key ?? root, '', `missing "${k}"`);
    return v.value;
  };

  const name = top.has('name') ? r.str(get('name'), 'name') : basename(file, extname(file));
  const description = top.has('description') ? r.str(get('description'), 'description') : '';
  const rfc = top.has('rfc') ? r.str(get('rfc'), 'rfc') : '';

  let rtt = 2e6;
  let retryDelay = 500e6;
  let lifetime = 3600;
  if (top.has('defaults')) {
    const d = r.map(get('defaults'), 'defaults', ['rtt', 'retry_delay', 'lifetime']);
    if (d.has('rtt')) rtt = r.time(d.get('rtt')!.value, 'defaults.rtt');
    if (d.has('retry_delay')) retryDelay = r.time(d.get('retry_delay')!.value, 'defaults.retry_delay');
    if (d.has('lifetime')) lifetime = r.int(d.get('lifetime')!.value, 'defaults.lifetime', 1, 262140);
  }

  // ---- nodes
  const nodes = new Map<string, NodeDef>();
  for (const [nodeName, { key, value }] of r.map(need('nodes'), 'nodes')) {
    const path = `nodes.${nodeName}`;
    const role = r.oneOf(r.map(value, path).get('role')?.value ?? key, `${path}.role`, ['mag', 'lma'] as const);
    const common = ['role', 'ipv6', 'ipv4', 'mac', 'gre_checksum', 'gre_sequence'];
    const m = r.map(value, path, role === 'mag' ? [...common, 'transport', 'gre', 'tlv', 'force_udp', 'retry_on_163'] : [...common, 'gre', 'tlv', 'max_lifetime']);
    const opt = <T>(k: string, f: (n: YNode | null, p: string) => T): T | undefined => (m.has(k) ? f(m.get(k)!.value, `${path}.${k}`) : undefined);
    const base = {
      name: nodeName,
      ipv6: opt('ipv6', (n, p) => r.ipv6(n, p)),
      ipv4: opt('ipv4', (n, p) => r.ipv4(n, p)),
      mac: opt('mac', (n, p) => r.mac(n, p)),
      greChecksum: opt('gre_checksum', (n, p) => r.bool(n, p)) ?? false,
      greSequence: opt('gre_sequence', (n, p) => r.bool(n, p)) ?? false,
      pos: r.pos(key),
    };
    if (!base.ipv6 && !base.ipv4) r.fail(value, path, 'a node needs an "ipv6" or an "ipv4" address (or both)');
    if (role === 'mag') {
      const transport = opt('transport', (n, p) => r.oneOf(n, p, ['ipv6', 'ipv4-udp'] as const)) ?? (base.ipv6 ? 'ipv6' : 'ipv4-udp');
      const def: MagDef = {
        ...base,
        role: 'mag',
        transport,
        gre: opt('gre', (n, p) => r.oneOf(n, p, ['keys', 'gre-only', 'none'] as const)) ?? 'keys',
        tlv: opt('tlv', (n, p) => r.bool(n, p)) ?? true,
        forceUdp: opt('force_udp', (n, p) => r.bool(n, p)) ?? transport === 'ipv4-udp',
        retryOn163: opt('retry_on_163', (n, p) => r.bool(n, p)) ?? true,
      };
      nodes.set(nodeName, def);
    } else {
      const def: LmaDef = {
        ...base,
        role: 'lma',
        gre: opt('gre', (n, p) => r.oneOf(n, p, ['accept', 'require', 'not-required', 'ignore'] as const)) ?? 'accept',
        tlv: opt('tlv', (n, p) => r.bool(n, p)) ?? true,
        maxLifetime: opt('max_lifetime', (n, p) => r.int(n, p, 0, 262140)) ?? 262140,
      };
      nodes.set(nodeName, def);
    }
  }
  const lmas = [...nodes.values()].filter((n) => n.role === 'lma');
  if (lmas.length === 0) r.fail(need('nodes'), 'nodes', 'at least one node with role "lma" is needed');
  if (![...nodes.values()].some((n) => n.role === 'mag')) r.fail(need('nodes'), 'nodes', 'at least one node with role "mag" is needed');

  // ---- mobile nodes
  const mobileNodes = new Map<string, MobileNodeDef>();
  for (const [mnName, { key, value }] of r.map(need('mobile_nodes'), 'mobile_nodes')) {
    const path = `mobile_nodes.${mnName}`;
    const m = r.map(value, path, ['id', 'operator', 'hnp', 'iid', 'ipv4', 'ipv4_router', 'lma', 'att', 'cn4', 'cn6']);
    const at = (k: string) => m.get(k)?.value;
    const operator = m.has('operator') ? r.str(at('operator'), `${path}.operator`) : undefined;
    if (!m.has('hnp')) r.fail(value, path, 'missing "hnp" (home network prefix, e.g. 2001:db8:a:1::/64)');
    const [hnp, hnpLength] = prefix(r, at('hnp')!, `${path}.hnp`, 6, 64);
    let ipv4: string | undefined;
    let ipv4PrefixLength = 24;
    if (m.has('ipv4')) [ipv4, ipv4PrefixLength] = prefix(r, at('ipv4')!, `${path}.ipv4`, 4, 24);
    let lma: string;
    if (m.has('lma')) {
      lma = r.str(at('lma'), `${path}.lma`);
      if (nodes.get(lma)?.role !== 'lma') r.fail(at('lma'), `${path}.lma`, `"${lma}" is not a node with role "lma"`);
    } else {
      if (lmas.length > 1) r.fail(value, path, `missing "lma" (there are ${lmas.length} LMAs: ${lmas.map((l) => l.name).join(', ')})`);
      lma = lmas[0]!.name;
    }
    const iid = m.has('iid') ? r.ipv6(at('iid'), `${path}.iid`) : '::10';
    mobileNodes.set(mnName, {
      name: mnName,
      id: m.has('id') ? r.str(at('id'), `${path}.id`) : `${mnName}@${operator ?? 'example.net'}`,
      operator,
      hnp,
      hnpLength,
      iid,
      ipv4,
      ipv4PrefixLength,
      ipv4Router: m.has('ipv4_router') ? r.ipv4(at('ipv4_router'), `${path}.ipv4_router`) : undefined,
      lma,
      att: m.has('att') ? r.int(at('att'), `${path}.att`, 0, 255) : 4,
      cn4: m.has('cn4') ? r.ipv4(at('cn4'), `${path}.cn4`) : '203.0.113.10',
      cn6: m.has('cn6') ? r.ipv6(at('cn6'), `${path}.cn6`) : '2001:db8:cafe::10',
      pos: r.pos(key),
    });
  }

  // ---- timeline
  const timeline: ScenarioEvent[] = [];
  const events = r.seq(need('timeline'), 'timeline');
  events.forEach((node, i) => timeline.push(parseEvent(r, node, `timeline[${i}]`, nodes, mobileNodes)));
  // stable sort by time: ties keep the file's order
  const order = timeline.map((e, i) => [e, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]);
  const sorted = order.map(([e]) => e);
  checkSequence(r, sorted, events, timeline, nodes, mobileNodes);
  return { name, description, rfc, source: file, nodes, mobileNodes, timeline: sorted, rtt, retryDelay, lifetime };
}

function prefix(r: Reader, node: YNode, path: string, version: 4 | 6, dflt: number): [string, number] {
  const s = r.str(node, path);
  const [addr, len] = s.split('/');
  const max = version === 6 ? 128 : 32;
  const n = len === undefined ? dflt : Number(len);
  if (!Number.isInteger(n) || n < 0 || n > max) r.fail(node, path, `"${s}": prefix length must be 0-${max}`);
  try {
    if (version === 6) ipv6Bytes(addr!);
    else ipv4Bytes(addr!);
  } catch {
    r.fail(node, path, `"${s}" is not an IPv${version} ${version === 6 ? 'prefix' : 'address'}`);
  }
  return [addr!, n];
}

const EVENT_KEYS: Record<string, readonly string[]> = {
  attach: ['mag', 'gre', 'tlv', 'transport', 'dl_key', 'lifetime', 'hi', 'response'],
  reregister: ['gre', 'tlv', 'transport', 'dl_key', 'lifetime', 'response'],
  handoff: ['mag', 'gre', 'tlv', 'transport', 'dl_key', 'lifetime', 'hi', 'response'],
  detach: ['response'],
  traffic: ['flows', 'rate', 'count', 'duration', 'size', 'direction', 'port'],
};
const COMMON_KEYS = ['at', 'event', 'mn', 'overrides', 'faults'];

function parseEvent(r: Reader, node: YNode, path: string, nodes: Map<string, NodeDef>, mns: Map<string, MobileNodeDef>): ScenarioEvent {
  const pre = r.map(node, path);
  const kindNode = pre.get('event')?.value;
  if (!pre.has('event')) r.fail(node, path, `missing "event" (one of: ${Object.keys(EVENT_KEYS).join(', ')})`);
  const kind = r.oneOf(kindNode, `${path}.event`, Object.keys(EVENT_KEYS) as (keyof typeof EVENT_KEYS)[]);
  const m = r.map(node, path, [...COMMON_KEYS, ...EVENT_KEYS[kind]!]);
  const at = (k: string) => m.get(k)?.value;
  if (!m.has('at')) r.fail(node, path, 'missing "at" (when the event happens, e.g. 0, 1.5, "250ms")');
  if (!m.has('mn')) r.fail(node, path, 'missing "mn" (a name from mobile_nodes)');
  const mn = r.str(at('mn'), `${path}.mn`);
  if (!mns.has(mn)) r.fail(at('mn'), `${path}.mn`, `unknown mobile node "${mn}" (defined: ${[...mns.keys()].join(', ')})`);
  const base = {
    at: r.time(at('at'), `${path}.at`),
    mn,
    overrides: m.has('overrides') ? parseOverrides(r, at('overrides')!, `${path}.overrides`, kind === 'traffic' ? ['uplink', 'downlink'] : ['pbu', 'pba']) : {},
    faults: m.has('faults') ? parseFaults(r, at('faults')!, `${path}.faults`, kind) : [],
    pos: r.pos(node),
  };
  const magOf = (): string => {
    if (!m.has('mag')) r.fail(node, path, `missing "mag" (a node with role "mag")`);
    const s = r.str(at('mag'), `${path}.mag`);
    if (nodes.get(s)?.role !== 'mag') r.fail(at('mag'), `${path}.mag`, `"${s}" is not a node with role "mag"`);
    return s;
  };
  const reg = (): RegistrationFields => ({
    gre: m.has('gre') ? r.oneOf<GreMode>(at('gre'), `${path}.gre`, ['keys', 'gre-only', 'none']) : undefined,
    tlv: m.has('tlv') ? r.bool(at('tlv'), `${path}.tlv`) : undefined,
    transport: m.has('transport') ? r.oneOf<Transport>(at('transport'), `${path}.transport`, ['ipv6', 'ipv4-udp']) : undefined,
    dlKey: m.has('dl_key') ? r.int(at('dl_key'), `${path}.dl_key`, 0, 0xffffffff) : undefined,
    lifetime: m.has('lifetime') ? r.int(at('lifetime'), `${path}.lifetime`, 0, 262140) : undefined,
    response: m.has('response') ? parseResponse(r, at('response')!, `${path}.response`) : undefined,
  });
  switch (kind) {
    case 'attach':
      return { ...base, ...reg(), kind, mag: magOf(), hi: m.has('hi') ? r.int(at('hi'), `${path}.hi`, 0, 255) : undefined } satisfies AttachEvent;
    case 'handoff':
      return { ...base, ...reg(), kind, mag: magOf(), hi: m.has('hi') ? r.int(at('hi'), `${path}.hi`, 0, 255) : undefined };
    case 'reregister':
      return { ...base, ...reg(), kind };
    case 'detach':
      return { ...base, kind, response: m.has('response') ? parseResponse(r, at('response')!, `${path}.response`) : undefined };
    default:
      return { ...base, kind: 'traffic', flows: parseFlows(r, m, node, path) };
  }
}

function parseResponse(r: Reader, node: YNode, path: string): ResponseDef {
  const m = r.map(node, path, ['status', 'ul_key', 'grekey', 't', 'lifetime']);
  const at = (k: string) => m.get(k)?.value;
  return {
    status: m.has('status') ? r.int(at('status'), `${path}.status`, 0, 255) : undefined,
    ulKey: m.has('ul_key') ? r.int(at('ul_key'), `${path}.ul_key`, 0, 0xffffffff) : undefined,
    grekey: m.has('grekey') ? r.oneOf(at('grekey'), `${path}.grekey`, ['key', 'no-key', 'none'] as const) : undefined,
    t: m.has('t') ? r.bool(at('t'), `${path}.t`) : undefined,
    lifetime: m.has('lifetime') ? r.int(at('lifetime'), `${path}.lifetime`, 0, 262140) : undefined,
  };
}

function parseOverrides(r: Reader, node: YNode, path: string, allowed: string[]): Overrides {
  const m = r.map(node, path, allowed);
  const out: Overrides = {};
  for (const [which, { value }] of m) {
    const fields: Record<string, unknown> = {};
    for (const [field, fv] of r.map(value, `${path}.${which}`)) {
      if (!isOverrideField(field)) {
        r.fail(fv.key, `${path}.${which}`, `unknown field "${field}" (use Wireshark field names such as ip.ttl, gre.key, mip6.ba.status; "inner." for the tunnelled packet)`);
      }
      fields[field] = r.scalar(fv.value, `${path}.${which}.${field}`);
    }
    out[which as keyof Overrides] = fields;
  }
  return out;
}

function parseFaults(r: Reader, node: YNode, path: string, kind: string): string[] {
  const list = isSeq(node) ? r.seq(node, path) : [node];
  return list.map((n, i) => {
    const p = isSeq(node) ? `${path}[${i}]` : path;
    const s = r.str(n, p);
    const f = FAULTS.find((x) => x.name === s);
    if (!f) r.fail(n, p, `unknown fault "${s}" (see gretool generate --list-faults)`);
    const data = f.target === 'uplink' || f.target === 'downlink' || f.target === 'data';
    if (f.target === 'session') r.fail(n, p, `fault "${s}" concerns whole sessions: give it on the command line (--fault ${s})`);
    if (kind === 'traffic' && !data) r.fail(n, p, `fault "${s}" changes ${f.target === 'pbu' ? 'PBUs' : 'PBAs'}: put it on an attach, reregister, handoff or detach event`);
    if (kind !== 'traffic' && data) r.fail(n, p, `fault "${s}" changes data packets: put it on a traffic event`);
    return s;
  });
}

function parseFlows(r: Reader, m: Map<string, { key: YNode; value: YNode | null }>, node: YNode, path: string): FlowDef[] {
  const at = (k: string) => m.get(k)?.value;
  const rate = m.has('rate') ? r.num(at('rate'), `${path}.rate`, 1e-6, 1e9) : 10;
  if (m.has('count') && m.has('duration')) r.fail(at('duration'), path, 'give either "count" or "duration", not both');
  let count = m.has('count') ? r.int(at('count'), `${path}.count`, 1, 1e9) : 1;
  if (m.has('duration')) count = Math.max(1, Math.floor((r.time(at('duration'), `${path}.duration`) / NS) * rate + 1e-9));
  const sizes = m.has('size') ? parseSizes(r, at('size')!, `${path}.size`) : [200];
  const direction = m.has('direction') ? r.oneOf<Direction>(at('direction'), `${path}.direction`, ['both', 'uplink', 'downlink']) : 'both';
  const port = m.has('port') ? r.int(at('port'), `${path}.port`, 1, 65535) : undefined;
  const base = { rate, count, sizes, direction };
  if (!m.has('flows')) r.fail(node, path, 'missing "flows" (e.g. [udp4, tcp6, icmp4] or "all")');
  const fnode = at('flows')!;
  const items = isSeq(fnode) ? r.seq(fnode, `${path}.flows`) : [fnode];
  const flows: FlowDef[] = [];
  items.forEach((it, i) => {
    const p = `${path}.flows[${i}]`;
    if (isScalar(it)) {
      const s = r.str(it, p);
      if (s === 'all') {
        for (const [proto, ip] of ALL_FLOWS) flows.push({ ...base, proto, ip, port: port ?? DEFAULT_PORT[proto] });
        return;
      }
      const mm = FLOW_SHORTHAND.exec(s);
      if (!mm) r.fail(it, p, `"${s}" is not a flow (udp4, udp6, tcp4, tcp6, icmp4, icmp6, all, or a mapping)`);
      const proto = mm[1] as FlowProto;
      flows.push({ ...base, proto, ip: Number(mm[2]) as 4 | 6, port: port ?? DEFAULT_PORT[proto] });
      return;
    }
    const f = r.map(it, p, ['proto', 'ip', 'rate', 'count', 'duration', 'size', 'direction', 'port']);
    const g = (k: string) => f.get(k)?.value;
    if (!f.has('proto')) r.fail(it, p, 'missing "proto" (udp, tcp or icmp)');
    const proto = r.oneOf<FlowProto>(g('proto'), `${p}.proto`, ['udp', 'tcp', 'icmp']);
    const frate = f.has('rate') ? r.num(g('rate'), `${p}.rate`, 1e-6, 1e9) : rate;
    let fcount = f.has('count') ? r.int(g('count'), `${p}.count`, 1, 1e9) : count;
    if (f.has('duration')) fcount = Math.max(1, Math.floor((r.time(g('duration'), `${p}.duration`) / NS) * frate + 1e-9));
    flows.push({
      proto,
      ip: f.has('ip') ? ipVersion(r, g('ip')!, `${p}.ip`) : 4,
      rate: frate,
      count: fcount,
      sizes: f.has('size') ? parseSizes(r, g('size')!, `${p}.size`) : sizes,
      direction: f.has('direction') ? r.oneOf<Direction>(g('direction'), `${p}.direction`, ['both', 'uplink', 'downlink']) : direction,
      port: f.has('port') ? r.int(g('port'), `${p}.port`, 1, 65535) : port ?? DEFAULT_PORT[proto],
    });
  });
  return flows;
}

function ipVersion(r: Reader, node: YNode, path: string): 4 | 6 {
  const v = r.scalar(node, path);
  if (v === 4 || v === 6 || v === '4' || v === '6') return Number(v) as 4 | 6;
  r.fail(node, path, `expected 4 or 6, got ${describe(node)}`);
}

function parseSizes(r: Reader, node: YNode, path: string): number[] {
  const items = isSeq(node) ? r.seq(node, path) : [node];
  if (items.length === 0) r.fail(node, path, 'expected at least one size');
  return items.map((n, i) => r.int(n, isSeq(node) ? `${path}[${i}]` : path, 20, 65535));
}

/** Checks the order of events per mobile node: attach before anything, no double attach, ... */
function checkSequence(r: Reader, sorted: ScenarioEvent[], nodesYaml: YNode[], original: ScenarioEvent[], nodes: Map<string, NodeDef>, mns: Map<string, MobileNodeDef>): void {
  const nodeOf = (e: ScenarioEvent) => nodesYaml[original.indexOf(e)]!;
  const attached = new Map<string, string | null>();
  for (const e of sorted) {
    const where = nodeOf(e);
    const path = `timeline[${original.indexOf(e)}]`;
    const cur = attached.get(e.mn) ?? null;
    switch (e.kind) {
      case 'attach':
        if (cur) r.fail(where, path, `mobile node "${e.mn}" is already attached (to ${cur}) at this time: use "handoff" or "reregister"`);
        checkTransport(r, where, path, e.transport ?? (nodes.get(e.mag) as MagDef).transport, e.mag, mns.get(e.mn)!.lma, nodes);
        attached.set(e.mn, e.mag);
        break;
      case 'handoff':
        if (!cur) r.fail(where, path, `mobile node "${e.mn}" is not attached at this time: use "attach" first`);
        if (cur === e.mag) r.fail(where, path, `a handoff needs a different MAG (the mobile node is already on ${cur}): use "reregister"`);
        checkTransport(r, where, path, e.transport ?? (nodes.get(e.mag) as MagDef).transport, e.mag, mns.get(e.mn)!.lma, nodes);
        attached.set(e.mn, e.mag);
        break;
      case 'reregister':
      case 'detach':
        if (!cur) r.fail(where, path, `mobile node "${e.mn}" is not attached at this time: use "attach" first`);
        if (e.kind === 'detach') attached.set(e.mn, null);
        break;
      default:
        break;
    }
  }
}

function checkTransport(r: Reader, where: YNode, path: string, transport: Transport, mag: string, lma: string, nodes: Map<string, NodeDef>): void {
  const fam = transport === 'ipv6' ? 'ipv6' : 'ipv4';
  for (const n of [mag, lma]) {
    if (!nodes.get(n)![fam]) r.fail(where, path, `transport ${transport} needs an "${fam}" address on node "${n}"`);
  }
}

/** Reads and parses a scenario file. */
export function loadScenarioFile(path: string, displayName = path): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GretoolError('SCENARIO', `cannot read scenario file ${displayName}: ${(err as Error).message}`);
  }
  return parseScenario(text, displayName);
}

