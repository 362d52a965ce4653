import type { Command } from 'commander';
import path from 'node:path';
import { action, connectionOptions, connections, TARGET_ONLY, printJson, type GlobalOpts } from './common.ts';
import { writeReport, runGate, gateLines, loadTargetResults, digestLine } from '../report/index.ts';
import { retentionBacklog } from '../report/retention.ts';
import { writeEngineersReport } from '../report/engineers.ts';
import { ConfigError } from '../core/problems.ts';
import { recordHead } from '../audit/anchored.ts';
import { beginCheck } from '../checks/record.ts';
import type { Connections } from '../db/config.ts';

/** The provenance `report` and `gate` both give, so that both print the same digest for the same results. */
const provenanceOf = (c: Connections) => ({ sources: { target: c.databaseUrl, CRIS: c.crisUrl, CRIMINT: c.crimintDir } });

export function registerReport(program: Command) {
  connectionOptions(program.command('report'))
    .description('assemble the latest run and check results of this target into the board report: index.html, summary.json, summary.md, junit.xml')
    .option('--out <dir>', 'output folder', 'reports/latest')
    .option('--config <gate.json>', 'gate thresholds (default: the strict ones)')
    .option('--personal-data', 'instead: the engineers\' report — the examples with their references resolved (names, dates of birth, parameters), in --out, logged as a disclosure; needs --actor and --justification')
    .option('--actor <user>', 'with --personal-data: who asks')
    .option('--justification <text>', 'with --personal-data: why')
    .option('--json', 'print the summary as one JSON document')
    .action(action(async (o: GlobalOpts & { out: string; config?: string; personalData?: boolean; actor?: string; justification?: string }, cmd: Command) => {
      const c = await connections(o, TARGET_ONLY);
      if (o.personalData) {
        if (cmd.getOptionValueSource('out') !== 'cli') throw new ConfigError('--personal-data needs its own --out DIR', 'give a folder apart from the board\'s report, e.g. --out reports/engineers');
        const r = await writeEngineersReport({ databaseUrl: c.databaseUrl, outDir: o.out, actor: o.actor ?? '', justification: o.justification ?? '' });
        if (o.json) printJson(r);
        else console.log(`engineers' report (PERSONAL DATA, ${r.examples} examples, disclosure logged at audit seq ${r.auditSeq}): ${path.relative(process.cwd(), r.files.html) || r.files.html}`);
        return;
      }
      const retention = await beginCheck(c.databaseUrl);
      retention.save('retention', true, await retentionBacklog(c.databaseUrl));
      await recordHead(c.databaseUrl, 'report'); // the head, kept outside the target: a later cut from the log is caught
      const r = writeReport({ outDir: o.out, gateConfig: o.config, target: await loadTargetResults(c.databaseUrl), provenance: provenanceOf(c) });
      if (o.json) printJson(r.summary);
      else {
        for (const l of gateLines(r.gate)) console.log(l);
        console.log(digestLine(r.summary.digest));
        console.log(`report: ${path.relative(process.cwd(), r.files.html) || r.files.html}`);
      }
    }));

  connectionOptions(program.command('gate'))
    .description('go/no-go: check the latest results of this target against the thresholds; exit 0 go, 1 no-go (every criterion that fell short is listed)')
    .option('--config <gate.json>', 'gate thresholds (default: the strict ones)')
    .option('--json', 'print one JSON document')
    .action(action(async (o: GlobalOpts & { config?: string }) => {
      const c = await connections(o, TARGET_ONLY);
      const { gate, summary } = runGate({ gateConfig: o.config, target: await loadTargetResults(c.databaseUrl), provenance: provenanceOf(c) });
      if (o.json) printJson({ ...gate, digest: summary.digest });
      else {
        for (const l of gateLines(gate)) console.log(l);
        console.log(digestLine(summary.digest));
      }
      return gate.go ? 0 : 1;
    }));
}
