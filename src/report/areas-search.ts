// Areas built from the parity and subject-access results, read as their schemas parse them
// (src/parity/stored.ts, src/privacy/stored.ts).
import type { Areas, CapabilityT, Light, ParityExampleT } from './schema.ts';
import type { Input } from './read.ts';
import { fmt, pct } from './areas-records.ts';
import type { CapabilityStored } from '../parity/stored.ts';
import type { SarStored } from '../privacy/stored.ts';

type V = CapabilityT['verdict'];

/**
 * The query as the board sees it: the kind of query and the keyed reference of its parameters
 * (`surname + dob · h:3f…`), never the parameters (board-safe.ts stores no more).
 */
const queryText = (q: { queryKind: string; paramsRef: string }): string => `${q.queryKind} · ${q.paramsRef}`;

function capabilityOf(c: CapabilityStored): CapabilityT {
  const examples: ParityExampleT[] = c.examples.slice(0, 20).map((x) => ({
    kind: x.kind,
    query: queryText(x),
    origin: x.origin ?? null,
    note: x.note ?? null,
    identity: x.identity,
    description: null, // a description names the person: the engineers' report has it
  }));
  // the messages were scrubbed of quoted values and parameters when stored (board-safe.ts)
  const errors = c.errors.slice(0, 10).map((e) => ({ query: queryText(e), message: e.message }));
  let reason: string | null;
  if (c.verdict === 'LOST') reason = errors[0]?.message ?? 'the target cannot run this search';
  else if (c.verdict === 'DEGRADED') {
    const bits = [`${fmt(c.queriesShort)} of ${fmt(c.queries)} queries short`];
    if (c.recall.worst < 1) bits.push(`worst recall ${pct(c.recall.worst)}`);
    if (c.precisionWorst < 1) bits.push(`worst precision ${pct(c.precisionWorst)}`);
    reason = bits.join('; ');
  } else reason = c.queries === 0 ? 'no queries ran: the verdict is not evidence' : null;
  // LOST: nothing was measured; the metrics module's numbers over zero queries (recall 1) would mislead
  const measured = c.verdict !== 'LOST';
  const m = (v: number | null) => (measured ? v : null);
  return {
    id: c.id,
    name: c.name,
    verdict: c.verdict,
    queries: c.queries,
    recallMean: m(c.recall.mean),
    recallWorst: m(c.recall.worst),
    precisionMean: m(c.precision),
    precisionWorst: m(c.precisionWorst),
    volumeRatio: m(c.volumeRatio),
    latencyP50Ms: m(c.latencyMs.p50),
    latencyP95Ms: m(c.latencyMs.p95),
    queriesShort: c.queriesShort,
    notMigrated: c.notMigrated,
    reason,
    errors,
    warnings: c.warnings,
    examples,
  };
}

export function searchParityArea(parity: Input<'parity'>): Areas['searchParity'] {
  const r = parity.result;
  const capabilities = (r ? r.capabilities.map(capabilityOf) : []).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const counts = { PARITY: 0, DEGRADED: 0, LOST: 0 };
  for (const c of capabilities) counts[c.verdict]++;
  let light: Light;
  let reason: string;
  const ids = (v: V) => capabilities.filter((c) => c.verdict === v).map((c) => c.id).join(', ');
  if (!parity.present) [light, reason] = ['grey', 'not run: no search parity result stored'];
  else if (r === null) [light, reason] = ['red', `the parity result cannot be read: ${parity.unreadable}`];
  else if (capabilities.length === 0) [light, reason] = ['red', 'the parity result names no capability'];
  else if (counts.LOST) [light, reason] = ['red', `LOST: ${ids('LOST')}${counts.DEGRADED ? `; DEGRADED: ${ids('DEGRADED')}` : ''} (${counts.PARITY} of ${capabilities.length} at PARITY)`];
  else if (counts.DEGRADED) [light, reason] = ['amber', `DEGRADED: ${ids('DEGRADED')} (${counts.PARITY} of ${capabilities.length} at PARITY)`];
  else if (parity.ok === false) [light, reason] = ['red', 'every capability reads PARITY but the parity check itself failed'];
  else [light, reason] = ['green', `all ${capabilities.length} search capabilities at PARITY`];
  return {
    title: 'Search parity', light, reason, inputs: ['parity'],
    counts, capabilities,
    adapter: r ? r.adapter : null,
    queries: r ? r.capabilities.reduce((n, c) => n + c.queries, 0) : null,
    workload: r
      ? { replayed: r.workload.replayed.used, generated: r.workload.generated, invalid: r.workload.invalidCount }
      : { replayed: null, generated: null, invalid: null },
    notMigrated: r ? r.target.notMigrated : null,
  };
}

/** Records in the answer: the person and their other names, events, locations and objects. */
const recordsOf = (r: SarStored): number => r.counts.persons + r.counts.otherNames + r.counts.events + r.counts.locations + r.counts.objects;

/** The SAR result: the answer's counts, and with `--parity` its comparison with the legacy oracle's S20. */
export function subjectAccessArea(sar: Input<'sar'>): Areas['subjectAccess'] {
  const r = sar.result;
  const p = r?.parity ?? null;
  const withReason = (x: { identity: string; reason?: string }) => (x.reason ? `${x.identity} (${x.reason})` : x.identity);
  const parity = p === null ? null : {
    ok: p.ok,
    verdict: null, // S20's comparison has no verdict of its own: ok, and the records missing and extra
    expected: p.legacyCount,
    actual: p.targetCount,
    missing: p.missing.slice(0, 50).map(withReason),
    extra: p.extra.slice(0, 50).map(withReason),
    missingCount: p.missing.length,
    extraCount: p.extra.length,
  };
  const ok = sar.present ? sar.ok === true && r !== null && (p === null || p.ok) : null;
  let light: Light;
  let reason: string;
  if (!sar.present) [light, reason] = ['grey', 'not run: no subject-access request stored'];
  else if (r === null) [light, reason] = ['red', `the subject-access result cannot be read: ${sar.unreadable}`];
  else if (p === null) [light, reason] = [sar.ok ? 'amber' : 'red', `answer produced (${fmt(recordsOf(r))} records); no parity comparison with legacy`];
  else if (!ok) [light, reason] = ['red', `the answer differs from legacy S20: ${fmt(p.missing.length)} missing, ${fmt(p.extra.length)} extra`];
  else [light, reason] = ['green', `the answer matches legacy S20 (${fmt(recordsOf(r))} records, ${fmt(r.counts.disclosures)} disclosures)`];
  return {
    title: 'Subject access', light, reason, inputs: ['sar'], ran: sar.present, ok,
    records: r ? recordsOf(r) : null,
    disclosures: r ? r.counts.disclosures : null,
    parity,
  };
}
