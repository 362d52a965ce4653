// Reference data read at generation time from the project's data/ folder (path relative to
// this module, not the working directory): fake UK names (MoJ Splink test data) and Home
// Office offence codes (ONS). See data/README.md for the attribution.
import { readFileSync } from 'node:fs';
import { weighted, type Weighted } from './random.ts';
import { parseCsv } from '../core/csv.ts';
import { rootPath } from '../core/paths.ts';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export { parseCsv };

const DATA_DIR = pathToFileURL(rootPath('data') + path.sep);

function readCsv(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(new URL(file, DATA_DIR), 'utf8'));
  if (!header) throw new Error(`data/${file} is empty`);
  return rows.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
}

export interface OffenceCode {
  code: string;
  label: string;
  category: string;
}

export interface Reference {
  /** Surnames with their frequency in the names file (blank ones skipped), title case as given. */
  surnames: Weighted<string>;
  forenames: Weighted<string>;
  /** Distinct surnames (for hyphenated names). */
  surnameList: string[];
  offences: OffenceCode[];
  /** Offence codes weighted by how common their category is. */
  offenceWeights: Weighted<OffenceCode>;
}

// Rough shares of recorded crime by ONS category (so burglary and theft dominate, as in CRIS).
const CATEGORY_WEIGHT: Record<string, number> = {
  'Theft offences': 40,
  'Violence against the person': 28,
  'Criminal damage and arson': 12,
  'Drug offences': 6,
  'Public order offences': 5,
  Robbery: 3,
  'Sexual offences': 3,
  'Possession of weapons offences': 2,
  'Fraud offences': 1,
  'Miscellaneous crimes against society': 2,
};

function frequencies(values: string[]): Weighted<string> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const pairs = [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return weighted(pairs);
}

let cached: Reference | null = null;

export function loadReference(): Reference {
  if (cached) return cached;
  const people = readCsv('uk-names-fake-1000.csv');
  const clean = (s: string | undefined) => (s ?? '').trim().replace(/\s+/g, ' ');
  // Keep typos (Tayolr) but not the scrambled-case entries (cllaWe): CRIS upper-cases names anyway.
  const nameLike = (s: string) => /^[A-Z][a-z]+(?:[-' ][A-Z][a-z]+)*$/.test(s);
  const surnames = people.map((p) => clean(p.surname)).filter(nameLike);
  const forenames = people.map((p) => clean(p.first_name)).filter(nameLike);
  // HO_CLASS is varchar(6): the combined homicide code `1-4.1-4.10-4.2` cannot be recorded there.
  const offences = readCsv('ho-offence-codes.csv')
    .map((r) => ({ code: r.code!.trim(), label: r.label!.trim(), category: r.category!.trim() }))
    .filter((o) => o.code.length <= 6);
  const perCategory = new Map<string, number>();
  for (const o of offences) perCategory.set(o.category, (perCategory.get(o.category) ?? 0) + 1);
  cached = {
    surnames: frequencies(surnames),
    forenames: frequencies(forenames),
    surnameList: [...new Set(surnames)].sort(),
    offences,
    offenceWeights: weighted(offences.map((o) => [o, (CATEGORY_WEIGHT[o.category] ?? 1) / perCategory.get(o.category)!] as const)),
  };
  return cached;
}
