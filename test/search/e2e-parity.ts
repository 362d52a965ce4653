// End-to-end check of the SQL target search against the oracle (not part of `vitest run`):
// synthetic legacy extract → pipelines → target, then the parity runner with createSqlSearch
// (and, with --degraded, the degraded test profile).
//
//   npx tsx test/search/e2e-parity.ts [--admin-url postgres://…/postgres] [--scale 2000] [--degraded] [--keep]
//   npx tsx test/search/e2e-parity.ts --reuse <target url> <cris url> <crimint dir> [--degraded]   (a kept run)
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { generate } from '../../src/synth/generate.ts';
import { runPipelines } from '../../src/pipeline/index.ts';
import { openCrimintSource, openCrisSource } from '../../src/sources/index.ts';
import { runParity } from '../../src/parity/runner.ts';
import { createSqlSearch } from '../../mappings/search/index.ts';
import { createDegradedSearch } from '../../mappings/search/degraded.ts';
import type { TargetSearchAdapter } from '../../src/parity/types.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const ADMIN = opt('admin-url', process.env.CUTOVER_BENCH_ADMIN_URL ?? 'postgres://cutover:cutover@127.0.0.1:54329/postgres');
const SCALE = Number(opt('scale', '2000'));

async function createDb(tag: string): Promise<string> {
  const name = `search_e2e_${tag}_${randomBytes(3).toString('hex')}`;
  const c = new pg.Client(ADMIN);
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}
async function dropDb(url: string): Promise<void> {
  const c = new pg.Client(ADMIN);
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
  await c.end();
}

const reuse = args.indexOf('--reuse');
const crisUrl = reuse >= 0 ? args[reuse + 2]! : await createDb('cris');
const databaseUrl = reuse >= 0 ? args[reuse + 1]! : await createDb('target');
const crimintDir = reuse >= 0 ? args[reuse + 3]! : mkdtempSync(path.join(tmpdir(), 'search-e2e-crimint-'));
const keep = reuse >= 0 || args.includes('--keep');
try {
  if (reuse < 0) {
    const t0 = Date.now();
    await generate({ scale: SCALE, seed: 1, crisUrl, crimintDir });
    console.log(`generated (scale ${SCALE}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const t1 = Date.now();
    const runs = await runPipelines({ databaseUrl, crisUrl, crimintDir, embedded: false }, ['cris', 'crimint'], {});
    console.log(`migrated in ${((Date.now() - t1) / 1000).toFixed(1)} s: ${runs.map((r) => `${r.pipeline} ${r.status}`).join(', ')}`);
  }
  const adapters = [createSqlSearch(databaseUrl)];
  if (args.includes('--degraded')) adapters.push(createDegradedSearch(databaseUrl));
  for (const inner of adapters) {
    // report the slow queries (over 100 ms) with their params
    const adapter: TargetSearchAdapter = {
      name: inner.name,
      close: () => inner.close(),
      async search(cap, params) {
        const t0 = performance.now();
        const ids = await inner.search(cap, params);
        const ms = performance.now() - t0;
        if (ms > 100 && inner.name === 'sql') console.log(`  slow ${cap} ${ms.toFixed(0)} ms, ${ids.length} ids: ${JSON.stringify(params).slice(0, 200)}`);
        return ids;
      },
    };
    const result = await runParity({ crisSource: openCrisSource(crisUrl), crimintSource: openCrimintSource(crimintDir), targetUrl: databaseUrl, adapter });
    console.log(`\n${adapter.name}: ${result.ok ? 'PARITY everywhere' : 'NOT at parity'} (${result.seconds} s)`);
    for (const c of result.capabilities) {
      console.log(
        `${c.id} ${c.verdict.padEnd(8)} queries ${String(c.queries).padStart(4)}  recall ${c.recall.mean.toFixed(4)} (worst ${c.recall.worst.toFixed(3)})  precision ${c.precision.toFixed(4)}  p50 ${c.latencyMs.p50.toFixed(1)} ms  p95 ${c.latencyMs.p95.toFixed(1)} ms`,
      );
      if (c.verdict !== 'PARITY') {
        console.log(`    short by note: ${JSON.stringify(c.shortByNote)}${c.errors.length ? `; first error: ${c.errors[0]!.message}` : ''}`);
        for (const e of c.examples.slice(0, 3)) console.log(`    ${e.kind}: ${JSON.stringify(e.query.params)} → ${e.identity} (${e.description})`);
      }
    }
    await adapter.close();
  }
} finally {
  if (!keep) {
    await dropDb(crisUrl);
    await dropDb(databaseUrl);
    rmSync(crimintDir, { recursive: true, force: true });
  } else console.log(`kept: ${databaseUrl} ${crisUrl} ${crimintDir}`);
}
