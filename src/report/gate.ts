// The go-live gate: criteria evaluated on the summary, thresholds from a validated gate config.
// Strict by default: every criterion on, every check required, every capability at PARITY.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../core/problems.ts';
import { CAPABILITY_IDS } from '../parity/types.ts';
import { RESULT_KINDS, type ResultKind } from './store.ts';
import { RERUN } from './freshness.ts';
import type { GateCriterion, GateResult, Summary } from './schema.ts';
import { fmt, pct, plural } from './areas-records.ts';

export const CRITERION_IDS = [
  'results-present', 'results-readable', 'results-current', 'conservation', 'reconcile-clean', 'search-parity', 'audit-chain', 'audit-anchors', 'audit-no-loss',
  'residual-scan-clean', 'quarantine-share', 'sar-parity',
] as const;
export type CriterionId = (typeof CRITERION_IDS)[number];

export const GateConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Largest share of records read that may be quarantined (0–1). Default 0.05. */
  maxQuarantineShare: z.number().min(0).max(1).default(0.05),
  /** Checks that may be absent without failing the gate. Default none. */
  allowNotRun: z.array(z.enum(RESULT_KINDS)).default([]),
  /** Capabilities accepted at DEGRADED (never LOST). Default none. */
  allowDegraded: z.array(z.enum(CAPABILITY_IDS)).default([]),
  /** Criteria switched off (reported as skipped). Default none. */
  skip: z.array(z.enum(CRITERION_IDS)).default([]),
});
export type GateConfig = z.output<typeof GateConfigSchema>;
export type GateConfigInput = z.input<typeof GateConfigSchema>;
export const DEFAULT_GATE_CONFIG: GateConfig = GateConfigSchema.parse({});

const EXPECT: Record<string, [whole: string, item?: string]> = {
  $schema: ['a string'],
  maxQuarantineShare: ['a number between 0 and 1'],
  allowNotRun: [`a list of check kinds`, `one of ${RESULT_KINDS.join(', ')}`],
  allowDegraded: ['a list of capability ids', 'a capability id S01–S20'],
  skip: ['a list of criterion ids', `one of ${CRITERION_IDS.join(', ')}`],
};
const KNOWN_KEYS = Object.keys(GateConfigSchema.shape).filter((k) => k !== '$schema');

export class GateConfigError extends ConfigError {
  override name = 'GateConfigError';
  constructor(readonly issues: string[]) {
    super(issues.join('\n'), `fix the gate config; known keys: ${KNOWN_KEYS.join(', ')} (each has a strict default)`);
  }
}

const got = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur = input;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<PropertyKey, unknown>)[p] : undefined;
  return cur;
}

function closest(key: string): string | null {
  const k = key.toLowerCase();
  return KNOWN_KEYS.find((x) => x.toLowerCase().includes(k) || k.includes(x.toLowerCase())) ?? null;
}

/** zod issues → one plain line each: `gate.json: maxQuarantineShare must be a number between 0 and 1, got "x"`. */
export function gateConfigIssues(error: z.ZodError, input: unknown, file = 'gate config'): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const near = closest(key);
        lines.push(`${file}: unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; known keys: ${KNOWN_KEYS.join(', ')}`);
      }
      continue;
    }
    if (issue.path.length === 0) {
      lines.push(`${file}: must be a JSON object, got ${got(input)}`);
      continue;
    }
    const [top, ...rest] = issue.path;
    const expect = EXPECT[String(top)];
    const where = `${String(top)}${rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
    const what = rest.length && expect?.[1] ? expect[1] : expect?.[0] ?? issue.message;
    lines.push(`${file}: ${where} must be ${what}, got ${got(valueAt(input, issue.path))}`);
  }
  return lines;
}

/** Validate a gate config value; throws GateConfigError with one line per problem. */
export function parseGateConfig(input: unknown, file = 'gate config'): GateConfig {
  const r = GateConfigSchema.safeParse(input);
  if (!r.success) throw new GateConfigError(gateConfigIssues(r.error, input, file));
  return r.data;
}

/** Read and validate a gate config JSON file; without a path, the strict defaults. */
export function loadGateConfig(path?: string | null): GateConfig {
  if (!path) return DEFAULT_GATE_CONFIG;
  if (!existsSync(path)) throw new GateConfigError([`${path}: no such file`]);
  let text: string;
  let json: unknown;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GateConfigError([`${path}: cannot be read: ${(err as Error).message}`]);
  }
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new GateConfigError([`${path}: not valid JSON: ${(err as Error).message}`]);
  }
  return parseGateConfig(json, path);
}

type Outcome = Pick<GateCriterion, 'ok' | 'actual' | 'threshold' | 'reason'>;

interface CriterionDef {
  id: CriterionId;
  description: string;
  /** checks this criterion reads; when one is absent (and not allowed) the criterion fails */
  requires: (s: Summary) => ResultKind[];
  evaluate: (s: Summary, c: GateConfig) => Outcome;
}

const present = (s: Summary, k: ResultKind) => s.checks.find((c) => c.kind === k)?.present ?? false;
const erasureDone = (s: Summary) => present(s, 'erasure');
/** Checks required for a go: everything except the erasure itself (a residual scan only after one). */
export const requiredChecks = (s: Summary): ResultKind[] => RESULT_KINDS.filter((k) => k !== 'erasure' && (k !== 'residual-scan' || erasureDone(s)));

const zeroCounts = (label: string, counts: Array<[string, number | null]>, ok: boolean | null): Outcome => {
  const known = counts.filter(([, n]) => n !== null) as Array<[string, number]>;
  const bad = known.filter(([, n]) => n > 0);
  const actual = counts.map(([k, n]) => `${k} ${n === null ? '?' : fmt(n)}`).join(', ');
  if (bad.length) return { ok: false, actual, threshold: 0, reason: bad.map(([k, n]) => `${fmt(n)} ${k}`).join(', ') };
  // unknown is not clean: a count the result does not give fails the criterion
  const unknown = counts.filter(([, n]) => n === null).map(([k]) => k);
  if (unknown.length) return { ok: false, actual, threshold: 0, reason: `the ${label} result does not say how many: ${unknown.join(', ')}` };
  if (ok === false) return { ok: false, actual, threshold: 0, reason: `the ${label} check itself reports a failure` };
  return { ok: true, actual, threshold: 0, reason: counts.map(([k]) => `0 ${k}`).join(', ') };
};

export const CRITERIA: readonly CriterionDef[] = [
  {
    id: 'results-present',
    description: 'Every check has a stored result (the residual scan only when an erasure was done)',
    requires: () => [],
    evaluate: (s, c) => {
      const missing = requiredChecks(s).filter((k) => !present(s, k));
      const blocking = missing.filter((k) => !c.allowNotRun.includes(k));
      const allowed = missing.filter((k) => c.allowNotRun.includes(k));
      const actual = `${requiredChecks(s).length - missing.length}/${requiredChecks(s).length}`;
      const why = (k: ResultKind) => {
        const c = s.checks.find((x) => x.kind === k);
        return c?.standingReason && !c.present ? ` (${c.standingReason})` : '';
      };
      if (blocking.length) return { ok: false, actual, threshold: `${requiredChecks(s).length}/${requiredChecks(s).length}`, reason: `not run${s.target ? ' on this target' : ''}: ${blocking.map((k) => `${k}${why(k)}`).join(blocking.some((k) => why(k)) ? '; ' : ', ')}` };
      return { ok: true, actual, threshold: `${requiredChecks(s).length}/${requiredChecks(s).length}`, reason: allowed.length ? `not run but allowed by allowNotRun: ${allowed.join(', ')}` : 'every check ran' };
    },
  },
  {
    id: 'results-readable',
    description: 'Every stored result parses with its check\'s schema (none renamed, missing or corrupt)',
    requires: () => [],
    evaluate: (s) => {
      const bad = s.checks.filter((c) => c.present && c.unreadable);
      const counted = s.checks.filter((c) => c.present).length;
      if (bad.length) return { ok: false, actual: `${bad.length} unreadable`, threshold: 0, reason: `unreadable: ${bad.map((c) => `${c.kind} (${c.unreadable})`).join('; ')}. Run again: ${bad.map((c) => `\`${RERUN[c.kind]}\``).join(', ')}` };
      return { ok: true, actual: 0, threshold: 0, reason: `all ${counted} stored results parse with their schemas` };
    },
  },
  {
    id: 'results-current',
    description: 'Every result was taken on this target and nothing changed in it since (record, migration, audit)',
    requires: () => [],
    evaluate: (s) => {
      if (!s.target) return { ok: true, actual: 'not judged', threshold: 'current', reason: 'no target given: the results were not judged against one' };
      if (s.target.changes === null) return { ok: false, actual: 'no change tracking', threshold: 'current', reason: 'the target has no change tracking: run `cutover db migrate`, then the checks again' };
      if (s.target.untracked.length) return { ok: false, actual: `${s.target.untracked.length} untracked`, threshold: 'current', reason: `tables without change tracking: ${s.target.untracked.slice(0, 5).join(', ')}${s.target.untracked.length > 5 ? ', …' : ''}: run \`cutover db migrate\`, then the checks again` };
      const stale = s.checks.filter((c) => c.standing === 'stale');
      const counted = s.checks.filter((c) => c.present).length;
      if (stale.length) {
        // one clause per distinct reason: `reconcile, parity — the target changed after it was taken (…)`
        const byWhy = new Map<string, string[]>();
        for (const c of stale) byWhy.set(c.standingReason ?? 'stale', [...(byWhy.get(c.standingReason ?? 'stale') ?? []), c.kind]);
        const why = [...byWhy].map(([w, kinds]) => `${kinds.join(', ')} — ${w}`).join('; ');
        return { ok: false, actual: `${stale.length} stale`, threshold: 0, reason: `stale: ${why}. Run again: ${stale.map((c) => `\`${c.rerun}\``).join(', ')}` };
      }
      return { ok: true, actual: 0, threshold: 0, reason: `all ${counted} results taken on this target (${s.target.database}); nothing changed since` };
    },
  },
  {
    id: 'conservation',
    description: 'Every record read is accounted for (read = loaded + quarantined + excluded + superseded) and every step completed',
    requires: () => ['run'],
    evaluate: (s) => {
      const a = s.areas.completeness;
      const v = a.conservation.violations;
      const incomplete = a.steps.filter((x) => x.complete === false);
      const actual = `${fmt(v.length)} unbalanced, ${fmt(incomplete.length)} incomplete`;
      const unreadable = s.checks.find((c) => c.kind === 'run')?.unreadable;
      if (unreadable) return { ok: false, actual: 'unreadable', threshold: 0, reason: `the run result cannot be read, so nothing is known to be accounted for (${unreadable})` };
      if (a.steps.length === 0) {
        // e.g. an "already complete" re-run: the reconciliation's conservation check of the target tables stands in
        const balanced = a.controlTotals.filter((c) => !c.name.startsWith('manifest '));
        if (balanced.length && a.conservation.ok) return { ok: true, actual: `0 unbalanced of ${balanced.length} (target tables)`, threshold: 0, reason: `no step counters in the run result; the reconciliation finds all ${balanced.length} steps balanced in the target tables` };
        return { ok: false, actual: 0, threshold: '≥ 1 step', reason: 'the run result has no steps (and no reconciliation conservation check to stand in)' };
      }
      if (v.length) return { ok: false, actual, threshold: 0, reason: v.slice(0, 5).map((x) => `${x.pipeline}/${x.step}: read ${fmt(x.read)}, accounted ${fmt(x.accounted)}`).join('; ') };
      if (incomplete.length) return { ok: false, actual, threshold: 0, reason: `incomplete: ${incomplete.map((x) => `${x.pipeline}/${x.step}`).join(', ')}` };
      return { ok: true, actual, threshold: 0, reason: `${fmt(a.totals.read)} records read, all accounted for` };
    },
  },
  {
    id: 'reconcile-clean',
    description: 'No missing, unexpected or mismatched records (the reconciliation passes)',
    requires: () => ['reconcile'],
    evaluate: (s) => {
      const c = s.areas.completeness;
      const f = s.areas.fidelity;
      const ok = s.checks.find((x) => x.kind === 'reconcile')?.ok ?? null;
      const out = zeroCounts('reconcile', [['missing', c.missing.count], ['unexpected', c.unexpected.count], ['mismatched values', f.mismatchedValues]], ok);
      if (out.ok === false && ok === false && out.reason.startsWith('the reconcile check')) out.reason = `the reconciliation fails: ${c.problems[0] ?? 'see the report'}`;
      return out;
    },
  },
  {
    id: 'search-parity',
    description: 'Every search capability at PARITY with legacy',
    requires: () => ['parity'],
    evaluate: (s, c) => {
      const caps = s.areas.searchParity.capabilities;
      const seen = new Set(caps.map((x) => x.id));
      const notChecked = CAPABILITY_IDS.filter((id) => !seen.has(id));
      const failing = caps.filter((x) => x.verdict === 'LOST' || (x.verdict === 'DEGRADED' && !c.allowDegraded.includes(x.id as (typeof CAPABILITY_IDS)[number])));
      const atParity = caps.filter((x) => x.verdict === 'PARITY').length;
      const actual = `${atParity}/${caps.length} at PARITY`;
      const threshold = c.allowDegraded.length ? `all at PARITY except DEGRADED allowed for ${c.allowDegraded.join(', ')}` : `${CAPABILITY_IDS.length}/${CAPABILITY_IDS.length} at PARITY`;
      const parts: string[] = [];
      for (const v of ['LOST', 'DEGRADED'] as const) {
        const ids = failing.filter((x) => x.verdict === v).map((x) => x.id);
        if (ids.length) parts.push(`${ids.join(', ')} ${v}`);
      }
      if (notChecked.length) parts.push(`not checked: ${notChecked.join(', ')}`);
      if (parts.length) return { ok: false, actual, threshold, reason: parts.join('; ') };
      const allowed = caps.filter((x) => x.verdict === 'DEGRADED').map((x) => x.id);
      return { ok: true, actual, threshold, reason: allowed.length ? `DEGRADED accepted by the gate config: ${allowed.join(', ')}` : `all ${caps.length} capabilities at PARITY` };
    },
  },
  {
    id: 'audit-chain',
    description: 'The audit hash chain verifies from seq 1',
    requires: () => ['audit-verify'],
    evaluate: (s) => {
      const ch = s.areas.auditHistory.chain;
      if (ch.verified) return { ok: true, actual: true, threshold: true, reason: `${fmt(ch.rows ?? 0)} entries verified` };
      const b = ch.firstBroken;
      return { ok: false, actual: false, threshold: true, reason: b ? `broken at seq ${b.seq} (${b.reason}): ${b.detail}` : 'the chain does not verify' };
    },
  },
  {
    id: 'audit-anchors',
    description: 'The audit chain still reaches the last anchor kept outside the database, with the same hashes',
    requires: () => ['audit-verify'],
    evaluate: (s) => {
      const a = s.areas.auditHistory.chain.anchors;
      if (!a) return { ok: false, actual: null, threshold: 'every anchor met', reason: 'no verify result to compare with the anchors' };
      const actual = a.lastSeq === null ? 'no anchor yet' : `verified to seq ${a.verifiedTo ?? '0'}, last anchor seq ${a.lastSeq}`;
      if (!a.reached) return { ok: false, actual, threshold: 'every anchor met', reason: a.problems.slice(0, 3).join('; ') };
      return { ok: true, actual, threshold: 'every anchor met', reason: a.lastSeq === null ? 'no anchor kept yet: the first verify keeps one' : `${fmt(a.checked)} anchor(s) met by the verify; the chain reaches seq ${a.lastSeq}` };
    },
  },
  {
    id: 'audit-no-loss',
    description: 'No audit entry lost in migration (none missing or altered; no justification, actor or recipient lost)',
    requires: () => ['audit-reconcile', 'audit-completeness'],
    evaluate: (s) => {
      const a = s.areas.auditHistory;
      const okR = s.checks.find((x) => x.kind === 'audit-reconcile')?.ok ?? null;
      const okC = s.checks.find((x) => x.kind === 'audit-completeness')?.ok ?? null;
      const counts: Array<[string, number | null]> = [['missing', a.reconcile.missing.count], ['altered', a.reconcile.altered.count], ['lost in migration', a.completeness.lostInMigration]];
      const out = zeroCounts('audit', counts, okC === false ? false : null);
      if (out.ok && okR === false) out.reason += ` (the audit reconciliation fails on other counts: ${fmt(a.reconcile.duplicated.count ?? 0)} duplicated, ${fmt(a.reconcile.extra.count ?? 0)} extra; see the report)`;
      return out;
    },
  },
  {
    id: 'residual-scan-clean',
    description: 'After an erasure, the residual scan finds no trace of the erased person',
    requires: (s) => (erasureDone(s) ? ['residual-scan'] : []),
    evaluate: (s) => {
      const d = s.areas.deletion;
      const sc = d.residualScan;
      if (!d.erasure.done && !sc.ran) return { ok: true, actual: 'no erasure', threshold: 0, reason: 'no erasure in this cutover' };
      const er = s.checks.find((c) => c.kind === 'erasure');
      const rs = s.checks.find((c) => c.kind === 'residual-scan');
      if (er?.savedAt && rs?.savedAt && Date.parse(rs.savedAt) < Date.parse(er.savedAt)) {
        return { ok: false, actual: sc.hits, threshold: 0, reason: `the residual scan (${rs.savedAt}) predates the erasure (${er.savedAt}): run it again` };
      }
      if (d.erasure.subjects.length && sc.person && !d.erasure.subjects.includes(sc.person)) {
        return { ok: false, actual: sc.hits, threshold: 0, reason: `the residual scan searched for ${sc.person}, the erasure removed ${d.erasure.subjects.join(', ')}: scan for the erased person` };
      }
      if (sc.ok) return { ok: true, actual: sc.hits ?? 0, threshold: 0, reason: `no trace found${sc.coverage?.tables ? ` in ${fmt(sc.coverage.tables)} tables` : ''}` };
      return { ok: false, actual: sc.hits, threshold: 0, reason: `${plural(sc.hits ?? 0, 'trace')} found${sc.examples.length ? ` in ${[...new Set(sc.examples.map((e) => `${e.table}${e.column ? `.${e.column}` : ''}`))].slice(0, 5).join(', ')}` : ''}` };
    },
  },
  {
    id: 'quarantine-share',
    description: 'Quarantined records stay within the allowed share of records read',
    requires: () => ['run'],
    evaluate: (s, c) => {
      const q = s.areas.dataQuality.quarantine;
      if (q.share === null) return { ok: false, actual: null, threshold: c.maxQuarantineShare, reason: 'no records were read' };
      const ok = q.share <= c.maxQuarantineShare;
      return { ok, actual: Number(q.share.toPrecision(4)), threshold: c.maxQuarantineShare, reason: `${fmt(q.quarantined)} of ${fmt(q.read)} quarantined (${pct(q.share)}), ${ok ? 'within' : 'over'} the ${pct(c.maxQuarantineShare)} limit` };
    },
  },
  {
    id: 'sar-parity',
    description: 'A subject-access answer matches the legacy answer (S20)',
    requires: () => ['sar'],
    evaluate: (s) => {
      const a = s.areas.subjectAccess;
      if (a.ok && a.parity?.ok) return { ok: true, actual: 'match', threshold: 'match', reason: a.reason };
      if (!a.parity) return { ok: false, actual: null, threshold: 'match', reason: 'the SAR result has no parity comparison with legacy' };
      return { ok: false, actual: `${a.parity.missingCount ?? a.parity.missing.length} missing, ${a.parity.extraCount ?? a.parity.extra.length} extra`, threshold: 'match', reason: a.reason };
    },
  },
];

/** Evaluate every criterion; go when all pass. A check not run fails its criterion unless allowNotRun names it. */
export function evaluateGate(summary: Summary, config: GateConfigInput | GateConfig = {}): GateResult {
  const cfg = parseGateConfig(config);
  const criteria: GateCriterion[] = CRITERIA.map((def) => {
    const base = { id: def.id, description: def.description };
    if (cfg.skip.includes(def.id)) return { ...base, ok: true, skipped: true, actual: null, threshold: null, reason: 'skipped by the gate config' };
    const missing = def.requires(summary).filter((k) => !present(summary, k));
    const blocking = missing.filter((k) => !cfg.allowNotRun.includes(k));
    if (blocking.length) return { ...base, ok: false, skipped: false, actual: 'not run', threshold: null, reason: `not run: ${blocking.join(', ')}` };
    if (missing.length) return { ...base, ok: true, skipped: false, actual: 'not run', threshold: null, reason: `not run (allowed by allowNotRun): ${missing.join(', ')}` };
    return { ...base, skipped: false, ...def.evaluate(summary, cfg) };
  });
  const { $schema: _s, ...config_ } = cfg;
  return { go: criteria.every((c) => c.ok), criteria, config: config_ };
}

/** One line per failing criterion, for logs and the CLI. */
export function gateLines(gate: GateResult): string[] {
  return [
    `gate: ${gate.go ? 'GO' : 'NO-GO'} (${gate.criteria.filter((c) => c.ok).length}/${gate.criteria.length} criteria met)`,
    ...gate.criteria.filter((c) => !c.ok).map((c) => `  ✗ ${c.id}: ${c.reason}`),
  ];
}
