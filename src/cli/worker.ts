// `cutover worker`: take the jobs of distributed runs (`cutover run --distributed`) until stopped.
import type { Command } from 'commander';
import { action, connectionOptions, connections, parseIntOption, printJson, type GlobalOpts } from './common.ts';
import { log } from '../core/log.ts';

interface WorkerOpts extends GlobalOpts {
  concurrency?: number;
  verbose?: boolean;
}

export function registerWorker(program: Command) {
  connectionOptions(program.command('worker'))
    .description('take the jobs of distributed runs (`cutover run --distributed`) from the target database until stopped (Ctrl-C / SIGTERM finish the running jobs first); start any number, on any machine that reaches the target and the sources')
    .option('--concurrency <n>', 'jobs run at once in this process (default 2)', parseIntOption('--concurrency'))
    .option('--verbose', 'log every job')
    .option('--json', 'print what this worker did as one JSON document when it stops')
    .action(action(async (opts: WorkerOpts) => {
      const c = await connections(opts);
      const controller = new AbortController();
      const onSignal = (sig: string) => () => { log.warn(`${sig}: finishing the running jobs, then stopping`); controller.abort(); };
      const onInt = onSignal('SIGINT');
      const onTerm = onSignal('SIGTERM');
      process.once('SIGINT', onInt);
      process.once('SIGTERM', onTerm);
      try {
        const { runWorker } = await import('../distributed/index.ts');
        const stats = await runWorker(c, { concurrency: opts.concurrency, verbose: opts.verbose, signal: controller.signal });
        if (opts.json) printJson(stats);
        return stats.stoppedBy === 'signal' ? 0 : 1;
      } finally {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      }
    }));
}
