// The parity workload: (a) legacy SEARCH audit entries replayed, (b) queries generated from the
// data sampled while the oracle was built (workload-gen.ts), (c) a --workload JSON-lines file.
// Every query is validated with the catalog schema; an invalid one is reported, never dropped
// silently.
import { readFile } from 'node:fs/promises';
import { CAPABILITY_IDS, type CapabilityId, type Query } from './types.ts';
import { isCapabilityId, validateParams } from './catalog.ts';
import type { Oracle } from './oracle.ts';
import type { InvalidQuery, ReplayedQuery } from './sampler.ts';
import { ConfigError } from '../core/problems.ts';

export { generateWorkload, type GenerateOptions } from './workload-gen.ts';
export type { InvalidQuery } from './sampler.ts';

/** The replayed legacy searches kept while the oracle was built, in capability order. */
export function replayedWorkload(oracle: Oracle, capabilities: readonly CapabilityId[] = CAPABILITY_IDS): {
  queries: ReplayedQuery[];
  seen: number;
  invalid: InvalidQuery[];
  invalidCount: number;
} {
  const s = oracle.sampler;
  const queries: ReplayedQuery[] = [];
  for (const c of capabilities) queries.push(...(s.replayed.get(c)?.items ?? []));
  return { queries, seen: s.replayedSeen, invalid: s.invalid, invalidCount: s.invalidCount };
}

/**
 * Parse a JSON-lines workload: one `{"capability": "S02", "params": {...}, "note"?: "..."}` per
 * line. Blank lines and lines starting with `#` are skipped. Returns the valid queries and, for
 * each invalid line, a message naming the file and line.
 */
export function parseWorkload(text: string, file = 'workload'): { queries: Query[]; invalid: InvalidQuery[] } {
  const queries: Query[] = [];
  const invalid: InvalidQuery[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${file}:${i + 1}`;
    const bad = (message: string) => invalid.push({ origin: 'workload', source: where, message: `${where}: ${message}` });
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      return bad(`not JSON (${(err as Error).message})`);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return bad('expected an object {"capability": "S01", "params": {...}}');
    const { capability, params, note, ...rest } = v as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) return bad(`unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')} (allowed: capability, params, note)`);
    if (!isCapabilityId(capability)) return bad(`unknown capability ${JSON.stringify(capability)} (expected S01–S20)`);
    if (params === null || typeof params !== 'object' || Array.isArray(params)) return bad(`${capability}: "params" must be an object`);
    if (note !== undefined && typeof note !== 'string') return bad('"note" must be a string');
    const r = validateParams(capability, params);
    if (!r.ok) return bad(r.message);
    queries.push({ capability, params: r.params as Record<string, unknown>, origin: 'workload', ...(note ? { note } : {}) });
  });
  return { queries, invalid };
}

export class WorkloadFileError extends ConfigError {
  override name = 'WorkloadFileError';
}

/** Read and validate a --workload file; any invalid line stops the run with every error listed. */
export async function loadWorkloadFile(path: string): Promise<Query[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new WorkloadFileError(`cannot read workload file ${path}: ${(err as Error).message}`, 'give the path of a JSON-lines file', { cause: err });
  }
  const { queries, invalid } = parseWorkload(text, path);
  if (invalid.length > 0) {
    const shown = invalid.slice(0, 20).map((i) => `  ${i.message}`);
    if (invalid.length > 20) shown.push(`  … and ${invalid.length - 20} more`);
    throw new WorkloadFileError(
      `workload file ${path} has ${invalid.length} invalid line${invalid.length > 1 ? 's' : ''}:\n${shown.join('\n')}`,
      'fix those lines: each is {"capability": "S01"…"S20", "params": {…}} with the catalog parameter names',
    );
  }
  return queries;
}
