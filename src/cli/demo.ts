import type { Command } from 'commander';
import path from 'node:path';
import { action, connectionOptions, connections, parseIntOption, printJson, type GlobalOpts } from './common.ts';
import { runDemo } from '../checks/demo.ts';
import { gateLines } from '../report/index.ts';
import { ConfigError } from '../core/problems.ts';

export function registerDemo(program: Command) {
  connectionOptions(program.command('demo'))
    .description('the main job end to end (npm start): generate, migrate, reconcile, parity, audit checks, a sample erasure and SAR, report, gate')
    .option('--scale <n>', 'CRIS crime reports to generate (about 9.5 legacy records each)', parseIntOption('--scale'), 5000)
    .option('--seed <s>', 'random seed', '2026')
    .option('--degraded', 'check search against the degraded target profile, to show what a no-go looks like')
    .option('--out <dir>', 'report folder', '')
    .option('--reset', 'allow the demo to empty a target given by URL (it always empties the embedded one)')
    .option('--json', 'print the result as one JSON document')
    .action(action(async (o: GlobalOpts & { scale: number; seed: string; degraded?: boolean; out: string; reset?: boolean }) => {
      const c = await connections(o);
      if (!c.embedded && !o.reset) throw new ConfigError('the demo empties the target database first', 'use the embedded default (no URLs), or add --reset to confirm');
      const outDir = o.out || path.join('reports', o.degraded ? 'demo-degraded' : 'demo');
      const r = await runDemo(c, { scale: o.scale, seed: o.seed, degraded: o.degraded, outDir });
      if (o.json) printJson({ ...r, summary: undefined });
      else {
        console.log(`\nCutover demo finished in ${r.seconds.toFixed(0)} s (scale ${o.scale}, ${Number(r.generated.total).toLocaleString('en-GB')} legacy records)`);
        for (const [name, ch] of Object.entries(r.checks)) console.log(`  ${ch.ok ? '✓' : '✗'} ${name.padEnd(28)} ${ch.note}`.slice(0, 200));
        for (const l of gateLines(r.gate)) console.log(l);
        console.log(`\nThe board's report: ${path.resolve(r.report)}`);
      }
      return r.gate.go ? 0 : 1;
    }));
}
