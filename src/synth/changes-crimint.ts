// Legacy changes after the full load, as CRIMINT delivers them: a newer complete export written
// to a new directory (the old one is left as it was). Records absent from it were deleted;
// audit.json holds the whole history again, with new entries after it. Choices are by
// md5(seed:tag:key) order, so the same seed and fraction give the same bytes.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readJsonArray } from '../sources/json-scan.ts';
import { JsonArrayWriter, type FileTotals } from './json-writer.ts';

type Rec = Record<string, unknown>;

const rank = (seed: string, tag: string, key: string) => createHash('md5').update(`${seed}:${tag}:${key}`).digest('hex');

/** The keys chosen for a tag: round(candidates × fraction × share), at least one when there is a candidate. */
function choose(seed: string, tag: string, candidates: string[], fraction: number, share: number): Set<string> {
  const n = Math.max(1, Math.round(candidates.length * fraction * share));
  return new Set([...new Set(candidates)].sort((a, b) => (rank(seed, tag, a) < rank(seed, tag, b) ? -1 : 1)).slice(0, n));
}

async function readAll(file: string): Promise<Rec[]> {
  const out: Rec[] = [];
  for await (const { value } of readJsonArray(file)) out.push(value as Rec);
  return out;
}

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

interface FileChange {
  /** the records to write, in order */
  records: Rec[];
  counts: Record<string, number>;
}

function changeNominals(all: Rec[], seed: string, f: number): FileChange {
  const keyed = all.filter((r) => typeof r.ref === 'string');
  const live = keyed.filter((r) => r.status !== 'DELETED' && !blank(r.surname) && Array.isArray(r.aliases)).map((r) => r.ref as string);
  const del = choose(seed, 'cn-nom-del', live, f, 0.1);
  const upd = choose(seed, 'cn-nom-upd', live, f, 0.4);
  const invalid = choose(seed, 'cn-nom-invalid', live, f, 0.1);
  const flip = choose(seed, 'cn-nom-flip', live, f, 0.1);
  const unflip = choose(seed, 'cn-nom-unflip', keyed.filter((r) => r.status === 'DELETED').map((r) => r.ref as string), f, 1);
  const recreate = choose(seed, 'cn-nom-recreate', live, f, 0.1);
  const fresh = choose(seed, 'cn-nom-new', live, f, 0.2);
  const counts: Record<string, number> = { deleted: 0, updated: 0, invalidated: 0, flipped: 0, unflipped: 0, corrected: 0, recreated: 0, inserted: 0 };
  const out: Rec[] = [];
  const recreated: Rec[] = [];
  for (const r0 of all) {
    const key = r0.ref as string;
    if (del.has(key)) { counts.deleted!++; continue; }
    let r: Rec = { ...r0 };
    if (blank(r.surname) || !Array.isArray(r.aliases)) {
      // the planted quarantined nominals, corrected in CRIMINT
      r = { ...r, surname: blank(r.surname) ? 'Corrected' : r.surname, aliases: Array.isArray(r.aliases) ? r.aliases : [] };
      counts.corrected!++;
    } else if (invalid.has(key)) { delete r.surname; counts.invalidated!++; }
    else if (flip.has(key)) { r.status = 'DELETED'; counts.flipped!++; }
    else if (unflip.has(key)) { r.status = 'ACTIVE'; counts.unflipped!++; }
    else if (upd.has(key)) { r.forenames = `${typeof r.forenames === 'string' ? `${r.forenames} ` : ''}James`; r.aliases = (r.aliases as Rec[]).slice(1); counts.updated!++; }
    if (recreate.has(key)) {
      // deleted and re-created with the same key: it comes back at the end, as new
      recreated.push({ ...r, forenames: 'Recreated', addresses: [], phones: [] });
      counts.recreated!++;
      continue;
    }
    out.push(r);
  }
  let n = 0;
  for (const r of all) {
    if (!fresh.has(r.ref as string) || del.has(r.ref as string)) continue;
    out.push({ ...r, ref: `N9${String(++n).padStart(6, '0')}`, status: 'ACTIVE' });
    counts.inserted!++;
    fresh.delete(r.ref as string);
  }
  return { records: [...out, ...recreated], counts };
}

function changeReports(all: Rec[], seed: string, f: number): FileChange {
  const keyed = all.filter((r) => typeof r.urn === 'string');
  const live = keyed.filter((r) => r.status !== 'DELETED').map((r) => r.urn as string);
  const del = choose(seed, 'cn-ir-del', live, f, 0.1);
  const upd = choose(seed, 'cn-ir-upd', live, f, 0.5);
  const flip = choose(seed, 'cn-ir-flip', live, f, 0.1);
  const unflip = choose(seed, 'cn-ir-unflip', keyed.filter((r) => r.status === 'DELETED').map((r) => r.urn as string), f, 1);
  const fresh = choose(seed, 'cn-ir-new', live, f, 0.2);
  const counts: Record<string, number> = { deleted: 0, updated: 0, flipped: 0, unflipped: 0, corrected: 0, inserted: 0 };
  const out: Rec[] = [];
  for (const r0 of all) {
    const key = r0.urn as string;
    if (del.has(key)) { counts.deleted!++; continue; }
    const r: Rec = { ...r0 };
    if (typeof r.created === 'string' && r.created.startsWith('31/02/')) { r.created = `28/02/${r.created.slice(6)}`; counts.corrected!++; }
    else if (flip.has(key)) { r.status = 'DELETED'; counts.flipped!++; }
    else if (unflip.has(key)) { r.status = 'ACTIVE'; counts.unflipped!++; }
    else if (upd.has(key)) { r.text = `${typeof r.text === 'string' ? r.text : ''} Update: subject seen again.`; r.vehicles = []; counts.updated!++; }
    out.push(r);
  }
  let n = 0;
  for (const r of all) {
    if (!fresh.has(r.urn as string) || del.has(r.urn as string)) continue;
    out.push({ ...r, urn: `IR/2025/9${String(++n).padStart(6, '0')}`, status: 'ACTIVE' });
    counts.inserted!++;
    fresh.delete(r.urn as string);
  }
  return { records: out, counts };
}

function changeAudit(all: Rec[], seed: string, f: number): FileChange {
  const ids = all.map((r) => r.id).filter((x): x is string => typeof x === 'string');
  const pick = choose(seed, 'cn-audit-new', ids, f, 0.5);
  for (const k of choose(seed, 'cn-audit-search', all.filter((r) => r.action === 'SEARCH').map((r) => r.id as string), f, 0.2)) pick.add(k);
  const max = Math.max(0, ...ids.map((i) => Number(i.slice(1))).filter(Number.isFinite));
  const added: Rec[] = [];
  for (const r of all) {
    if (!pick.has(r.id as string)) continue;
    const n = added.length + 1;
    added.push({ ...r, id: `A${String(max + n).padStart(9, '0')}`, at: `03/06/2025 ${String(9 + Math.floor(n / 60) % 12).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00` });
  }
  return { records: [...all, ...added], counts: { appended: added.length } };
}

async function write(file: string, records: Rec[]): Promise<FileTotals> {
  const w = new JsonArrayWriter(file);
  try {
    for (const r of records) await w.add(r);
    return await w.close();
  } catch (err) {
    w.destroy();
    throw err;
  }
}

/** Write the newer export to `outDir` from the export in `fromDir` (left unchanged). */
export async function writeChangedCrimint(fromDir: string, outDir: string, seed: string, fraction: number): Promise<Record<string, Record<string, number>>> {
  if (path.resolve(fromDir) === path.resolve(outDir)) throw new Error('the new CRIMINT export must go to another directory than the old one');
  await mkdir(outDir, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(fromDir, 'manifest.json'), 'utf8')) as { exportedAt?: string; files: Record<string, unknown> };
  const plan: Array<[string, (all: Rec[], seed: string, f: number) => FileChange]> = [
    ['nominals.json', changeNominals], ['intel_reports.json', changeReports], ['audit.json', changeAudit],
  ];
  const files: Record<string, { records: number; sha256: string }> = {};
  const counts: Record<string, Record<string, number>> = {};
  for (const [file, change] of plan) {
    const c = change(await readAll(path.join(fromDir, file)), seed, fraction);
    const t = await write(path.join(outDir, file), c.records);
    files[file] = { records: t.records, sha256: t.sha256 };
    counts[file] = c.counts;
  }
  const before = manifest.exportedAt ? Date.parse(manifest.exportedAt) : Date.parse('2025-01-01T00:00:00Z');
  const exportedAt = new Date(before + 7 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify({ exportedAt, files }, null, 2)}\n`);
  return counts;
}
