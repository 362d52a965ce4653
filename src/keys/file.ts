// The file `cutover run --keys FILE` reads: which legacy records to re-migrate. Three forms, told
// apart by the file name as `reconcile --differences` writes them:
//   *.csv            a differences file (header with at least system, entity and key; kind,
//                    table and target_id are kept when present)
//   *.jsonl, *.ndjson  a differences file in JSON Lines (objects with system, entity, key)
//   anything else    a plain list of source keys, one `SYSTEM,ENTITY,KEY` a line in the same
//                    CSV quoting (`CRIS,NOMINAL,N000123`); blank lines and `#` comments skipped
// A malformed file is a usage error (exit 2) naming the file and line; nothing is migrated.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../core/csv.ts';
import { ConfigError } from '../core/problems.ts';
import { formatOf } from '../report/line-file.ts';
import { DIFFERENCE_KINDS, type DifferenceKind } from '../reconcile/differences.ts';

/** One line of the keys file. */
export interface KeyRequest {
  /** line number in the file (1-based), to point at it in messages */
  line: number;
  /** the finding's kind; null for a plain source key */
  kind: DifferenceKind | null;
  system: string | null;
  entity: string | null;
  key: string | null;
  table: string | null;
  targetId: string | null;
}

export type KeysFileForm = 'csv' | 'jsonl' | 'list';

export function keysFileForm(file: string): KeysFileForm {
  if (/\.csv$/i.test(file)) return 'csv';
  return formatOf(file) === 'jsonl' ? 'jsonl' : 'list';
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

function bad(file: string, line: number | null, what: string): never {
  const where = line === null ? path.basename(file) : `${path.basename(file)} line ${line}`;
  throw new ConfigError(`--keys ${where}: ${what} — give a \`reconcile --differences\` file (.csv or .jsonl) or one SYSTEM,ENTITY,KEY a line (README "Re-migrating exactly the records that differ")`);
}

function kindOf(file: string, line: number, v: unknown): DifferenceKind | null {
  const k = text(v);
  if (k === null) return null;
  if (!(DIFFERENCE_KINDS as readonly string[]).includes(k)) bad(file, line, `unknown kind "${k.slice(0, 40)}"`);
  return k as DifferenceKind;
}

function fromCsv(file: string, content: string): KeyRequest[] {
  const [head, ...rows] = parseCsv(content);
  if (!head) return [];
  const at = (name: string) => head.indexOf(name);
  const missing = ['system', 'entity', 'key'].filter((c) => at(c) < 0);
  if (missing.length) bad(file, 1, `the header has no ${missing.join(', ')} column`);
  const col = (r: string[], name: string) => (at(name) < 0 ? null : text(r[at(name)]));
  return rows.map((r, i) => {
    if (r.length !== head.length) bad(file, i + 2, `${r.length} cells where the header has ${head.length}`);
    return { line: i + 2, kind: kindOf(file, i + 2, col(r, 'kind')), system: col(r, 'system'), entity: col(r, 'entity'), key: col(r, 'key'), table: col(r, 'table'), targetId: col(r, 'target_id') };
  });
}

function fromJsonLines(file: string, content: string): KeyRequest[] {
  const out: KeyRequest[] = [];
  content.split(/\r?\n/).forEach((l, i) => {
    if (!l.trim()) return;
    let o: unknown;
    try {
      o = JSON.parse(l);
    } catch {
      bad(file, i + 1, 'not a JSON object');
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) bad(file, i + 1, 'not a JSON object');
    const x = o as Record<string, unknown>;
    if (!('system' in x) || !('entity' in x) || !('key' in x)) bad(file, i + 1, 'the object has no system, entity and key');
    out.push({ line: i + 1, kind: kindOf(file, i + 1, x.kind), system: text(x.system), entity: text(x.entity), key: text(x.key), table: text(x.table), targetId: text(x.targetId) });
  });
  return out;
}

function fromList(file: string, content: string): KeyRequest[] {
  const out: KeyRequest[] = [];
  content.split(/\r?\n/).forEach((l, i) => {
    if (!l.trim() || l.trimStart().startsWith('#')) return;
    const cells = parseCsv(l)[0] ?? [];
    if (cells.length !== 3 || cells.some((c) => !c.trim())) bad(file, i + 1, `expected SYSTEM,ENTITY,KEY, found ${cells.length} value(s)`);
    const [system, entity, key] = cells as [string, string, string];
    out.push({ line: i + 1, kind: null, system: system.trim(), entity: entity.trim(), key, table: null, targetId: null });
  });
  return out;
}

/** Read and check the whole keys file (its lines are few beside the records they name). */
export function readKeysFile(file: string): KeyRequest[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    bad(file, null, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (content.includes('\u0000')) bad(file, null, 'is not a text file');
  const form = keysFileForm(file);
  return form === 'csv' ? fromCsv(file, content) : form === 'jsonl' ? fromJsonLines(file, content) : fromList(file, content);
}
