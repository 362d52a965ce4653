// The verdict: totals of every kind of defect, and one line per failure naming the entity, the
// key and the field, for logs and the CLI. Anything missing, unexpected or mismatched fails.
import { describeMismatches } from '../sources/json-export.ts';
import { linkDefects } from './links.ts';
import { outcomeDefects } from './outcomes.ts';
import type { ReconcileResult, ReconcileSummary } from './types.ts';

type Parts = Pick<ReconcileResult, 'controlTotals' | 'entities' | 'links' | 'untraced'> & { unplannedLinks: string[] };

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v) : String(v));

export function summarise(r: Parts): { summary: ReconcileSummary; problems: string[]; ok: boolean } {
  const s: ReconcileSummary = {
    entities: r.entities.length, sourceRecords: 0, targetRows: 0, missing: 0, unexpected: 0, mismatchedFields: 0,
    lineageChanged: 0, outcomeDefects: 0, linkDefects: 0, profileDifferences: 0, conservationFailures: 0, controlTotalFailures: 0, errors: 0,
  };
  const p: string[] = [];
  const m = r.controlTotals.manifest;
  if (m && !m.ok) {
    s.controlTotalFailures += m.error ? 1 : m.files.filter((f) => !f.ok).length;
    if (m.error) p.push(`control totals: CRIMINT manifest in ${m.dir}: ${m.error}`);
    for (const line of describeMismatches(m.files)) p.push(`control totals: CRIMINT ${line}`);
  }
  for (const c of r.controlTotals.conservation) {
    if (c.ok) continue;
    s.conservationFailures++;
    const t = c.target;
    p.push(`conservation ${c.step}: source ${c.source ?? '?'} ≠ loaded ${t.loaded} + quarantined ${t.quarantined} + excluded ${t.excluded} + superseded ${t.superseded}${t.erased ? ` + erased ${t.erased}` : ''} = ${t.total} (target tables)`);
  }
  for (const e of r.entities) {
    s.sourceRecords += e.outcomes.read;
    if (e.error) {
      s.errors++;
      p.push(`${e.step}: not compared: ${e.error}`);
    }
    const o = e.outcomes;
    s.outcomeDefects += outcomeDefects(o);
    for (const x of o.unaccounted.examples) p.push(`${e.step} ${x.key}: no outcome recorded in the target (expected ${x.expected})`);
    for (const x of o.mismatched.examples) p.push(`${e.step} ${x.key}: outcome ${x.actual}, expected ${x.expected}`);
    for (const x of o.unexpected.examples) p.push(`${e.step} ${x.key}: ${x.actual}`);
    for (const t of e.tables) {
      s.targetRows += t.target;
      s.missing += t.missing.count;
      s.unexpected += t.unexpected.count;
      s.lineageChanged += t.lineageChanged.count;
      for (const x of t.missing.examples) p.push(`${e.step} ${t.table} ${x.key}: missing in target (${x.reason})`);
      for (const x of t.unexpected.examples) p.push(`${e.step} ${t.table} ${x.key}: unexpected in target (${x.reason})`);
      for (const x of t.lineageChanged.examples) p.push(`${e.step} ${t.table} ${x.key}: lineage points to ${x.actualId}, expected ${x.expectedId}`);
      for (const f of t.fields) {
        s.mismatchedFields += f.mismatches;
        for (const x of f.examples) p.push(`${e.step} ${t.table} ${x.key} ${f.column}: expected ${show(x.expected)}, actual ${show(x.actual)}`);
      }
      for (const pr of t.profiles) {
        if (!pr.differs.length) continue;
        s.profileDifferences++;
        p.push(`${e.step} ${t.table}.${pr.column} profile differs (${pr.differs.join(', ')}): expected ${JSON.stringify(pick(pr.expected, pr.differs))}, actual ${JSON.stringify(pick(pr.actual, pr.differs))}`);
      }
    }
  }
  for (const l of r.links) {
    s.linkDefects += linkDefects(l);
    s.targetRows += l.target;
    for (const x of l.missing.examples) p.push(`${l.step} ${l.table} ${x.key}: link missing in target (${x.reason})`);
    for (const x of l.unexpected.examples) p.push(`${l.step} ${l.table} ${x.key}: unexpected link ${JSON.stringify(x.link)} (${x.reason})`);
    for (const f of l.fields) for (const x of f.examples) p.push(`${l.step} ${l.table} ${x.key} ${f.column}: expected ${show(x.expected)}, actual ${show(x.actual)}`);
  }
  for (const u of r.untraced) {
    s.unexpected += u.count;
    p.push(`${u.table}: ${u.count} unexpected row(s): ${u.reason} (e.g. ${u.examples.slice(0, 3).join(', ')})`);
  }
  for (const t of r.unplannedLinks) {
    s.errors++;
    p.push(`links to ${t} are written by a mapping but not traced by the reconciliation (add a LINK_PLAN entry)`);
  }
  const ok = s.missing + s.unexpected + s.mismatchedFields + s.lineageChanged + s.outcomeDefects + s.linkDefects +
    s.profileDifferences + s.conservationFailures + s.controlTotalFailures + s.errors === 0;
  return { summary: s, problems: p, ok };
}

function pick(o: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));
}
