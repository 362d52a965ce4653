// The legacy records a step's requested keys stand for, read from the source in one pass. A
// finding's key is a record's key, an inline item's lineage key (`N1/addresses/0`: the record
// `N1`), or a link group (`C1|N2`: the link-only records `C1|N2|role`). Keys no source record
// answers are looked up in what the target holds: such a record was deleted in the legacy system
// and is removed like a delta deletion; a key neither side knows is reported as not found.
import { mentionsAny, type KnownRecord } from '../sources/changes.ts';
import type { Source, SourceRecord } from '../sources/types.ts';

export interface Found {
  /** source key → every copy in read order (a re-export may repeat a key: the last wins) */
  records: Map<string, SourceRecord[]>;
  /** requested key → the source key it stands for */
  resolved: Map<string, string>;
  /** records that mention a key whose presence an earlier step changed: re-derived too */
  dependents: Set<string>;
}

/** `key`'s beginnings up to each `sep`: `a/b/c` → `a`, `a/b`. */
function prefixes(key: string, sep: string): string[] {
  const out: string[] = [];
  for (let i = key.indexOf(sep); i > 0; i = key.indexOf(sep, i + 1)) out.push(key.slice(0, i));
  return out;
}

function add<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** The requested keys a record key answers. */
function answers(recordKey: string, wanted: ReadonlySet<string>, byItem: ReadonlyMap<string, string[]>): string[] {
  const out = wanted.has(recordKey) ? [recordKey] : [];
  out.push(...(byItem.get(recordKey) ?? []));
  for (const p of prefixes(recordKey, '|')) if (wanted.has(p)) out.push(p);
  return out;
}

function itemIndex(wanted: Iterable<string>): Map<string, string[]> {
  const byItem = new Map<string, string[]>();
  for (const k of wanted) for (const p of prefixes(k, '/')) add(byItem, p, k);
  return byItem;
}

export async function findRecords(source: Source, entity: string, wanted: ReadonlySet<string>,
  scan: { known: ReadonlyMap<string, KnownRecord>; mentions: ReadonlySet<string>; signal?: AbortSignal }): Promise<Found> {
  const byItem = itemIndex(wanted);
  const found: Found = { records: new Map(), resolved: new Map(), dependents: new Set() };
  for await (const rec of source.read(entity)) {
    if (scan.signal?.aborted) break;
    const hits = answers(rec.key, wanted, byItem);
    for (const k of hits) found.resolved.set(k, rec.key);
    if (!hits.length && !found.records.has(rec.key)) {
      if (!scan.mentions.size || !scan.known.has(rec.key) || !mentionsAny(rec.raw, scan.mentions)) continue;
      found.dependents.add(rec.key);
    }
    add(found.records, rec.key, rec);
  }
  return found;
}

/** Requested keys no source record answers, resolved against what the target holds (key → known key). */
export function resolveKnown(absent: readonly string[], known: ReadonlyMap<string, KnownRecord>): Map<string, string> {
  const out = new Map<string, string>();
  if (!absent.length) return out;
  const wanted = new Set(absent);
  const byItem = itemIndex(absent);
  for (const key of known.keys()) for (const k of answers(key, wanted, byItem)) out.set(k, key);
  return out;
}
