// CRIMINT read from an export directory (manifest.json plus one JSON array per entity). Every file
// is streamed; nothing is read whole except the small manifest. Before the first record is
// yielded, every data file is checked against the manifest (SHA-256 and record count), once
// per source instance, so nothing loads from an export that fails its own control totals.
//
// Keys: `ref` (nominals), `urn` (intel_reports), `id` (audit). A record whose key is missing,
// not a string, or blank gets `#<ordinal>` so the mapping can quarantine it. Ordinal = index in
// the array. KeyRange bounds for this source are ordinals (keyKind 'ordinal'): (after, upTo].
import { readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readJsonArray, readJsonArrayWhere, scanJsonArray } from './json-scan.ts';
import type { EntityInfo, KeyRange, Source, SourceRecord } from './types.ts';
import { ConfigError, CutoverError, SourceFormatError } from '../core/problems.ts';

export interface CrimintEntity {
  /** Entity name: the file name (`nominals.json`). */
  name: string;
  file: string;
  keyField: string;
}

export const CRIMINT_ENTITIES: readonly CrimintEntity[] = Object.freeze([
  { name: 'nominals.json', file: 'nominals.json', keyField: 'ref' },
  { name: 'intel_reports.json', file: 'intel_reports.json', keyField: 'urn' },
  { name: 'audit.json', file: 'audit.json', keyField: 'id' },
]);

/** `nominals.json` (also accepted without `.json`). */
export function crimintEntity(entity: string): CrimintEntity {
  const e = CRIMINT_ENTITIES.find((x) => x.name === entity || x.name === `${entity}.json`);
  if (!e) throw new ConfigError(`unknown CRIMINT entity '${entity}'`, `use one of ${CRIMINT_ENTITIES.map((x) => x.name).join(', ')}`);
  return e;
}

const ManifestSchema = z.object({
  exportedAt: z.string().optional(),
  files: z.record(z.string(), z.object({
    records: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 in hex (64 characters)'),
  })),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** Read and validate manifest.json (small: read whole). */
export function readManifest(dir: string): Manifest {
  const file = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the CRIMINT manifest ${file}: ${(err as Error).message}`,
      'run `cutover generate` to write a synthetic export, or set CUTOVER_CRIMINT_DIR to the export directory', { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SourceFormatError(file, null, `manifest is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new SourceFormatError(file, null, `manifest does not have the expected shape: ${issues}`);
  }
  return parsed.data;
}

export interface ManifestCheck {
  entity: string;
  file: string;
  expectedRecords: number | null;
  actualRecords: number;
  expectedSha256: string | null;
  actualSha256: string;
  bytes: number;
  ok: boolean;
}

/** Stream each data file once (SHA-256 and record count) and compare with the manifest. Never throws on a mismatch. */
export async function checkManifest(dir: string): Promise<ManifestCheck[]> {
  const manifest = readManifest(dir);
  const checks: ManifestCheck[] = [];
  for (const e of CRIMINT_ENTITIES) {
    const entry = manifest.files[e.file];
    const file = path.join(dir, e.file);
    if (!existsSync(file)) {
      throw new CutoverError(`CRIMINT export ${dir} has no ${e.file}${entry ? ' although the manifest lists it' : ''}`, 'the export is incomplete: re-export it, or run `cutover generate`');
    }
    const scan = await scanJsonArray(file);
    const expectedSha256 = entry ? entry.sha256.toLowerCase() : null;
    checks.push({
      entity: e.name, file: e.file,
      expectedRecords: entry?.records ?? null, actualRecords: scan.records,
      expectedSha256, actualSha256: scan.sha256, bytes: scan.bytes,
      ok: !!entry && entry.records === scan.records && expectedSha256 === scan.sha256,
    });
  }
  return checks;
}

/** Describe what failed, one line per file. */
export function describeMismatches(checks: ManifestCheck[]): string[] {
  return checks.filter((c) => !c.ok).map((c) => {
    if (c.expectedRecords === null) return `${c.file}: not in the manifest (${c.actualRecords} records, sha256 ${c.actualSha256})`;
    const parts: string[] = [];
    if (c.expectedRecords !== c.actualRecords) parts.push(`records expected ${c.expectedRecords}, actual ${c.actualRecords}`);
    if (c.expectedSha256 !== c.actualSha256) parts.push(`sha256 expected ${c.expectedSha256}, actual ${c.actualSha256}`);
    return `${c.file}: ${parts.join('; ')}`;
  });
}

/** checkManifest, throwing a CutoverError that names each failing file with expected and actual values. */
export async function verifyManifest(dir: string): Promise<ManifestCheck[]> {
  const checks = await checkManifest(dir);
  const bad = describeMismatches(checks);
  if (bad.length) {
    throw new CutoverError(`CRIMINT export ${dir} does not match its manifest (nothing was loaded):\n  ${bad.join('\n  ')}`,
      'the export is damaged or incomplete: re-export it; do not edit the manifest to make it pass');
  }
  return checks;
}

function ordinalBound(entity: string, v: string | null, name: string): number | null {
  if (v === null) return null;
  if (!/^\d+$/.test(v)) throw new ConfigError(`${entity}: range ${name} '${v}' is not an ordinal`, 'JSON sources are read by position: a range bound is an array index');
  return Number(v);
}

/** The key of a CRIMINT record: the key field when it is a non-blank string, else `#<ordinal>`. */
export function crimintKey(raw: unknown, keyField: string, ordinal: number): string {
  const k = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>)[keyField] : undefined;
  return typeof k === 'string' && k.trim() !== '' ? k : `#${ordinal}`;
}

/** A record's raw fields: the element itself when it is an object, else the element under `$value`. */
const asRaw = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { $value: value };

export class JsonExportSource implements Source {
  readonly system = 'CRIMINT' as const;
  readonly identity: string;
  private verified: Promise<ManifestCheck[]> | null = null;

  constructor(readonly dir: string) {
    this.identity = `crimint:${path.resolve(dir)}`;
  }

  entities(): EntityInfo[] {
    return CRIMINT_ENTITIES.map((e) => ({ name: e.name, keyKind: 'ordinal' as const }));
  }

  /** The manifest's record count (the source's own control total). */
  async count(entity: string): Promise<number> {
    const e = crimintEntity(entity);
    const entry = readManifest(this.dir).files[e.file];
    if (!entry) throw new CutoverError(`the CRIMINT manifest in ${this.dir} does not list ${e.file}`, 're-export, or run `cutover generate`');
    return entry.records;
  }

  /** A JSON file cannot be split by key: one open range. */
  async partitions(entity: string, n: number): Promise<KeyRange[]> {
    crimintEntity(entity);
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`partition count must be a positive integer, got ${n}`);
    return [{ after: null, upTo: null }];
  }

  /** The manifest check, run once per instance; every read waits for it. */
  verify(): Promise<ManifestCheck[]> {
    if (!this.verified) {
      this.verified = verifyManifest(this.dir);
      this.verified.catch(() => {}); // the failure is delivered to every read; never unhandled
    }
    return this.verified;
  }

  async *read(entity: string, range: KeyRange = { after: null, upTo: null }): AsyncGenerator<SourceRecord> {
    const e = crimintEntity(entity);
    const after = ordinalBound(e.name, range.after, 'after');
    const upTo = ordinalBound(e.name, range.upTo, 'upTo');
    await this.verify();
    const file = path.join(this.dir, e.file);
    for await (const { index, value } of readJsonArray(file, { from: after === null ? 0 : after + 1, to: upTo ?? undefined })) {
      yield { key: crimintKey(value, e.keyField, index), ordinal: index, raw: asRaw(value) };
    }
  }

  /**
   * Only the records with these keys, in file order, at their positions in the file: the byte
   * scanner (json-scan.ts) finds each element's key member without building anything, and only
   * the elements asked for are parsed. A repeated key gives every copy, as `read` does.
   */
  async *readKeys(entity: string, keys: readonly string[]): AsyncGenerator<SourceRecord> {
    const e = crimintEntity(entity);
    await this.verify();
    const wanted = new Set(keys);
    const file = path.join(this.dir, e.file);
    // a blank or missing key is `#<index>` (crimintKey); a key only parsing can tell is parsed
    const select = (key: string | null | undefined, index: number) => key === undefined || wanted.has(key !== null && key.trim() !== '' ? key : `#${index}`);
    for await (const { index, value } of readJsonArrayWhere(file, e.keyField, select)) {
      const key = crimintKey(value, e.keyField, index);
      if (!wanted.has(key)) continue;
      yield { key, ordinal: index, raw: asRaw(value) };
    }
  }

  async close(): Promise<void> {}
}

/** Whether `dir` looks like a CRIMINT export (a directory with manifest.json). */
export function isCrimintExport(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && existsSync(path.join(dir, 'manifest.json'));
  } catch {
    return false;
  }
}
