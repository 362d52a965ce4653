// Mapping.references is what a delta relies on to re-derive the records that link to a key which
// came or went: a reference left out would leave such a record's orphan link unresolved. Every
// link a mapping emits over a generated extract must point only at entities it declares.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createExtract, type Extract } from '../helpers/extract.ts';
import { MAPPINGS } from '../../mappings/index.ts';
import { PostgresCrisSource } from '../../src/sources/postgres.ts';
import { JsonExportSource } from '../../src/sources/json-export.ts';
import type { Mapping } from '../../src/pipeline/types.ts';
import type { Source } from '../../src/sources/types.ts';

let e: Extract;
beforeAll(async () => {
  e = await createExtract('refs', { scale: 400, seed: 5 });
}, 120_000);
afterAll(async () => {
  await e?.dispose();
});

/** The entities the links of the mapping's records point at, over the whole entity. */
async function referenced(source: Source, m: Mapping): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const rec of source.read(m.entity)) {
    const o = m.map(rec);
    if (o.kind === 'loaded') for (const l of o.mapped.links) for (const r of l.refs) out.add(r.entity);
  }
  return out;
}

describe('Mapping.references', () => {
  it('covers every entity a mapping\'s links point at (and the record mappings declare theirs)', async () => {
    const sources = { CRIS: new PostgresCrisSource(e.crisUrl), CRIMINT: new JsonExportSource(e.crimintDir) };
    const seen: Record<string, string[]> = {};
    try {
      for (const [system, mappings] of Object.entries(MAPPINGS)) {
        for (const m of mappings) {
          if (m.audit) continue; // audit steps take new entries by watermark: nothing is re-derived
          const refs = [...(await referenced(sources[system as keyof typeof sources], m))].sort();
          seen[`${system}:${m.entity}`] = refs;
          expect(m.references, `${system}:${m.entity} declares its references`).toBeDefined();
          expect(refs.filter((r) => !m.references!.includes(r)), `${system}:${m.entity} links to undeclared entities`).toEqual([]);
        }
      }
    } finally {
      await sources.CRIS.close();
    }
    // the extract exercised the references that exist
    expect(seen).toMatchObject({
      'CRIS:NOMINAL': ['ADDRESS'], 'CRIS:CRIME_REPORT': ['ADDRESS'], 'CRIS:CRIME_NOMINAL': ['CRIME_REPORT', 'NOMINAL'],
      'CRIS:CRIME_VEHICLE': ['CRIME_REPORT', 'VEHICLE'], 'CRIMINT:intel_reports.json': ['nominals.json'],
    });
  }, 120_000);
});
