// CPU seconds, for a bound that no schedule can beat: on N cores, work that needs C CPU-seconds
// takes at least C / N seconds of wall clock. Linux only (read from /proc); elsewhere NaN.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Clock ticks per second of /proc's times (sysconf(_SC_CLK_TCK): 100 on every Linux port). */
const TICKS = 100;

interface Times { ppid: number; own: number; reaped: number }

/** utime + stime (own) and cutime + cstime (children waited for) of one process, in ticks. */
function times(pid: number | 'self'): Times | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // the command name may hold spaces and parentheses: the fields start after the last ')'
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(f[i]);
  return { ppid: n(1), own: n(11) + n(12), reaped: n(13) + n(14) };
}

/**
 * CPU seconds a PostgreSQL server has used so far: the postmaster's own, every backend and
 * background process it has reaped, and those still running. The difference between two readings
 * is what the server did between them (all of it: backends, WAL writer, checkpointer, autovacuum).
 */
export function serverCpuSeconds(dataDir: string): number {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return NaN;
  }
  const pm = times(postmaster);
  if (!pm) return NaN;
  let ticks = pm.own + pm.reaped;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const t = times(Number(entry));
    if (t?.ppid === postmaster) ticks += t.own;
  }
  return ticks / TICKS;
}

/** CPU seconds of this process's children that have exited and been waited for (a spawned tool's whole cost). */
export function childrenCpuSeconds(): number {
  const t = times('self');
  return t ? t.reaped / TICKS : NaN;
}

/** CPU seconds used by a server and by this process's children while `fn` ran. */
export async function measureCpu<T>(dataDir: string, fn: () => Promise<T>): Promise<{ value: T; serverCpu: number; clientCpu: number }> {
  const s0 = serverCpuSeconds(dataDir);
  const c0 = childrenCpuSeconds();
  const value = await fn();
  return { value, serverCpu: serverCpuSeconds(dataDir) - s0, clientCpu: childrenCpuSeconds() - c0 };
}
