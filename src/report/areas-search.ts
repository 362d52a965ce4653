// Areas built from the parity and subject-access results.
import type { Areas, CapabilityT, Light, ParityExampleT } from './schema.ts';
import { type Input, bool, count, display, isObj, list, num, str, sumKnown } from './read.ts';
import { fmt, pct } from './areas-records.ts';
import { queryKind } from './refs.ts';
import { scrubMessage } from './board-safe.ts';

const VERDICTS = ['PARITY', 'DEGRADED', 'LOST'] as const;
type V = (typeof VERDICTS)[number];

function verdictOf(c: unknown): V {
  const v = (str(c, 'verdict') ?? '').toUpperCase();
  return (VERDICTS as readonly string[]).includes(v) ? (v as V) : 'LOST';
}

/**
 * The query as the board sees it: the kind of query and the keyed reference of its parameters
 * (`surname + dob · h:3f…`), never the parameters. A result stored before references existed
 * gives the kind alone.
 */
function queryText(x: unknown): string {
  const q = isObj(x) && isObj(x.query) ? x.query : x;
  const kind = str(x, 'queryKind') ?? (isObj(q) && isObj(q.params) ? queryKind(q.params) : null);
  const ref = str(x, 'paramsRef');
  return [kind ?? 'query', ref].filter(Boolean).join(' · ');
}

function capabilityOf(c: unknown): CapabilityT {
  const verdict = verdictOf(c);
  const queries = count(c, 'queries', 'workload');
  const examples: ParityExampleT[] = list(c, 'examples').slice(0, 20).map((x) => ({
    kind: str(x, 'kind') === 'extra' ? 'extra' : 'lost',
    query: queryText(x),
    origin: str(x, 'origin', 'query.origin'),
    note: str(x, 'note', 'query.note'),
    identity: str(x, 'identity', 'key', 'id') ?? '?',
    description: null, // a description names the person: the engineers' report has it
  }));
  const errors = list(c, 'errors').slice(0, 10).map((e) => ({ query: queryText(e), message: isObj(e) && 'paramsRef' in e ? str(e, 'message') ?? '' : scrubMessage(str(e, 'message') ?? '', isObj(e) && isObj(e.query) ? e.query.params : undefined) }));
  const recallWorst = num(c, 'recall.worst', 'recallWorst');
  const precisionWorst = num(c, 'precisionWorst', 'precision.worst');
  const queriesShort = count(c, 'queriesShort');
  let reason: string | null;
  if (str(c, 'verdict')?.toUpperCase() !== verdict) reason = `no verdict in the result (read "${str(c, 'verdict') ?? ''}"): counted as LOST`;
  else if (verdict === 'LOST') reason = errors[0]?.message ?? 'the target cannot run this search';
  else if (verdict === 'DEGRADED') {
    const bits = [];
    if (queriesShort !== null && queries !== null) bits.push(`${fmt(queriesShort)} of ${fmt(queries)} queries short`);
    if (recallWorst !== null && recallWorst < 1) bits.push(`worst recall ${pct(recallWorst)}`);
    if (precisionWorst !== null && precisionWorst < 1) bits.push(`worst precision ${pct(precisionWorst)}`);
    reason = bits.join('; ') || 'some queries fall short';
  } else reason = queries === 0 ? 'no queries ran: the verdict is not evidence' : null;
  // LOST: nothing was measured; the metrics module's numbers over zero queries (recall 1) would mislead
  const measured = verdict !== 'LOST';
  const m = (v: number | null) => (measured ? v : null);
  return {
    id: str(c, 'id', 'capability', '_key') ?? '?',
    name: str(c, 'name'),
    verdict,
    queries,
    recallMean: m(num(c, 'recall.mean', 'recallMean', 'recall')),
    recallWorst: m(recallWorst),
    precisionMean: m(num(c, 'precision.mean', 'precisionMean', 'precision')),
    precisionWorst: m(precisionWorst),
    volumeRatio: m(num(c, 'volumeRatio')),
    latencyP50Ms: m(num(c, 'latencyMs.p50', 'latency.p50', 'latencyP50Ms', 'p50')),
    latencyP95Ms: m(num(c, 'latencyMs.p95', 'latency.p95', 'latencyP95Ms', 'p95')),
    queriesShort,
    notMigrated: count(c, 'notMigrated'),
    reason,
    errors,
    warnings: list(c, 'warnings').map(display),
    examples,
  };
}

export function searchParityArea(parity: Input): Areas['searchParity'] {
  const r = parity.result;
  const capabilities = list(r, 'capabilities', 'results').map(capabilityOf).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const counts = { PARITY: 0, DEGRADED: 0, LOST: 0 };
  for (const c of capabilities) counts[c.verdict]++;
  let light: Light;
  let reason: string;
  const ids = (v: V) => capabilities.filter((c) => c.verdict === v).map((c) => c.id).join(', ');
  if (!parity.present) [light, reason] = ['grey', 'not run: no search parity result stored'];
  else if (capabilities.length === 0) [light, reason] = ['red', 'the parity result names no capability'];
  else if (counts.LOST) [light, reason] = ['red', `LOST: ${ids('LOST')}${counts.DEGRADED ? `; DEGRADED: ${ids('DEGRADED')}` : ''} (${counts.PARITY} of ${capabilities.length} at PARITY)`];
  else if (counts.DEGRADED) [light, reason] = ['amber', `DEGRADED: ${ids('DEGRADED')} (${counts.PARITY} of ${capabilities.length} at PARITY)`];
  else if (parity.ok === false) [light, reason] = ['red', 'every capability reads PARITY but the parity check itself failed'];
  else [light, reason] = ['green', `all ${capabilities.length} search capabilities at PARITY`];
  return {
    title: 'Search parity', light, reason, inputs: ['parity'],
    counts, capabilities,
    adapter: str(r, 'adapter'),
    queries: parity.present ? sumKnown(capabilities.map((c) => c.queries)) : null,
    workload: { replayed: count(r, 'workload.replayed.used', 'workload.replayed'), generated: count(r, 'workload.generated'), invalid: count(r, 'workload.invalidCount', 'workload.invalid') },
    notMigrated: parity.present ? count(r, 'target.notMigrated', 'notMigrated') ?? sumKnown(capabilities.map((c) => c.notMigrated)) : null,
  };
}

/** The SAR result: `{…, parity}` where parity compares the answer with the legacy oracle's S20. */
export function subjectAccessArea(sar: Input): Areas['subjectAccess'] {
  const r = sar.result;
  const p = isObj(r) ? (r.parity ?? null) : null;
  const withReason = (x: unknown) => {
    const id = str(x, 'identity', 'key', 'id', 'targetId') ?? display(x);
    const why = str(x, 'reason');
    return why ? `${id} (${why})` : id;
  };
  const missing = list(p, 'missing', 'lost', 'missingIdentities').map(withReason);
  const extra = list(p, 'extra', 'unexpected', 'extraIdentities').map(withReason);
  const missingCount = count(p, 'missingCount', 'missing', 'lost');
  const extraCount = count(p, 'extraCount', 'extra', 'unexpected');
  const v = str(p, 'verdict')?.toUpperCase();
  const verdict: V | null = v === 'PARITY' || v === 'DEGRADED' || v === 'LOST' ? v : null;
  const pOk = bool(p, 'ok') ?? (verdict ? verdict === 'PARITY' : missingCount !== null || extraCount !== null ? (missingCount ?? 0) + (extraCount ?? 0) === 0 : null);
  const parity = p === null ? null : {
    ok: pOk, verdict, expected: count(p, 'legacyCount', 'expected', 'oracle', 'legacy'), actual: count(p, 'targetCount', 'actual', 'target'),
    missing: missing.slice(0, 50), extra: extra.slice(0, 50), missingCount, extraCount,
  };
  const records = sar.present
    ? count(r, 'records', 'recordCount', 'counts.records') ?? sumKnown(['persons', 'otherNames', 'events', 'locations', 'objects'].map((k) => count(r, `counts.${k}`)))
    : null;
  const disclosures = sar.present ? count(r, 'counts.disclosures', 'disclosures') : null;
  const ok = sar.present ? (sar.ok === true && pOk !== false) : null;
  let light: Light;
  let reason: string;
  if (!sar.present) [light, reason] = ['grey', 'not run: no subject-access request stored'];
  else if (parity === null) [light, reason] = [sar.ok ? 'amber' : 'red', `answer produced${records !== null ? ` (${fmt(records)} records)` : ''}; no parity comparison with legacy`];
  else if (!ok) [light, reason] = ['red', `the answer differs from legacy S20: ${fmt(missingCount ?? missing.length)} missing, ${fmt(extraCount ?? extra.length)} extra`];
  else [light, reason] = ['green', `the answer matches legacy S20${records !== null ? ` (${fmt(records)} records${disclosures !== null ? `, ${fmt(disclosures)} disclosures` : ''})` : ''}`];
  return { title: 'Subject access', light, reason, inputs: ['sar'], ran: sar.present, ok, records, disclosures, parity };
}


