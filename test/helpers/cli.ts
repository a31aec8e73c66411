/** Shared test helpers: repository paths, running the built CLI, temporary files, tshark. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + start);
    dir = up;
  }
  return dir;
}

/** The repository root (works from test/ under tsx and from dist/test/ when built). */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const BIN = join(ROOT, 'bin', 'gretool.js');
export const SAMPLES = join(ROOT, 'samples');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

/** Runs the built CLI (bin/gretool.js → dist/) with the given arguments. */
export function gretool(args: string[], opts: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    maxBuffer: 1 << 30,
    ...opts,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...(opts.env ?? {}) },
  });
  const out = (r.stdout ?? Buffer.alloc(0)) as Buffer;
  return {
    status: r.status ?? -1,
    stdout: out.toString('utf8'),
    stdoutBytes: out,
    stderr: (r.stderr ?? '').toString(),
  };
}

/** Runs an external program (tshark, capinfos, editcap); throws if it cannot be started. */
export function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, ...opts });
  if (r.error) throw r.error;
  const out = (r.stdout ?? Buffer.alloc(0)) as Buffer;
  return { status: r.status ?? -1, stdout: out.toString('utf8'), stdoutBytes: out, stderr: (r.stderr ?? '').toString() };
}

/** True when a program is on PATH. In CI (CI=true) a missing oracle is a failure, not a skip. */
export function haveTool(name: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${name}`]);
  const ok = r.status === 0;
  if (!ok && process.env.CI) throw new Error(`${name} is required in CI but is not installed`);
  return ok;
}

export function tempDir(prefix = 'gretool-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function rel(...parts: string[]): string {
  return resolve(ROOT, ...parts);
}
