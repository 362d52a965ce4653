// Real `cutover` processes for the distributed tests: workers and runs against one target.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Connections } from '../../src/db/config.ts';

const BIN = path.resolve('bin/cutover.js');

export interface Proc {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function cutover(args: string[], c: Connections): Proc {
  const child = spawn(process.execPath, [BIN, ...args, '--database-url', c.databaseUrl, '--cris-url', c.crisUrl, '--crimint-dir', c.crimintDir], {
    env: { ...process.env, CI: '1', CUTOVER_QUIET: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, pid: child.pid!, stdout: () => out, stderr: () => err, exited };
}

export function worker(c: Connections): Proc {
  return cutover(['worker', '--verbose'], c);
}

/** Stop workers as an operator would (SIGTERM: finish the running jobs, then exit). */
export async function stopAll(procs: Proc[]): Promise<void> {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
}

export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
