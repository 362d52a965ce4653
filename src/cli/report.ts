import type { Command } from 'commander';
import path from 'node:path';
import { action, connectionOptions, connections, TARGET_ONLY, printJson, type GlobalOpts } from './common.ts';
import { writeReport, runGate, gateLines } from '../report/index.ts';
import { retentionBacklog } from '../report/retention.ts';
import { saveResult } from '../report/store.ts';

export function registerReport(program: Command) {
  connectionOptions(program.command('report'))
    .description('assemble the latest run and check results into the board report: index.html, summary.json, summary.md, junit.xml')
    .option('--out <dir>', 'output folder', 'reports/latest')
    .option('--config <gate.json>', 'gate thresholds (default: the strict ones)')
    .option('--json', 'print the summary as one JSON document')
    .action(action(async (o: GlobalOpts & { out: string; config?: string }) => {
      const c = await connections(o, TARGET_ONLY);
      const retention = await retentionBacklog(c.databaseUrl);
      saveResult('retention', true, retention);
      const r = writeReport({ outDir: o.out, gateConfig: o.config, provenance: { sources: { target: c.databaseUrl, CRIS: c.crisUrl, CRIMINT: c.crimintDir } } });
      if (o.json) printJson(r.summary);
      else {
        for (const l of gateLines(r.gate)) console.log(l);
        console.log(`report: ${path.relative(process.cwd(), r.files.html) || r.files.html}`);
      }
    }));

  program.command('gate')
    .description('go/no-go: check the latest results against the thresholds; exit 0 go, 1 no-go (every criterion that fell short is listed)')
    .option('--config <gate.json>', 'gate thresholds (default: the strict ones)')
    .option('--json', 'print one JSON document')
    .action(action(async (o: { config?: string; json?: boolean }) => {
      const { gate } = runGate({ gateConfig: o.config });
      if (o.json) printJson(gate);
      else for (const l of gateLines(gate)) console.log(l);
      return gate.go ? 0 : 1;
    }));
}
