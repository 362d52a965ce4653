import type { Command } from 'commander';
import path from 'node:path';
import { action, connectionOptions, connections, TARGET_ONLY, printJson, type GlobalOpts } from './common.ts';
import { writeReport, runGate, gateLines, loadTargetResults, digestLine, loadHistory, trendRows, readTarget, type Rehearsal } from '../report/index.ts';
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
    .option('--history', 'print the rehearsal history of this target (every report kept: verdicts, quarantine share, parity, missing/mismatched/lost, phase durations) instead of writing a report')
    .option('--json', 'print the summary (with --history: the rehearsals) as one JSON document')
    .action(action(async (o: GlobalOpts & { out: string; config?: string; personalData?: boolean; actor?: string; justification?: string; history?: boolean }, cmd: Command) => {
      const c = await connections(o, TARGET_ONLY);
      if (o.history) {
        const target = await readTarget(c.databaseUrl);
        const { rehearsals, unreadable } = loadHistory(target.id);
        if (o.json) printJson({ target: { id: target.id, ...target.identity }, rehearsals, unreadable });
        else printHistory(target.identity.database, rehearsals, unreadable);
        return;
      }
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

/** The rehearsal history as a plain table: one row per measure, one column per rehearsal. */
function printHistory(database: string, rehearsals: Rehearsal[], unreadable: string[]) {
  if (!rehearsals.length) {
    console.log(`no rehearsal kept for ${database} yet: \`cutover report\` keeps one each time`);
    return;
  }
  console.log(`${rehearsals.length} rehearsal${rehearsals.length === 1 ? '' : 's'} of ${database}${rehearsals.length === 1 ? ' (the trend appears from the second)' : ''}`);
  const cols = rehearsals.map((r, i) => `#${i + 1} ${r.at.slice(0, 16).replace('T', ' ')}`);
  const LIGHT: Record<string, string> = { green: 'OK', amber: 'REVIEW', red: 'DEFECT', grey: 'NOT RUN' };
  const show = (measure: string, v: string | number | null) =>
    v === null ? '-' : typeof v === 'number' ? (measure === 'quarantine share' ? `${(v * 100).toFixed(2)}%` : Number.isInteger(v) ? v.toLocaleString('en-GB') : v.toFixed(1)) : LIGHT[v] ?? v;
  const rows = trendRows(rehearsals).map((r) => [`${r.group}: ${r.measure}`, ...r.values.map((v) => show(r.measure, v))]);
  const widths = [Math.max(...rows.map((r) => r[0]!.length)), ...cols.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i + 1]!.length)))];
  console.log(['measure'.padEnd(widths[0]!), ...cols.map((h, i) => h.padStart(widths[i + 1]!))].join('  '));
  for (const r of rows) console.log([r[0]!.padEnd(widths[0]!), ...r.slice(1).map((v, i) => v.padStart(widths[i + 1]!))].join('  '));
  if (unreadable.length) console.log(`unreadable history entries (skipped): ${unreadable.join(', ')}`);
}
