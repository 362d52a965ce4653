// Shared helpers of the mapping tests (pure: no database).
import { expect } from 'vitest';
import type { Mapped, Mapping, Outcome } from '../../src/pipeline/types.ts';
import type { SourceRecord } from '../../src/sources/types.ts';
import { linkSchemas } from '../../mappings/schemas.ts';

export function rec(key: string, raw: Record<string, unknown>, ordinal = 0): SourceRecord {
  return { key, ordinal, raw };
}

/** Maps, asserts `loaded`, and validates every row and link against the schemas as the loader will. */
export function load(m: Mapping, r: SourceRecord): Mapped {
  const o = m.map(r);
  if (o.kind !== 'loaded') throw new Error(`expected loaded, got ${JSON.stringify(o)}`);
  for (const row of o.mapped.rows) {
    const schema = m.schemas[row.table];
    expect(schema, `schema for ${row.table}`).toBeDefined();
    const res = schema!.safeParse(row.row);
    expect(res.success ? null : res.error.issues, `${row.table} ${row.key}`).toBeNull();
  }
  for (const l of o.mapped.links) {
    const res = linkSchemas[l.table].safeParse(l.row);
    expect(res.success ? null : res.error.issues, `${l.table} ${l.key}`).toBeNull();
  }
  return o.mapped;
}

/** Maps, asserts `quarantined`, returns the primary problem. */
export function quarantine(m: Mapping, r: SourceRecord) {
  const o: Outcome = m.map(r);
  if (o.kind !== 'quarantined') throw new Error(`expected quarantined, got ${JSON.stringify(o)}`);
  return o.problems[0]!;
}

/** `code@field` of every warning, in order. */
export function warnings(m: Mapped): string[] {
  return m.warnings.map((w) => `${w.code}@${w.field}`);
}

export const utc = (iso: string) => new Date(iso);
