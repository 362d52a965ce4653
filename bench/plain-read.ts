// The reconcile's ceiling as its own process, so that it runs as `cutover reconcile` does: a fresh
// process with the CLI's Node flags (bench/run.ts starts both the same way), timed on its own
// clock. Prints the plainRead result as JSON; the peak RSS goes to stderr as the CLI's does.
import { plainRead } from '../src/reconcile/index.ts';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const result = await plainRead({ databaseUrl: env('CUTOVER_DATABASE_URL'), crisUrl: env('CUTOVER_CRIS_URL'), crimintDir: env('CUTOVER_CRIMINT_DIR') });
process.stdout.write(`${JSON.stringify(result)}\n`);
process.stderr.write(`cutover-maxrss-mb=${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`);
