import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSummary, SummarySchema, AREA_IDS, SCHEMA_VERSION } from '../../src/report/summary.ts';
import { SCHEMA_FILE, schemaFileText } from '../../src/report/emit-schema.ts';
import { evaluateGate } from '../../src/report/gate.ts';
import { cleanResults, degradedResults, saved } from './fixtures.ts';
import { validateJsonSchema } from './helpers.ts';

const prov = { options: { batchSize: 5000, crisUrl: 'postgres://cutover:hunter2@db/cris', apiToken: 'tok-998877', nested: { password: 'p4ss' } }, codeVersion: { version: '0.1.0', commit: 'abc1234' } };
const jsonSchema = () => JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

describe('buildSummary', () => {
  it('builds a clean summary that validates against SummarySchema and the JSON Schema file', () => {
    const s = buildSummary(cleanResults(), prov);
    const json = JSON.parse(JSON.stringify(s));
    expect(SummarySchema.safeParse(json).success).toBe(true);
    expect(validateJsonSchema(jsonSchema(), json)).toEqual([]);
    expect(s.schemaVersion).toBe(SCHEMA_VERSION);
    expect(s.checks.every((c) => c.present && c.ok)).toBe(true);
    for (const id of AREA_IDS.filter((a) => a !== 'dataQuality')) expect([id, s.areas[id].light]).toEqual([id, 'green']);
    expect(s.areas.dataQuality.light).toBe('amber'); // warnings, orphans and a retention backlog are facts to review
    expect(s.areas.completeness.totals.read).toBe(817_000);
    expect(s.areas.searchParity.counts).toEqual({ PARITY: 20, DEGRADED: 0, LOST: 0 });
    expect(s.areas.auditHistory.reconcile.byOperation.map((o) => o.operation)).toEqual(['collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure']);
  });

  it('degraded: parity and reconcile failures are red, with the failing capabilities named', () => {
    const s = buildSummary(degradedResults(), prov);
    expect(validateJsonSchema(jsonSchema(), JSON.parse(JSON.stringify(s)))).toEqual([]);
    expect(s.areas.searchParity.light).toBe('red');
    expect(s.areas.searchParity.reason).toContain('LOST: S02');
    expect(s.areas.searchParity.reason).toContain('DEGRADED: S04, S07, S14');
    const s02 = s.areas.searchParity.capabilities.find((c) => c.id === 'S02')!;
    expect([s02.verdict, s02.recallMean, s02.reason]).toEqual(['LOST', null, 'S02 is not implemented by the target (NotSupportedError)']);
    expect(s.areas.completeness.light).toBe('red');
    expect(s.areas.completeness.missing.count).toBe(2);
    expect(s.areas.fidelity.light).toBe('red');
    expect(s.areas.fidelity.examples).toHaveLength(3);
  });

  it('the JSON Schema file is emitted from SummarySchema and its required keys match a built summary', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaFileText()); // run `npx tsx src/report/emit-schema.ts` after changing schema.ts
    const js = jsonSchema();
    const s = buildSummary(cleanResults(), prov);
    expect(new Set(js.required as string[])).toEqual(new Set(Object.keys(s).filter((k) => k !== 'gate')));
    const areas = (js.properties as Record<string, { properties: Record<string, { required: string[] }> }>).areas.properties;
    expect(Object.keys(areas)).toEqual([...AREA_IDS]);
    for (const id of AREA_IDS) expect([id, new Set(areas[id]!.required)]).toEqual([id, new Set(Object.keys(s.areas[id]))]);
  });

  it('every field of the JSON Schema is documented in src/report/README.md', () => {
    const readme = readFileSync(new URL('../../src/report/README.md', import.meta.url), 'utf8');
    const names = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.properties && typeof o.properties === 'object') for (const k of Object.keys(o.properties)) names.add(k);
        Object.values(o).forEach(walk);
      }
    };
    walk(jsonSchema());
    const undocumented = [...names].filter((k) => !new RegExp(`\\b${k.replace('$', '\\$')}\\b`).test(readme));
    expect(undocumented).toEqual([]);
  });

  it('no results at all: every area grey ("not run"), and the gate is NO-GO', () => {
    const s = buildSummary({}, prov);
    expect(SummarySchema.safeParse(s).success).toBe(true);
    for (const id of AREA_IDS) expect([id, s.areas[id].light, s.areas[id].reason.startsWith('not run')]).toEqual([id, 'grey', true]);
    const gate = evaluateGate(s);
    expect(gate.go).toBe(false);
    expect(gate.criteria.find((c) => c.id === 'results-present')!.reason).toBe('not run: run, reconcile, parity, audit-verify, audit-reconcile, audit-completeness, sar, retention');
  });

  it('a result of another shape is unreadable, named, never guessed at nor read as clean; the summary still builds', () => {
    const r = cleanResults();
    r.run = saved('run', true, (r.run!.result as { runs: unknown[] }).runs); // a bare array of runs
    r.reconcile = saved('reconcile', true, 'not an object');
    r.parity = saved('parity', true, { capabilities: [{ id: 'S01', verdict: 'MAYBE' }] });
    r['audit-reconcile'] = { kind: 'audit-reconcile', savedAt: 'x' } as never; // no ok, no result
    const s = buildSummary(r, prov);
    expect(SummarySchema.safeParse(s).success).toBe(true);
    const unreadable = s.checks.filter((c) => c.unreadable).map((c) => c.kind);
    expect(unreadable).toEqual(['run', 'reconcile', 'parity', 'audit-reconcile']);
    for (const c of s.checks.filter((x) => x.unreadable)) expect(c).toMatchObject({ present: true, ok: false });
    // nothing read from them: no steps, no counts
    expect(s.areas.completeness.steps).toEqual([]);
    expect(s.checks.find((c) => c.kind === 'run')!.unreadable).toMatch(/^the run result does not match its schema/);
    expect(s.checks.find((c) => c.kind === 'reconcile')!.unreadable).toMatch(/^the reconcile result does not match its schema/);
    expect([s.areas.completeness.light, s.areas.completeness.conservation.ok]).toEqual(['red', null]);
    expect(s.areas.completeness.missing.count).toBeNull();
    // a capability without its figures, or with a verdict it cannot have, makes the result unreadable: nothing of it is read
    expect(s.checks.find((c) => c.kind === 'parity')!.unreadable).toMatch(/the parity result does not match its schema/);
    expect([s.areas.searchParity.light, s.areas.searchParity.capabilities]).toEqual(['red', []]);
    expect(s.checks.find((c) => c.kind === 'audit-reconcile')!.unreadable).toMatch(/not a stored result/);
    expect(s.areas.auditHistory.reconcile.missing.count).toBeNull();
    const gate = evaluateGate(s);
    const failed = gate.criteria.filter((c) => !c.ok).map((c) => c.id);
    expect(failed).toEqual(expect.arrayContaining(['results-readable', 'conservation', 'reconcile-clean', 'search-parity', 'audit-no-loss']));
    expect(gate.criteria.find((c) => c.id === 'conservation')!.reason).toMatch(/^the run result cannot be read, so nothing is known to be accounted for \(the run result does not match its schema/);
  });

  it('masks secrets in provenance and in run sources', () => {
    const s = buildSummary(cleanResults(), prov);
    const text = JSON.stringify(s);
    for (const secret of ['hunter2', 'tok-998877', 'p4ss', 'Sup3rS3cret']) expect(text).not.toContain(secret);
    expect(s.provenance.sources).toEqual([
      { name: 'cris', identity: 'mssql://migrator:****@cris-db.internal:1433/CRIS' },
      { name: 'crimint', identity: '/data/crimint-export' },
    ]);
    expect(s.provenance.options).toMatchObject({ crisUrl: 'postgres://cutover:****@db/cris', apiToken: '****', nested: { password: '****' } });
    expect(s.provenance.codeVersion).toEqual({ version: '0.1.0', commit: 'abc1234', dirty: null });
    expect(s.provenance.startedAt).toBe('2024-05-01T08:00:00.000Z');
  });

  it('reads the code version from package.json and git when not given', () => {
    const s = buildSummary(cleanResults(), { options: {} });
    expect(s.provenance.codeVersion.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(s.provenance.codeVersion.commit ?? '').toMatch(/^([0-9a-f]{4,40})?$/);
  });
});
