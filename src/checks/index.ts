// Each check run the same way from its CLI command and from `cutover demo`: open what it needs,
// run it, keep its structured result for the report, close everything on every path.
import { readFileSync } from 'node:fs';
import { reconcile } from '../reconcile/index.ts';
import { DifferencesFile } from '../reconcile/differences.ts';
import { ParityDifferencesFile } from '../parity/differences.ts';
import { runParity, type ParityResult, type ParityProgress } from '../parity/index.ts';
import { auditReconcile, auditCompleteness, verifyAnchored, keptAnchors, type Anchor } from '../audit/index.ts';
import { createSqlSearch } from '../../mappings/search/index.ts';
import { createDegradedSearch } from '../../mappings/search/degraded.ts';
import { createHttpSearch } from '../../mappings/search/http.ts';
import { openCrisSource, openCrimintSource } from '../sources/index.ts';
import { beginCheck } from './record.ts';
import { ConfigError } from '../core/problems.ts';
import type { Connections } from '../db/config.ts';
import type { Source } from '../sources/types.ts';
import type { CapabilityId, TargetSearchAdapter } from '../parity/types.ts';

export async function withSources<T>(c: Connections, fn: (s: { crisSource: Source; crimintSource: Source }) => Promise<T>): Promise<T> {
  const crisSource = openCrisSource(c.crisUrl);
  let crimintSource: Source | null = null;
  try {
    crimintSource = openCrimintSource(c.crimintDir);
    return await fn({ crisSource, crimintSource });
  } finally {
    await crisSource.close();
    await crimintSource?.close();
  }
}

/** `differences`: a file (CSV, or JSON Lines by extension) that receives every difference as it is found. */
export async function checkReconcile(c: Connections, pipelines?: string[], tuning: { concurrency?: number; workers?: number; differences?: string; distributed?: boolean } = {}) {
  const { differences: file, ...rest } = tuning;
  const sink = file ? new DifferencesFile(file) : null;
  try {
    const rec = await beginCheck(c.databaseUrl, c);
    const r = await reconcile({ databaseUrl: c.databaseUrl, crisUrl: c.crisUrl, crimintDir: c.crimintDir, pipelines, ...rest, differences: sink });
    rec.save('reconcile', r.ok, r);
    return Object.assign(r, sink ? { differences: { file: sink.file, rows: sink.count } } : {});
  } finally {
    sink?.close();
  }
}

export interface ParityCheckOptions {
  /** `sql` (default), `degraded` (the test profile of the new platform's complaints), or `http` with a templates file */
  adapter?: 'sql' | 'degraded' | 'http';
  /** JSON file `{templates: {S01: "http://…"}, headers?}` for the HTTP adapter */
  httpConfig?: string;
  capabilities?: CapabilityId[];
  workloadFile?: string;
  onProgress?: (p: ParityProgress) => void;
  /** a file (CSV, or JSON Lines by extension) that receives every query with a difference */
  differences?: string;
}

export function searchAdapter(c: Connections, opts: ParityCheckOptions = {}): TargetSearchAdapter {
  if (opts.adapter === 'degraded') return createDegradedSearch(c.databaseUrl);
  if (opts.adapter === 'http') {
    if (!opts.httpConfig) throw new ConfigError('the HTTP adapter needs --http-config FILE', 'give a JSON file {"templates": {"S01": "https://search.example/s01?q={params}", …}}');
    let cfg: { templates: Partial<Record<CapabilityId, string>>; headers?: Record<string, string> };
    try {
      cfg = JSON.parse(readFileSync(opts.httpConfig, 'utf8'));
    } catch (err) {
      throw new ConfigError(`cannot read the HTTP adapter config ${opts.httpConfig}: ${(err as Error).message}`);
    }
    return createHttpSearch({ templates: cfg.templates, headers: cfg.headers });
  }
  return createSqlSearch(c.databaseUrl);
}

export async function checkParity(c: Connections, opts: ParityCheckOptions = {}): Promise<ParityResult & { differences?: { file: string; rows: number } }> {
  const rec = await beginCheck(c.databaseUrl, c);
  const adapter = searchAdapter(c, opts);
  const sink = opts.differences ? new ParityDifferencesFile(opts.differences) : null;
  try {
    return await withSources(c, async (s) => {
      const r = await runParity({
        ...s, targetUrl: c.databaseUrl, adapter, capabilities: opts.capabilities, workloadFile: opts.workloadFile, onProgress: opts.onProgress,
        onDifference: sink ? (d) => sink.write(d) : undefined,
      });
      rec.save('parity', r.ok, r);
      return Object.assign(r, sink ? { differences: { file: sink.file, rows: sink.count } } : {});
    });
  } finally {
    sink?.close();
    await adapter.close();
  }
}

/** Verify the chain, against the anchors kept for this target and any given by hand. */
export async function checkAuditVerify(c: Connections, byHand: Anchor[] = []) {
  const rec = await beginCheck(c.databaseUrl);
  const r = await verifyAnchored(c.databaseUrl, byHand);
  rec.save('audit-verify', r.ok, r);
  return r;
}

export async function checkAuditReconcile(c: Connections) {
  const rec = await beginCheck(c.databaseUrl, c);
  const anchors = await keptAnchors(c.databaseUrl);
  return withSources(c, async (s) => {
    const r = await auditReconcile({ ...s, targetUrl: c.databaseUrl, anchors });
    rec.save('audit-reconcile', r.ok, r);
    return r;
  });
}

export async function checkAuditCompleteness(c: Connections) {
  const rec = await beginCheck(c.databaseUrl, c);
  return withSources(c, async (s) => {
    const r = await auditCompleteness({ ...s, targetUrl: c.databaseUrl });
    rec.save('audit-completeness', r.ok, r);
    return r;
  });
}
