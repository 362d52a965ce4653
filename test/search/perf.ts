// Performance check of the SQL target search at programme scale (not part of `vitest run`):
//
//   npx tsx test/search/perf.ts [--admin-url postgres://…/postgres] [--scale 1] [--keep]
//
// Builds a synthetic TARGET (~150k people, ~100k events, ~1.5M rows in all; values made with
// the synthetic generator's vocabulary and the ETL's value rules), loads it with COPY into two
// fresh databases, with and without the search migration, to show the load cost of the search
// indexes; then runs a sampled workload of every capability and prints p50/p95 latency, result
// sizes and the indexes each capability's plan uses (a sequential scan of a big table is flagged).
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { migrate } from '../../src/db/migrate.ts';
import { copyRows } from '../../src/load/copy.ts';
import { Rng, hashString } from '../../src/synth/random.ts';
import { loadReference } from '../../src/synth/reference.ts';
import { DEFAULT_RATES } from '../../src/synth/rates.ts';
import { narrative } from '../../src/synth/narrative.ts';
import { birthDate, canonicalVrm, personName, phone, validPostcode, ymdIso, ymdUk } from '../../src/synth/values.ts';
import * as V from '../../src/synth/vocab.ts';
import { cleanName } from '../../src/transform/names.ts';
import { normalisePostcode } from '../../src/transform/postcode.ts';
import { normaliseVrm } from '../../src/transform/vrm.ts';
import { toE164 } from '../../src/transform/phone.ts';
import { tokenise } from '../../src/transform/text.ts';
import { targetId } from '../../src/core/ids.ts';
import { createSqlSearch, SQL_IMPLEMENTATIONS, type IdsQuery } from '../../mappings/search/index.ts';
import { runIds } from '../../mappings/search/sql.ts';
import { parseParams } from '../../src/parity/catalog.ts';
import { CAPABILITY_IDS, type CapabilityId } from '../../src/parity/types.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const ADMIN = opt('admin-url', process.env.CUTOVER_BENCH_ADMIN_URL ?? 'postgres://cutover:cutover@127.0.0.1:54329/postgres');
const SCALE = Number(opt('scale', '1'));
const KEEP = args.includes('--keep');
const QUERIES = Number(opt('queries', '60'));

const N = {
  persons: Math.round(150_000 * SCALE),
  aliases: Math.round(40_000 * SCALE),
  locations: Math.round(130_000 * SCALE),
  vehicles: Math.round(70_000 * SCALE),
  phones: Math.round(30_000 * SCALE),
  crimes: Math.round(60_000 * SCALE),
  intel: Math.round(40_000 * SCALE),
  audit: Math.round(150_000 * SCALE),
};

const ref = loadReference();
const rates = DEFAULT_RATES;
const S = (name: string) => hashString(`search-perf:${name}`);
const pid = (i: number) => targetId('CRIS', 'NOMINAL', String(i + 1));
const eid = (i: number) => targetId(i < N.crimes ? 'CRIS' : 'CRIMINT', i < N.crimes ? 'CRIME_REPORT' : 'intel_reports.json', eventRef(i));
const lid = (i: number) => targetId('CRIS', 'ADDRESS', String(i + 1));
const oid = (i: number) => targetId('CRIS', 'VEHICLE', String(i + 1));
function eventRef(i: number): string {
  if (i < N.crimes) return `${String(100000 + i).padStart(7, '0')}/${String(10 + (i % 14)).padStart(2, '0')}`;
  return `IR/${2005 + (i % 19)}/${String(i).padStart(7, '0')}`;
}
const isoLocal = (y: number, m: number, d: number, h: number) =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')} ${String(h).padStart(2, '0')}:15:00 Europe/London`;

interface PersonRow { surname: string; forenames: string | null; dob: string | null; prec: string }
function person(i: number): PersonRow {
  const rng = Rng.row(S('person'), i);
  const n = personName(rng, ref, rates);
  const b = birthDate(rng);
  const f = rng.float();
  const prec = f < 0.85 ? 'day' : f < 0.9 ? 'month' : f < 0.95 ? 'year' : 'unknown';
  const dob = prec === 'day' ? ymdIso(b) : prec === 'month' ? `${b.y}-${String(b.m).padStart(2, '0')}-01` : prec === 'year' ? `${b.y}-01-01` : null;
  return { surname: cleanName(rng.chance(0.6) ? n.surname.toUpperCase() : n.surname)!, forenames: cleanName(n.forenames), dob, prec };
}

function* personRows() {
  for (let i = 0; i < N.persons; i++) {
    const p = person(i);
    yield [pid(i), p.surname, p.forenames, p.dob, p.prec, 'unknown', i % 97 === 0, 'CRIS'];
  }
}
function* aliasRows() {
  for (let i = 0; i < N.aliases; i++) {
    const rng = Rng.row(S('alias'), i);
    const owner = rng.int(N.persons);
    const n = personName(rng, ref, rates);
    const own = rng.chance(0.5) ? ymdIso(birthDate(rng)) : null;
    yield [targetId('CRIS', 'NOMINAL', `${owner + 1}/aliases/${i}`), pid(owner), cleanName(n.surname), cleanName(n.forenames), own, own ? 'day' : 'unknown', 'alias'];
  }
}
function location(i: number) {
  const rng = Rng.row(S('location'), i);
  return {
    street: `${rng.pick(V.STREET_NAMES)} ${rng.pick(V.STREET_SUFFIXES)}`,
    town: rng.pick(V.TOWNS),
    postcode: rng.chance(0.97) ? normalisePostcode(validPostcode(rng)) : null,
    premises: String(rng.range(1, 200)),
  };
}
function* locationRows() {
  for (let i = 0; i < N.locations; i++) {
    const l = location(i);
    yield [lid(i), l.premises, l.street, null, l.town, l.postcode, null, null, 'CRIS'];
  }
}
function vehicle(i: number) {
  const rng = Rng.row(S('vehicle'), i);
  const [make, models] = rng.pick(V.MAKES_MODELS);
  return { vrm: normaliseVrm(canonicalVrm(rng))!, make, model: rng.pick(models), colour: rng.pick(V.COLOURS) };
}
function phoneOf(i: number) {
  return phone(Rng.row(S('phone'), i), rates);
}
function* objectRows() {
  for (let i = 0; i < N.vehicles; i++) {
    const v = vehicle(i);
    yield [oid(i), 'vehicle', v.vrm, v.make, v.model, v.colour, null, 'CRIS'];
  }
  for (let i = 0; i < N.phones; i++) yield [oid(N.vehicles + i), 'telephone', null, null, null, null, toE164(phoneOf(i)), 'CRIMINT'];
}
function event(i: number) {
  const rng = Rng.row(S('event'), i);
  const crime = i < N.crimes;
  const y = 2005 + rng.int(19);
  const when = isoLocal(y, rng.range(1, 12), rng.range(1, 28), rng.int(24));
  const off = rng.choose(ref.offenceWeights);
  const g = crime ? null : y < 2016
    ? `5x5x5:${rng.pick(['A', 'B', 'C', 'D', 'E'])}${rng.range(1, 5)}${rng.range(1, 5)}`
    : `3x5x2:${rng.range(1, 3)}${rng.pick(['A', 'B', 'C', 'D', 'E'])}${rng.pick(['P', 'C'])}`;
  return {
    crime, when, code: crime ? off.code : null, borough: crime ? rng.pick(V.BOROUGHS) : null, grading: g,
    narrative: narrative(rng, rates, crime ? 'crime' : 'intel', false),
  };
}
function* eventRows() {
  for (let i = 0; i < N.crimes + N.intel; i++) {
    const e = event(i);
    yield [eid(i), e.crime ? 'crime' : 'intelligence', eventRef(i), e.when, e.code, e.borough, e.narrative, e.grading, i % 101 === 0, e.crime ? 'CRIS' : 'CRIMINT'];
  }
}
const E = () => N.crimes + N.intel;
function* eventPersonRows() {
  const roles = ['victim', 'suspect', 'witness', 'accused', 'reporting_person'];
  for (let i = 0; i < E(); i++) {
    const rng = Rng.row(S('ep'), i);
    const k = rng.range(1, 3);
    const seen = new Set<number>();
    for (let j = 0; j < k; j++) {
      const p = rng.int(N.persons);
      if (seen.has(p)) continue;
      seen.add(p);
      yield [eid(i), pid(p), i < N.crimes ? rng.pick(roles) : rng.pick(['subject', 'associate', 'mentioned'])];
    }
  }
}
function* eventLocationRows() {
  for (let i = 0; i < E(); i++) yield [eid(i), lid(Rng.row(S('el'), i).int(N.locations)), i < N.crimes ? 'occurred_at' : 'mentioned'];
}
function* eventObjectRows() {
  for (let i = 0; i < E(); i++) {
    const rng = Rng.row(S('eo'), i);
    if (rng.chance(0.8)) yield [eid(i), oid(rng.int(N.vehicles + N.phones)), 'mentioned'];
  }
}
function* personLocationRows() {
  for (let i = 0; i < N.persons; i++) yield [pid(i), lid(Rng.row(S('pl'), i).int(N.locations)), 'resides_at'];
}
function* personObjectRows() {
  for (let i = 0; i < N.persons; i++) {
    const rng = Rng.row(S('po'), i);
    if (rng.chance(0.33)) yield [pid(i), oid(rng.int(N.vehicles + N.phones)), 'uses'];
  }
}
function* lineageRows() {
  for (let i = 0; i < N.persons; i++) yield ['CRIS', 'NOMINAL', String(i + 1), 'record.person', pid(i), 'h', 1];
  for (let i = 0; i < E(); i++) yield [i < N.crimes ? 'CRIS' : 'CRIMINT', i < N.crimes ? 'CRIME_REPORT' : 'intel_reports.json', eventRef(i), 'record.event', eid(i), 'h', 1];
}
function* auditRows() {
  const ops = ['consultation', 'consultation', 'consultation', 'disclosure', 'alteration', 'collection'];
  for (let i = 0; i < N.audit; i++) {
    const rng = Rng.row(S('audit'), i);
    const onPerson = rng.chance(0.3);
    const t = onPerson ? rng.int(N.persons) : rng.int(E());
    yield [
      isoLocal(2010 + rng.int(14), rng.range(1, 12), rng.range(1, 28), rng.int(24)), 'AB1234', rng.pick(ops),
      onPerson ? 'person' : 'event', onPerson ? pid(t) : eid(t), onPerson ? String(t + 1) : eventRef(t), 'CRIS', String(i + 1),
    ];
  }
}

const TABLES: Array<[string, string[], () => Iterable<unknown[]>]> = [
  ['record.person', ['id', 'surname', 'forenames', 'date_of_birth', 'dob_precision', 'sex', 'restricted', 'source_system'], personRows],
  ['record.person_name', ['id', 'person_id', 'surname', 'forenames', 'date_of_birth', 'dob_precision', 'kind'], aliasRows],
  ['record.location', ['id', 'premises', 'street', 'locality', 'town', 'postcode', 'easting', 'northing', 'source_system'], locationRows],
  ['record.object', ['id', 'kind', 'vrm', 'make', 'model', 'colour', 'telephone', 'source_system'], objectRows],
  ['record.event', ['id', 'kind', 'reference', 'reported_at', 'classification_code', 'borough', 'narrative', 'legacy_grading', 'restricted', 'source_system'], eventRows],
  ['record.event_person', ['event_id', 'person_id', 'role'], eventPersonRows],
  ['record.event_location', ['event_id', 'location_id', 'role'], eventLocationRows],
  ['record.event_object', ['event_id', 'object_id', 'role'], eventObjectRows],
  ['record.person_location', ['person_id', 'location_id', 'role'], personLocationRows],
  ['record.person_object', ['person_id', 'object_id', 'role'], personObjectRows],
  ['migration.lineage', ['source_system', 'source_entity', 'source_key', 'target_table', 'target_id', 'source_hash', 'run_id'], lineageRows],
  ['audit.event', ['occurred_at', 'actor', 'operation', 'entity_type', 'entity_id', 'entity_ref', 'origin', 'legacy_audit_id'], auditRows],
];

async function createDb(tag: string): Promise<string> {
  const name = `search_perf_${tag}_${randomBytes(3).toString('hex')}`;
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

/** COPY every table (the rows are generated on the fly, identical for both databases). */
async function load(url: string): Promise<Record<string, number>> {
  const c = new pg.Client(url);
  await c.connect();
  const times: Record<string, number> = {};
  let total = 0;
  try {
    for (const [table, cols, rows] of TABLES) {
      const t0 = performance.now();
      const n = await copyRows(c, table, cols, rows());
      times[table] = performance.now() - t0;
      total += n;
      process.stdout.write(`  ${table}: ${n} rows, ${(times[table]! / 1000).toFixed(1)} s\n`);
    }
    await c.query('VACUUM ANALYZE');
  } finally {
    await c.end();
  }
  times.rows = total;
  return times;
}

// ------------------------------------------------------------------ workload

function typo(s: string, rng: Rng): string {
  if (s.length < 4) return s;
  const i = 1 + rng.int(s.length - 2);
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}
const uk = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function workload(cap: CapabilityId, k: number): Record<string, unknown> {
  const rng = Rng.row(S(`q:${cap}`), k);
  const p = person(rng.int(N.persons));
  const dobP = () => person(rng.int(N.persons)).dob ?? '1980-06-15';
  switch (cap) {
    case 'S01': return rng.chance(0.5) && p.forenames ? { surname: p.surname, forenames: p.forenames.slice(0, 1 + rng.int(4)) } : { surname: p.surname };
    case 'S02': return rng.chance(0.5) && p.forenames ? { surname: typo(p.surname, rng), forenameInitial: p.forenames[0] } : { surname: typo(p.surname, rng) };
    case 'S03': return { pattern: rng.chance(0.5) ? `${p.surname.slice(0, 3)}*` : `${p.surname.slice(0, 1)}?${p.surname.slice(2)}` };
    case 'S04': {
      const d = dobP();
      const f = rng.float();
      return { dob: f < 0.7 ? uk(d) : f < 0.9 ? `00/${d.slice(5, 7)}/${d.slice(0, 4)}` : `00/00/${d.slice(0, 4)}` };
    }
    case 'S05': {
      const min = rng.range(16, 60);
      return { minAge: min, maxAge: min + rng.int(3), onDate: `${2010 + rng.int(14)}-${String(rng.range(1, 12)).padStart(2, '0')}-15` };
    }
    case 'S06': return { surname: p.surname, birthYear: Number((p.dob ?? '1980').slice(0, 4)), tolerance: rng.int(6) };
    case 'S07': {
      const pc = location(rng.int(N.locations)).postcode ?? 'SE1 9GF';
      const f = rng.float();
      return { postcode: f < 0.5 ? pc.toLowerCase().replace(' ', '') : f < 0.8 ? pc.slice(0, -2) : pc.split(' ')[0]! };
    }
    case 'S08': {
      const l = location(rng.int(N.locations));
      return rng.chance(0.5) ? { street: l.street, town: l.town } : { street: l.street.split(' ')[0]! };
    }
    case 'S09': return { vrm: vehicle(rng.int(N.vehicles)).vrm.toLowerCase() };
    case 'S10': {
      const v = vehicle(rng.int(N.vehicles)).vrm;
      const f = rng.float();
      return { pattern: f < 0.4 ? `${v.slice(0, 4)}*` : f < 0.7 ? `*${v.slice(-3)}` : `${v.slice(0, 2)}?${v.slice(3)}` };
    }
    case 'S11': {
      const v = vehicle(rng.int(N.vehicles));
      return rng.chance(0.5) ? { make: v.make, model: v.model.toUpperCase() } : { make: v.make, colour: v.colour };
    }
    case 'S12': return { number: phoneOf(rng.int(N.phones)) };
    case 'S13': {
      const r = eventRef(rng.int(E()));
      return { reference: r.startsWith('IR') ? r.toLowerCase() : `${r.slice(0, 8).replace(/^0+/, '')}20${r.slice(8)}` };
    }
    case 'S14': {
      // as src/parity/workload-gen.ts: words of 4+ letters, 4-letter prefixes, 2–3 token phrases
      const tk = tokenise(event(rng.int(E())).narrative);
      const long = tk.filter((t) => t.length >= 4);
      const pick = () => long[rng.int(long.length)] ?? 'stolen';
      const f = rng.int(4);
      if (f === 0) return { words: pick() };
      if (f === 1) return { words: `${pick()} ${pick()}` };
      if (f === 2) return { words: `${pick().slice(0, 4)}*` };
      const at = rng.int(Math.max(1, tk.length - 2));
      return { words: tk[at] ?? 'stolen', phrase: tk.slice(at, at + 2 + rng.int(2)).join(' ') };
    }
    case 'S15': {
      const codes = [event(rng.int(N.crimes)).code!, event(rng.int(N.crimes)).code!].slice(0, 1 + rng.int(2));
      const y = 2005 + rng.int(18);
      return rng.chance(0.5) ? { codes, from: `${y}-01-01`, to: `${y + 1}-01-01` } : { codes, from: `${y}-01-01`, to: `${y + 3}-01-01`, borough: rng.pick(V.BOROUGHS) };
    }
    case 'S16': {
      const y = 2005 + rng.int(18);
      return y < 2016
        ? { scheme: '5x5x5', sources: ['A', 'B'], handling: ['1', '2'], from: `${y}-01-01`, to: `${y + 1}-01-01` }
        : { scheme: '3x5x2', sources: ['1'], handling: ['P'], from: `${y}-01-01`, to: `${y + 2}-01-01` };
    }
    case 'S17': return rng.chance(0.5) ? { nominal: String(rng.int(N.persons) + 1) } : { nominal: String(rng.int(N.persons) + 1), roles: ['SU', 'victim'] };
    case 'S18': return { vrm: vehicle(rng.int(N.vehicles)).vrm };
    case 'S19': return { reference: eventRef(rng.int(E())), from: '2010-01-01', to: '2024-01-01' };
    case 'S20': {
      const i = rng.int(N.persons);
      const q = person(i);
      return { surname: q.surname, forenames: (q.forenames ?? '').split(' ')[0]!, dob: q.dob ? uk(q.dob) : '01/01/1980' };
    }
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** Index names and big-table sequential scans in a JSON plan. */
function planSummary(plan: unknown): { indexes: string[]; seq: string[] } {
  const indexes = new Set<string>();
  const seq = new Set<string>();
  const walk = (n: Record<string, unknown>) => {
    if (typeof n['Index Name'] === 'string') indexes.add(n['Index Name']);
    if (n['Node Type'] === 'Seq Scan' && typeof n['Relation Name'] === 'string') seq.add(`${n['Schema']}.${n['Relation Name']}`);
    for (const c of (n['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(c);
  };
  walk((plan as Array<{ Plan: Record<string, unknown> }>)[0]!.Plan);
  return { indexes: [...indexes].sort(), seq: [...seq].sort() };
}

async function run(url: string) {
  const search = createSqlSearch(url, { poolSize: 1 });
  const captured: IdsQuery[] = [];
  console.log('\ncapability  queries   p50 ms   p95 ms   max ms   mean rows   max rows   indexes used (sequential scans)');
  const report: Array<{ cap: CapabilityId; p95: number }> = [];
  for (const cap of CAPABILITY_IDS) {
    const times: number[] = [];
    const sizes: number[] = [];
    for (let k = 0; k < 3; k++) await search.search(cap, workload(cap, k)); // warm the caches
    captured.length = 0;
    for (let k = 0; k < QUERIES; k++) {
      const params = parseParams(cap, workload(cap, k));
      const t0 = performance.now();
      const q = (SQL_IMPLEMENTATIONS[cap] as (p: unknown) => IdsQuery | null)(params);
      if (q) captured.push(q);
      const ids = await runIds(search.pool, q);
      times.push(performance.now() - t0);
      sizes.push(ids.length);
    }
    // plans of a few of the queries just run
    const idx = new Set<string>();
    const seq = new Set<string>();
    for (const q of captured.slice(0, 5)) {
      const { rows } = await search.pool.query(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values);
      const s = planSummary(rows[0]['QUERY PLAN']);
      s.indexes.forEach((x) => idx.add(x));
      s.seq.forEach((x) => seq.add(x));
    }
    const p95 = pct(times, 95);
    report.push({ cap, p95 });
    console.log(
      `${cap.padEnd(11)} ${String(QUERIES).padStart(7)} ${pct(times, 50).toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${Math.max(...times).toFixed(1).padStart(8)}` +
        ` ${(sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(0).padStart(11)} ${String(Math.max(...sizes)).padStart(10)}   ${[...idx].join(', ')}${seq.size ? `  (SEQ: ${[...seq].join(', ')})` : ''}`,
    );
  }
  await search.close();
  const slow = report.filter((r) => r.p95 >= 100);
  console.log(slow.length ? `\nOVER 100 ms p95: ${slow.map((r) => r.cap).join(', ')}` : '\nevery capability: p95 under 100 ms');
}

async function main() {
  console.log(`scale ${SCALE}: ${JSON.stringify(N)}`);
  const withSearch = await createDb('a');
  const without = await createDb('b');
  try {
    await migrate(withSearch);
    await migrate(without);
    const c = new pg.Client(without);
    await c.connect();
    await c.query('DROP SCHEMA search CASCADE'); // the search functions and every index built on them
    await c.end();
    console.log('\nload WITHOUT the search migration:');
    const t0 = await load(without);
    console.log('load WITH the search migration:');
    const t1 = await load(withSearch);
    for (const t of Object.keys(t0).filter((k) => k !== 'rows')) {
      console.log(`  ${t.padEnd(24)} ${(t0[t]! / 1000).toFixed(1).padStart(6)} s → ${(t1[t]! / 1000).toFixed(1).padStart(6)} s`);
    }
    const sum = (t: Record<string, number>) => Object.entries(t).filter(([k]) => k !== 'rows').reduce((a, [, v]) => a + v, 0) / 1000;
    console.log(`  ${'total'.padEnd(24)} ${sum(t0).toFixed(1).padStart(6)} s → ${sum(t1).toFixed(1).padStart(6)} s (${t1.rows} rows)`);
    await run(withSearch);
  } finally {
    if (!KEEP) {
      await dropDb(withSearch);
      await dropDb(without);
    } else console.log(`kept: ${withSearch}`);
  }
}

await main();
