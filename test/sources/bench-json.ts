// Throughput of the CRIMINT JSON source on small records (not a vitest suite):
//   npx tsx test/sources/bench-json.ts [records=200000]
// Writes a generated export to a temp dir, then times the manifest check (hash + count, no
// objects built) and a full read() of nominals.json (objects built, records yielded).
import { mkdtempSync, rmSync, createWriteStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonExportSource } from '../../src/sources/json-export.ts';
import { readJsonArray } from '../../src/sources/json-scan.ts';

const N = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(path.join(tmpdir(), 'cutover-bench-json-'));

async function writeArray(file: string, n: number, make: (i: number) => unknown) {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? undefined : new Promise<void>((r) => out.once('drain', () => r())));
  await write('[\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += (i ? ',\n' : '') + JSON.stringify(make(i));
    if (buf.length > 1 << 16) { await write(buf); buf = ''; }
  }
  await write(buf + '\n]\n');
  await new Promise<void>((r) => out.end(() => r()));
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

try {
  const nominal = (i: number) => ({
    ref: `N${String(i).padStart(7, '0')}`, surname: "O'Brien", forenames: 'Sean Patrick', dob: '00/03/1985', sex: 'M',
    ethnicity: 'IC1', pnc: '85/0012345K', status: 'ACTIVE', created: '04/03/2019 10:22:00', createdBy: 'AB1234',
  });
  await writeArray(path.join(dir, 'nominals.json'), N, nominal);
  await writeArray(path.join(dir, 'intel_reports.json'), 1, () => ({ urn: 'IR/2019/0000001' }));
  await writeArray(path.join(dir, 'audit.json'), 1, () => ({ id: 'A000000001' }));
  const files: Record<string, { records: number; sha256: string }> = {};
  for (const [f, n] of [['nominals.json', N], ['intel_reports.json', 1], ['audit.json', 1]] as const) files[f] = { records: n, sha256: sha(path.join(dir, f)) };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ exportedAt: new Date().toISOString(), files }));
  const mb = statSync(path.join(dir, 'nominals.json')).size / 1e6;
  console.log(`nominals.json: ${N} records, ${mb.toFixed(1)} MB`);

  for (let round = 0; round < 3; round++) {
    const src = new JsonExportSource(dir);
    let t = performance.now();
    await src.verify();
    const tv = (performance.now() - t) / 1000;
    t = performance.now();
    let n = 0;
    for await (const rec of src.read('nominals.json')) if (rec.key) n++;
    const tr = (performance.now() - t) / 1000;
    t = performance.now();
    let m = 0;
    for await (const x of readJsonArray(path.join(dir, 'nominals.json'))) if (x.value) m++;
    const ta = (performance.now() - t) / 1000;
    console.log(`round ${round + 1}: verify ${Math.round(N / tv).toLocaleString()} rec/s (${(mb / tv).toFixed(0)} MB/s); ` +
      `read ${Math.round(n / tr).toLocaleString()} rec/s (${(mb / tr).toFixed(0)} MB/s); readJsonArray alone ${Math.round(m / ta).toLocaleString()} rec/s`);
    await src.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
