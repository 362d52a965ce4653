import type { Command } from 'commander';
import { action, connectionOptions, connections, TARGET_ONLY, printJson, type GlobalOpts } from './common.ts';
import { restrict, erase, residualScan, subjectAccess } from '../privacy/index.ts';
import { openCrisSource, openCrimintSource } from '../sources/index.ts';
import { beginCheck } from '../checks/record.ts';
import { ConfigError } from '../core/problems.ts';

interface Who extends GlobalOpts {
  actor?: string;
  justification?: string;
}

function requireWho(o: Who): { actor: string; justification: string } {
  if (!o.actor || !o.justification) throw new ConfigError('--actor and --justification are required', 'say who does this and why: both are written to the audit log (DPA 2018 s.62)');
  return { actor: o.actor, justification: o.justification };
}

/** The privacy commands: restrict, erase, residual-scan, sar. */
export function registerPrivacy(program: Command) {
  registerRestrict(program);
  registerErase(program);
  registerResidualScan(program);
  registerSar(program);
}

function registerRestrict(program: Command) {
  connectionOptions(program.command('restrict'))
    .description('restrict processing of a person or event (hidden from searches S01–S19, kept for subject access), or lift it')
    .option('--person <id>', 'target id of the person')
    .option('--event <id>', 'target id of the event')
    .option('--actor <user>', 'who restricts (audit actor)')
    .option('--justification <text>', 'why (audit justification)')
    .option('--lift', 'lift the restriction')
    .option('--json', 'print one JSON document')
    .action(action(async (o: Who & { person?: string; event?: string; lift?: boolean }) => {
      if (Boolean(o.person) === Boolean(o.event)) throw new ConfigError('give exactly one of --person ID and --event ID');
      const c = await connections(o, TARGET_ONLY);
      const r = await restrict({ url: c.databaseUrl, person: o.person, event: o.event, lift: o.lift, ...requireWho(o) });
      if (o.json) printJson(r);
      else console.log(`${r.entityType} ${r.id}: ${r.restricted ? 'restricted' : 'not restricted'}${r.changed ? ` (audit seq ${r.auditSeq})` : ' (already so; nothing written)'}`);
    }));
}

function registerErase(program: Command) {
  connectionOptions(program.command('erase'))
    .description('physically erase a person: rows, names, links, private locations and objects, lineage, quarantined raw records; one erasure audit event')
    .requiredOption('--person <id>', 'target id of the person')
    .option('--actor <user>', 'who erases (audit actor)')
    .option('--justification <text>', 'why (audit justification; must not contain the person\'s identifiers)')
    .option('--json', 'print one JSON document')
    .action(action(async (o: Who & { person: string }) => {
      const c = await connections(o, TARGET_ONLY);
      const rec = await beginCheck(c.databaseUrl);
      const r = await erase({ url: c.databaseUrl, person: o.person, ...requireWho(o) });
      await rec.saveAfterWrite('erasure', true, r);
      if (o.json) printJson(r);
      else {
        console.log(`erased person ${r.person} (erasure ${r.erasureId}, audit seq ${r.auditSeq})`);
        for (const [t, n] of Object.entries(r.removed)) if (n) console.log(`  removed ${String(n).padStart(6)} ${t}`);
        console.log(`  kept: ${JSON.stringify(r.kept)}`);
        console.log(`run \`cutover residual-scan --person ${r.person}\` to prove nothing is left`);
      }
    }));
}

function registerResidualScan(program: Command) {
  connectionOptions(program.command('residual-scan'))
    .description('after an erasure: search every text and jsonb column of record, migration and audit for the person\'s identifiers (exit 1 on any hit)')
    .requiredOption('--person <id>', 'target id of the erased person')
    .option('--json', 'print one JSON document')
    .action(action(async (o: GlobalOpts & { person: string }) => {
      const c = await connections(o, TARGET_ONLY);
      const rec = await beginCheck(c.databaseUrl);
      const r = await residualScan({ url: c.databaseUrl, person: o.person });
      rec.save('residual-scan', r.ok, r);
      if (o.json) printJson(r);
      else {
        console.log(`residual scan for ${r.person}: ${r.ok ? 'CLEAN' : `${r.hitCount} HIT(S)`} — ${r.coverage.tables} tables, ${r.coverage.columns} columns, ${r.coverage.rowsExamined.toLocaleString('en-GB')} rows in ${(r.ms / 1000).toFixed(1)} s`);
        for (const h of r.hits) console.log(`  HIT ${h.kind.padEnd(12)} ${h.table}.${h.column} ${JSON.stringify(h.key)}`);
        if (r.retainedCount) console.log(`  ${r.retainedCount} reference(s) retained in the append-only audit log (s.62), listed in --json`);
      }
      return r.ok ? 0 : 1;
    }));
}

function registerSar(program: Command) {
  connectionOptions(program.command('sar'))
    .description('answer a subject-access request (s.45): sar.json and a printable sar.html; logged as a disclosure')
    .requiredOption('--surname <s>', 'surname')
    .requiredOption('--forenames <f>', 'forenames')
    .requiredOption('--dob <d>', 'date of birth, dd/mm/yyyy (00 for an unknown day or month) or YYYY-MM-DD')
    .option('--out <dir>', 'output folder', 'reports/sar')
    .option('--actor <user>', 'who answers (audit actor)', 'cutover')
    .option('--parity', 'compare with the legacy oracle\'s S20 answer; exit 1 on any record missing or extra')
    .option('--json', 'print one JSON document')
    .action(action(async (o: GlobalOpts & { surname: string; forenames: string; dob: string; out: string; actor: string; parity?: boolean }) => {
      const c = await connections(o, { target: true, cris: Boolean(o.parity) });
      const sources = o.parity ? { crisSource: openCrisSource(c.crisUrl), crimintSource: openCrimintSource(c.crimintDir) } : undefined;
      try {
        const rec = await beginCheck(c.databaseUrl, o.parity ? c : {});
        const r = await subjectAccess({ url: c.databaseUrl, surname: o.surname, forenames: o.forenames, dob: o.dob, outDir: o.out, actor: o.actor, parity: sources });
        const ok = r.parity ? r.parity.ok : true;
        await rec.saveAfterWrite('sar', ok, r); // the answer is logged as a disclosure: bound to the state after it
        if (o.json) printJson(r);
        else {
          console.log(`subject access response written: ${r.files.html} and ${r.files.json} (${JSON.stringify(r.counts)})`);
          if (r.parity) console.log(`parity with the legacy S20 answer: ${r.parity.ok ? 'OK' : 'DIFFERS'} (legacy ${r.parity.legacyCount}, target ${r.parity.targetCount}, missing ${r.parity.missing.length}, extra ${r.parity.extra.length})`);
        }
        return ok ? 0 : 1;
      } finally {
        await sources?.crisSource.close();
        await sources?.crimintSource.close();
      }
    }));
}
