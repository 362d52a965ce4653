import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync, readlinkSync, existsSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { JsonExportSource, verifyManifest, checkManifest, crimintKey } from '../../src/sources/json-export.ts';
import { readJsonArray } from '../../src/sources/json-scan.ts';
import { scanJsonArray } from '../../src/sources/json-scan.ts';
import { openCrimintSource } from '../../src/sources/index.ts';
import { ConfigError, CutoverError, SourceFormatError } from '../../src/core/problems.ts';
import type { SourceRecord } from '../../src/sources/types.ts';

type Files = Partial<Record<'nominals.json' | 'intel_reports.json' | 'audit.json', string | Buffer>>;

const NOMINALS = [
  { ref: 'N0001234', surname: "O'Brien", forenames: 'Sean Patrick', dob: '00/03/1985', aliases: [{ surname: 'Bryan' }], phones: ['07700 900123'], mopiGroup: 3 },
  { ref: 'N0000002', surname: 'Zoë', forenames: null, status: 'ARCHIVED', nested: { a: [1, 2, { b: true }], c: false } },
  { ref: 'N0000003', surname: 'Smith\r\n\tJones', created: '04/03/2019 10:22:00' },
];
const INTEL = [{ urn: 'IR/2019/0001234', subjects: [{ ref: 'N0001234', role: 'SUBJECT' }], text: 'seen "driving"' }];
const AUDIT = [{ id: 'A000000001', action: 'VIEW', recipient: null }, { id: 'A000000002', action: 'SEARCH', criteria: { capability: 'S02', params: {} } }];

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cutover-json-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Write an export: data files as given (default: the fixtures above), a manifest computed from them, with overrides. */
function writeExport(files: Files = {}, manifest: Record<string, Partial<{ records: number; sha256: string }>> = {}, counts: Record<string, number> = {}) {
  const all: Required<Files> = {
    'nominals.json': JSON.stringify(NOMINALS, null, 2),
    'intel_reports.json': JSON.stringify(INTEL),
    'audit.json': JSON.stringify(AUDIT),
    ...files,
  } as Required<Files>;
  const defaults: Record<string, number> = { 'nominals.json': NOMINALS.length, 'intel_reports.json': INTEL.length, 'audit.json': AUDIT.length, ...counts };
  const entries: Record<string, { records: number; sha256: string }> = {};
  for (const [name, body] of Object.entries(all)) {
    writeFileSync(path.join(dir, name), body);
    entries[name] = { records: defaults[name]!, sha256: sha(body), ...manifest[name] };
  }
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ exportedAt: '2024-01-01T00:00:00Z', files: entries }));
}

async function collect(it: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

async function failure(p: Promise<unknown> | (() => Promise<unknown>)): Promise<Error> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('JsonExportSource: happy path', () => {
  it('reads each file in order with keys, ordinals and the parsed objects', async () => {
    writeExport();
    const src = new JsonExportSource(dir);
    expect(src.system).toBe('CRIMINT');
    expect(src.entities()).toEqual([
      { name: 'nominals.json', keyKind: 'ordinal' },
      { name: 'intel_reports.json', keyKind: 'ordinal' },
      { name: 'audit.json', keyKind: 'ordinal' },
    ]);
    const nominals = await collect(src.read('nominals.json'));
    expect(nominals.map((r) => [r.key, r.ordinal])).toEqual([['N0001234', 0], ['N0000002', 1], ['N0000003', 2]]);
    expect(nominals.map((r) => r.raw)).toEqual(NOMINALS);
    expect(nominals[2]!.raw.surname).toBe('Smith\r\n\tJones');
    const intel = await collect(src.read('intel_reports.json'));
    expect(intel).toEqual([{ key: 'IR/2019/0001234', ordinal: 0, raw: INTEL[0] }]);
    const audit = await collect(src.read('audit'));
    expect(audit.map((r) => r.key)).toEqual(['A000000001', 'A000000002']);
    expect(audit[1]!.raw).toEqual(AUDIT[1]);
    await src.close();
  });

  it('counts from the manifest, one open partition, and the manifest check returns control totals', async () => {
    writeExport();
    const src = new JsonExportSource(dir);
    expect(await src.count('nominals.json')).toBe(3);
    expect(await src.count('audit.json')).toBe(2);
    expect(await src.partitions('nominals.json', 8)).toEqual([{ after: null, upTo: null }]);
    const checks = await src.verify();
    expect(checks.map((c) => [c.file, c.actualRecords, c.ok])).toEqual([['nominals.json', 3, true], ['intel_reports.json', 1, true], ['audit.json', 2, true]]);
    expect(checks[0]!.actualSha256).toBe(sha(readFileSync(path.join(dir, 'nominals.json'))));
    expect(await verifyManifest(dir)).toEqual(checks);
  });

  it('reads an ordinal range (after, upTo]', async () => {
    writeExport({ 'audit.json': JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ id: `A${i}` }))) }, {}, { 'audit.json': 10 });
    const src = new JsonExportSource(dir);
    const got = await collect(src.read('audit.json', { after: '3', upTo: '6' }));
    expect(got.map((r) => [r.key, r.ordinal])).toEqual([['A4', 4], ['A5', 5], ['A6', 6]]);
    expect((await collect(src.read('audit.json', { after: '8', upTo: null }))).map((r) => r.ordinal)).toEqual([9]);
    expect(await failure(() => collect(src.read('audit.json', { after: 'A3', upTo: null })))).toBeInstanceOf(ConfigError);
  });

  it('gives a missing, non-string or blank key #<ordinal> and keeps duplicates with their own ordinals', async () => {
    const recs = [{ ref: 'N1' }, { surname: 'no key' }, { ref: 42 }, { ref: '  ' }, { ref: 'N1', surname: 'later copy' }, 7, null, ['x']];
    writeExport({ 'nominals.json': JSON.stringify(recs) }, {}, { 'nominals.json': recs.length });
    const got = await collect(new JsonExportSource(dir).read('nominals.json'));
    expect(got.map((r) => [r.key, r.ordinal])).toEqual([['N1', 0], ['#1', 1], ['#2', 2], ['#3', 3], ['N1', 4], ['#5', 5], ['#6', 6], ['#7', 7]]);
    expect(got[4]!.raw).toEqual({ ref: 'N1', surname: 'later copy' });
    expect(got[5]!.raw).toEqual({ $value: 7 });
    expect(got[6]!.raw).toEqual({ $value: null });
    expect(crimintKey({ urn: 'IR/1' }, 'urn', 3)).toBe('IR/1');
  });

  it('readKeys gives exactly what read gives for those keys: every copy, file positions, keys only parsing can tell', async () => {
    // an escaped key value, a key member whose name is escaped, a later member of the same name
    const body = '[{"ref":"N1"},{"surname":"no key"},{"ref":42},{"ref":"  "},{"ref":"N1","surname":"later copy"},7,'
      + '{"ref":"N\\u0032"},{"r\\u0065f":"N3"},{"ref":"X","ref":"N4"},{"ref":"N4x"},{"x":{"ref":"N5"}}]';
    writeExport({ 'nominals.json': body }, {}, { 'nominals.json': 11 });
    const src = new JsonExportSource(dir);
    const all = await collect(src.read('nominals.json'));
    expect(all.map((r) => r.key)).toEqual(['N1', '#1', '#2', '#3', 'N1', '#5', 'N2', 'N3', 'N4', 'N4x', '#10']);
    for (const keys of [['N1', '#2', 'N2', 'N3', '#5', 'absent'], ['N4', '#10', 'X', 'N5'], ['#1', '#3'], []]) {
      expect(await collect(src.readKeys('nominals.json', keys))).toEqual(all.filter((r) => keys.includes(r.key)));
    }
  });

  it('readKeys over a file of many chunks, with elements that cross chunk boundaries', async () => {
    const many = Array.from({ length: 4000 }, (_, i) => ({ ref: `N${i}`, text: `${'é'.repeat(i % 90)}\u{1F600}${'x'.repeat(i % 170)}`, n: i }));
    writeExport({ 'nominals.json': JSON.stringify(many) }, {}, { 'nominals.json': many.length });
    const src = new JsonExportSource(dir);
    const keys = many.filter((_, i) => i % 37 === 0 || i === 3999).map((r) => r.ref);
    const got = await collect(src.readKeys('nominals.json', keys));
    expect(got.map((r) => r.ordinal)).toEqual(many.map((_, i) => i).filter((i) => i % 37 === 0 || i === 3999));
    expect(got.map((r) => r.raw)).toEqual(got.map((r) => many[r.ordinal]));
  });

  it('reads an empty array, a BOM, and keeps a __proto__ key as data', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"id":"A1","__proto__":{"x":1}}]')]);
    writeExport({ 'nominals.json': '[]', 'audit.json': bom }, {}, { 'nominals.json': 0, 'audit.json': 1 });
    const src = new JsonExportSource(dir);
    expect(await collect(src.read('nominals.json'))).toEqual([]);
    const [a] = await collect(src.read('audit.json'));
    expect(a!.key).toBe('A1');
    expect(Object.getPrototypeOf(a!.raw)).toBe(Object.prototype);
    expect(Object.keys(a!.raw)).toEqual(['id', '__proto__']);
  });

  it('builds nothing for the manifest check and reads files longer than one chunk', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ ref: `N${i}`, text: 'é'.repeat(i % 50) + '\u{1F600}' }));
    const body = JSON.stringify(many);
    writeExport({ 'nominals.json': body }, {}, { 'nominals.json': many.length });
    const file = path.join(dir, 'nominals.json');
    expect(await scanJsonArray(file, 1000)).toEqual({ records: 5000, bytes: Buffer.byteLength(body), sha256: sha(body) });
    let i = 0;
    for await (const { index, value } of readJsonArray(file, { chunkBytes: 777 })) {
      expect(index).toBe(i);
      expect(value).toEqual(many[i]);
      i++;
    }
    expect(i).toBe(5000);
  });
});

describe('JsonExportSource: manifest check before anything loads', () => {
  it('a record count mismatch names the file, expected and actual, and read() yields nothing', async () => {
    writeExport({}, { 'nominals.json': { records: 4 } });
    const src = new JsonExportSource(dir);
    const seen: SourceRecord[] = [];
    const err = await failure(async () => { for await (const r of src.read('intel_reports.json')) seen.push(r); });
    expect(seen).toEqual([]);
    expect(err).toBeInstanceOf(CutoverError);
    expect(err.message).toContain('nominals.json: records expected 4, actual 3');
    expect(err.message).not.toContain('intel_reports.json:');
    const checks = await checkManifest(dir);
    expect(checks.find((c) => c.file === 'nominals.json')).toMatchObject({ expectedRecords: 4, actualRecords: 3, ok: false });
  });

  it('a changed byte is a SHA-256 mismatch naming the file, expected and actual', async () => {
    writeExport();
    const file = path.join(dir, 'audit.json');
    const original = readFileSync(file);
    const changed = Buffer.from(original);
    changed[changed.indexOf('VIEW')] = 'X'.charCodeAt(0); // same length, same record count
    writeFileSync(file, changed);
    const err = await failure(verifyManifest(dir));
    expect(err).toBeInstanceOf(CutoverError);
    expect(err.message).toContain(`audit.json: sha256 expected ${sha(original)}, actual ${sha(changed)}`);
    expect(err.message).not.toContain('records expected');
    await expect(collect(new JsonExportSource(dir).read('audit.json'))).rejects.toThrow(/sha256 expected/);
  });

  it('verifies once per instance and caches the result', async () => {
    writeExport();
    const src = new JsonExportSource(dir);
    expect(await collect(src.read('audit.json'))).toHaveLength(2);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ files: {} })); // would now fail
    expect(await collect(src.read('audit.json'))).toHaveLength(2); // cached
    await expect(collect(new JsonExportSource(dir).read('audit.json'))).rejects.toThrow(/not in the manifest/);
  });

  it('a file the manifest does not list, a missing data file, and a bad manifest are clear errors', async () => {
    writeExport();
    const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    delete m.files['audit.json'];
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    expect((await failure(verifyManifest(dir))).message).toMatch(/audit\.json: not in the manifest \(2 records/);
    rmSync(path.join(dir, 'audit.json'));
    expect((await failure(verifyManifest(dir))).message).toMatch(/has no audit\.json/);
    writeFileSync(path.join(dir, 'manifest.json'), '{"files": {"audit.json": {"records": -1, "sha256": "x"}}}');
    const err = await failure(verifyManifest(dir));
    expect(err).toBeInstanceOf(SourceFormatError);
    expect(err.message).toMatch(/manifest\.json.*files\.audit\.json\.records/);
  });
});

describe('JsonExportSource: malformed files stop with the file and byte offset', () => {
  /** Malformed `nominals.json` whose manifest matches its bytes, so the parse itself must fail. */
  async function malformed(body: string | Buffer): Promise<SourceFormatError> {
    writeExport({ 'nominals.json': body });
    const err = await failure(() => collect(new JsonExportSource(dir).read('nominals.json')));
    expect(err).toBeInstanceOf(SourceFormatError);
    const e = err as SourceFormatError;
    expect(e.file).toBe(path.join(dir, 'nominals.json'));
    expect(e.message).toContain(path.join(dir, 'nominals.json'));
    expect(e.message).toContain(`at byte ${e.offset}`);
    // the read path (no manifest) gives the same answer
    const again = await failure(async () => { for await (const _ of readJsonArray(path.join(dir, 'nominals.json'), { chunkBytes: 64 })) void _; });
    expect((again as SourceFormatError).offset).toBe(e.offset);
    return e;
  }

  it('a missing colon: the byte offset of the fault, counted in bytes not characters', async () => {
    const head = '[{"ref":"N1","surname":"Zoë Ó Briain \u{1F600}"},\n {"ref" "N2"}]';
    const err = await malformed(head);
    const fault = Buffer.byteLength(head.slice(0, head.indexOf('"N2"')));
    expect(err.offset).toBe(fault);
    expect(err.message).toMatch(/malformed JSON \(line 2, column \d+\)/);
  });

  it('a bad token far into the file, past several read chunks', async () => {
    const recs = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ ref: `N${i}`, s: 'ü'.repeat(i % 7) }));
    const good = '[' + recs.join(',');
    const body = good + ',{"ref":"N9",tru}]';
    const err = await malformed(body);
    const fault = Buffer.byteLength(good) + ',{"ref":"N9",'.length;
    expect(Math.abs(err.offset! - fault)).toBeLessThanOrEqual(1);
    expect(Buffer.byteLength(good)).toBeGreaterThan(64 * 100);
  });

  it('a truncated file: the offset is at the end', async () => {
    const body = '[{"ref":"N1"},{"ref":"N';
    const err = await malformed(body);
    expect(err.offset).toBeGreaterThanOrEqual(body.length - 3);
    expect(err.offset).toBeLessThanOrEqual(body.length);
    const closed = await malformed('[{"ref":"N1"}');
    expect(closed.offset).toBe('[{"ref":"N1"}'.length);
  });

  it('an empty file, a top-level object and trailing garbage', async () => {
    expect((await malformed('')).offset).toBe(0);
    const obj = await malformed('  {"ref":"N1"}');
    expect(obj.offset).toBe(2);
    expect(obj.message).toMatch(/not a JSON array/);
    expect((await malformed('[{"ref":"N1"}] x')).offset).toBe(15);
  });

  it('invalid UTF-8: the offset of the bad byte', async () => {
    const prefix = Buffer.from('[{"ref":"N1","surname":"Zoë ');
    const body = Buffer.concat([prefix, Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]);
    const err = await malformed(body);
    expect(err.offset).toBe(prefix.length);
    expect(err.message).toMatch(/invalid UTF-8/);
    const ff = Buffer.concat([Buffer.from('[{"ref":"'), Buffer.from([0xff]), Buffer.from('"}]')]);
    expect((await malformed(ff)).offset).toBe(9);
    const cut = Buffer.concat([Buffer.from('[{"ref":"N1"}]'), Buffer.from([0xe2, 0x82])]);
    expect((await malformed(cut)).offset).toBe(14);
    const overlong = Buffer.concat([Buffer.from('["'), Buffer.from([0xc0, 0xaf]), Buffer.from('"]')]);
    expect((await malformed(overlong)).offset).toBe(2);
  });
});

describe('JsonExportSource: resources', () => {
  const openFds = (file: string) => (existsSync('/proc/self/fd')
    ? readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`) === file; } catch { return false; } }).length
    : 0);

  /** fs close is asynchronous: poll (a loaded machine may take a while), return the count left open. */
  const closedSoon = async (file: string) => {
    for (let i = 0; i < 200 && openFds(file) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    return openFds(file);
  };

  it('closes the file when the consumer stops early', async () => {
    const many = Array.from({ length: 20000 }, (_, i) => ({ ref: `N${i}` }));
    writeExport({ 'nominals.json': JSON.stringify(many) }, {}, { 'nominals.json': many.length });
    const src = new JsonExportSource(dir);
    await src.verify();
    const file = path.join(dir, 'nominals.json');
    expect(await closedSoon(file)).toBe(0); // the manifest check closed its streams
    let n = 0;
    for await (const r of src.read('nominals.json')) {
      if (n === 0 && existsSync('/proc/self/fd')) expect(openFds(file)).toBeGreaterThanOrEqual(1);
      if (++n === 3) { expect(r.key).toBe('N2'); break; }
    }
    expect(await closedSoon(file)).toBe(0);
    // and after an upTo bound ends the read
    expect((await collect(src.read('nominals.json', { after: null, upTo: '1' }))).length).toBe(2);
    expect(await closedSoon(file)).toBe(0);
  });
});

describe('JsonExportSource: kept values', () => {
  it('a kept string value does not pin the chunk it was decoded from (heap after GC)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // ~12 MB of two-byte text (’): 24 MB of decoded chunks; keep one 20-character value per record
    const many = Array.from({ length: 2000 }, (_, i) => ({ ref: `CRIMINT-REF-${String(i).padStart(8, '0')}`, text: `’${'x'.repeat(6000)}` }));
    writeExport({ 'nominals.json': JSON.stringify(many) }, {}, { 'nominals.json': many.length });
    const src = new JsonExportSource(dir);
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept: string[] = [];
    for await (const r of src.read('nominals.json')) kept.push(r.raw.ref as string);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(kept).toHaveLength(2000);
    expect(kept[1999]).toBe('CRIMINT-REF-00001999');
    // measured: 24.4 MB kept when each ref was a view of its chunk; 0.4–0.7 MB as copies
    expect(grown).toBeLessThan(4 * 1048576);
  });
});

describe('openCrimintSource', () => {
  it('opens an export directory', () => {
    writeExport();
    expect(openCrimintSource(dir)).toBeInstanceOf(JsonExportSource);
  });
  it('a missing directory or manifest is a ConfigError with advice', () => {
    const missing = path.join(dir, 'nope');
    expect(() => openCrimintSource(missing)).toThrow(ConfigError);
    expect(() => openCrimintSource(missing)).toThrow(/cutover generate.*CUTOVER_CRIMINT_DIR/s);
    mkdirSync(path.join(dir, 'empty'));
    expect(() => openCrimintSource(path.join(dir, 'empty'))).toThrow(/no manifest\.json/);
  });
});
