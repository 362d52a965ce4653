// What the target should hold for one source record: the SAME mapping the pipeline ran
// (outcomeOf: exclusion rule, then map), then the loader's own acceptance test (each row valid
// against its table's zod schema, no NUL in any text), so a record the loader would have
// quarantined is expected in quarantine, not in the target.
import { outcomeOf } from '../pipeline/runner.ts';
import { rowProblem } from '../load/validate.ts';
import type { LinkOut, Mapping, RowOut } from '../pipeline/types.ts';
import type { SourceRecord } from '../sources/types.ts';

export type Expected =
  | { kind: 'loaded'; rows: RowOut[]; links: LinkOut[] }
  | { kind: 'quarantined'; code: string; field: string | null }
  | { kind: 'excluded'; reason: string };

/**
 * The expected outcome, before the loader's schema check (see `validated`): when the target
 * records the record as loaded, its rows are compared field by field and the check adds nothing,
 * so it runs only for the records the target did not load.
 */
export function expectedOf(mapping: Mapping, rec: SourceRecord): Expected {
  const o = outcomeOf(mapping, rec);
  if (o.kind === 'excluded') return { kind: 'excluded', reason: o.reason };
  if (o.kind === 'quarantined') return { kind: 'quarantined', code: o.problems[0]?.code ?? 'unknown', field: o.problems[0]?.field ?? null };
  return { kind: 'loaded', rows: o.mapped.rows, links: o.mapped.links };
}

/** The loader's acceptance test applied: rows that fail their table's schema mean quarantine. */
export function validated(mapping: Mapping, exp: Expected): Expected {
  if (exp.kind !== 'loaded') return exp;
  const bad = rowProblem(mapping, exp.rows, '');
  return bad ? { kind: 'quarantined', code: 'schema_violation', field: bad.field } : exp;
}
