// The oracle: an independent statement of the legacy search semantics (search-catalog.md),
// run over the legacy data as read. buildOracle streams each legacy entity once into compact
// indexes (oracle-store.ts); oracle.run answers one query with legacy identities.
import { heapGuard } from '../core/heap.ts';
import type { Source, SourceRecord } from '../sources/types.ts';
import type { CapabilityId } from './types.ts';
import { capability as capabilityDef, parseParams, LEGACY_ROLES, TARGET_ROLES, type ParamsOf } from './catalog.ts';
import { Ingest, CRIS_ORDER, CRIMINT_ORDER, dobInput } from './oracle-ingest.ts';
import { ENT, OBJECT_KIND, OracleStore, parseIdentity, ACTION_NAME, UNKNOWN_ROLE } from './oracle-store.ts';
import { Queries, NOTHING_ABSENT, type Absent, type Found, type Mask } from './oracle-query.ts';
import { intToIso } from './keys.ts';
import { Sampler, type SamplerOptions } from './sampler.ts';
import { PageCache, type PageCacheOptions } from './paged.ts';
import { KeyIndex } from './compact.ts';
import { CutoverError } from '../core/problems.ts';

export type OracleProgress =
  | { phase: 'oracle'; system: string; entity: string; records: number }
  | { phase: 'oracle-done'; seconds: number; records: number; peakRssMb: number };

export interface BuildOracleOptions {
  crisSource: Source;
  crimintSource: Source;
  onProgress?: (p: OracleProgress) => void;
  /** Workload sampling (seed, reservoir size, replayed searches kept per capability). */
  sampling?: SamplerOptions;
  /** Progress every n records of an entity (default 50 000). */
  progressEvery?: number;
  /** The page cache of the token and link indexes (default: oracleCacheBytes()). */
  pages?: PageCacheOptions;
}

/** The page cache's default size, in MB. */
export const ORACLE_CACHE_MB = 16;

/** The page cache's size: CUTOVER_ORACLE_CACHE_MB, else ORACLE_CACHE_MB. */
export function oracleCacheBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.CUTOVER_ORACLE_CACHE_MB;
  if (v === undefined || v === '') return ORACLE_CACHE_MB * 1048576;
  const mb = Number(v);
  if (!Number.isFinite(mb) || mb < 1) throw new CutoverError(`CUTOVER_ORACLE_CACHE_MB=${v}: not a number of megabytes of at least 1`, 'give the page cache of the parity oracle in MB, e.g. CUTOVER_ORACLE_CACHE_MB=64, or leave it unset for 16');
  return mb * 1048576;
}

export interface OracleStats {
  buildSeconds: number;
  peakRssMb: number;
  /** Records read per `SYSTEM:ENTITY`. */
  records: Record<string, number>;
  /** Links skipped because a side is missing or legacy-deleted. */
  orphans: Record<string, number>;
  /** Legacy values that normalise to NULL (invalid postcodes, non-UK phone numbers): never found. */
  unsearchableValues: Record<string, number>;
  indexes: {
    persons: number; names: number; events: number; locations: number; objects: number; auditEntries: number;
    narrativeTokens: number; narrativeVocabulary: number; narrativeBytes: number;
  };
  /** The page cache once built: its size, the scratch file's, and the pages read back and written out. */
  pages: { cacheMb: number; fileMb: number; reads: number; writes: number };
}

export interface RunOptions {
  /** Identities of restricted people and events (from the target): excluded from S01–S19. */
  restricted?: Set<string>;
  /**
   * Identities the migration did not load (quarantined, retention-excluded; CRIS link rows too):
   * treated as absent, neither found nor traversed. The answer is then what the target can
   * reach; the legacy results missing from it are accounted losses.
   */
  absent?: Set<string>;
}

type SingleKind = 'people' | 'locations' | 'vehicles' | 'telephones' | 'events' | 'audit entries';
const RETURNS = Object.fromEntries(
  (['S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'S09', 'S10', 'S11', 'S12', 'S13', 'S14', 'S15', 'S16', 'S17', 'S18', 'S19'] as const).map((c) => [c, capabilityDef(c).returns]),
) as Record<Exclude<CapabilityId, 'S20'>, SingleKind>;

export type Single = Exclude<CapabilityId, 'S20'>;

/** The store's tables a single-kind answer is slots of. */
export type SlotTable = 'persons' | 'locations' | 'objects' | 'events' | 'audit';
const TABLE_OF: Record<SingleKind, SlotTable> = { people: 'persons', locations: 'locations', vehicles: 'objects', telephones: 'objects', events: 'events', 'audit entries': 'audit' };
type QueryTable = { [C in Single]: (q: Queries, p: ParamsOf<C>) => Set<number> };

/** Each single-kind capability's legacy search, held by the compiler to that capability's params. */
const QUERIES = {
  S01: (q, p) => q.S01(p), S02: (q, p) => q.S02(p), S03: (q, p) => q.S03(p), S04: (q, p) => q.S04(p), S05: (q, p) => q.S05(p),
  S06: (q, p) => q.S06(p), S07: (q, p) => q.S07(p), S08: (q, p) => q.S08(p), S09: (q, p) => q.S09(p), S10: (q, p) => q.S10(p),
  S11: (q, p) => q.S11(p), S12: (q, p) => q.S12(p), S13: (q, p) => q.S13(p), S14: (q, p) => q.S14(p), S15: (q, p) => q.S15(p),
  S16: (q, p) => q.S16(p), S17: (q, p) => q.S17(p), S18: (q, p) => q.S18(p), S19: (q, p) => q.S19(p),
} satisfies QueryTable;

type Entity = (typeof CRIS_ORDER)[number] | (typeof CRIMINT_ORDER)[number];

/** Each legacy entity's ingest step. */
const INGEST = {
  ADDRESS: (i, r) => i.ADDRESS(r), VEHICLE: (i, r) => i.VEHICLE(r), NOMINAL: (i, r) => i.NOMINAL(r), CRIME_REPORT: (i, r) => i.CRIME_REPORT(r),
  CRIME_NOMINAL: (i, r) => i.CRIME_NOMINAL(r), CRIME_VEHICLE: (i, r) => i.CRIME_VEHICLE(r), AUDIT_TRAIL: (i, r) => i.AUDIT_TRAIL(r),
  'nominals.json': (i, r) => i['nominals.json'](r), 'intel_reports.json': (i, r) => i['intel_reports.json'](r), 'audit.json': (i, r) => i['audit.json'](r),
} satisfies Record<Entity, (i: Ingest, r: SourceRecord) => void>;

export class Oracle {
  private masks = new WeakMap<Set<string>, { size: number; mask: Mask }>();
  private readonly noMask: Mask;

  constructor(
    readonly store: OracleStore,
    readonly sampler: Sampler,
    readonly stats: OracleStats,
  ) {
    this.noMask = { persons: new Uint8Array(0), events: new Uint8Array(0) };
  }

  /** Close the page cache's scratch file (the oracle cannot answer after). */
  close(): void {
    this.store.pages.close();
  }

  /** Run one query: the identities the legacy search finds (sorted). Params are validated first. */
  run(capability: CapabilityId, params: Record<string, unknown>, opts: RunOptions = {}): string[] {
    return this.find(capability, params, opts).sort();
  }

  /**
   * The same identities as `run`, in no particular order: for callers that compare them as a set
   * (the parity run, where sorting the answers of wide searches took a tenth of the time).
   */
  find(capability: CapabilityId, params: Record<string, unknown>, opts: RunOptions = {}): string[] {
    if (capability === 'S20') {
      const p = parseParams(capability, params);
      return this.identities(this.queries(opts, true).S20(p));
    }
    const found = this.findSlots(capability, params, opts);
    const table = this.store[found.table];
    return Array.from(found.slots, (slot) => table.identity(slot));
  }

  /**
   * The answer of a capability that returns one kind of record (all but S20), as slots of the
   * table holding that kind: the same records as `find`, without an identity string for each
   * (the parity run compares a wide answer a piece at a time, see agreement.ts).
   */
  findSlots(capability: Single, params: Record<string, unknown>, opts: RunOptions = {}): { table: SlotTable; slots: Set<number> } {
    return { table: TABLE_OF[RETURNS[capability]], slots: this.single(capability, params, opts) };
  }

  /**
   * The slot an identity names in a table, or undefined. A key loaded twice (a re-export) names
   * its last slot, the live one. People and events use the key maps of the build; the others'
   * are built again over every slot on first use (the build drops them once the links are made).
   */
  slotOf(table: SlotTable, identity: string): number | undefined {
    const r = parseIdentity(identity);
    if (!r) return undefined;
    const s = this.store;
    if (table === 'persons') return r.ent <= ENT.CRIMINT_NOMINAL ? s.persons.byKey[r.ent]!.get(r.key) : undefined;
    if (table === 'events') return r.ent === ENT.CRIS_CRIME || r.ent === ENT.CRIMINT_INTEL ? s.events.byKey[r.ent - 2]!.get(r.key) : undefined;
    return this.keyIndex(table, r.ent).get(r.key);
  }

  private readonly keyIndexes = new Map<string, KeyIndex>();

  private keyIndex(table: 'locations' | 'objects' | 'audit', ent: number): KeyIndex {
    const name = `${table}:${ent}`;
    let index = this.keyIndexes.get(name);
    if (index) return index;
    const t = this.store[table];
    const byEnt = new Map<number, KeyIndex>();
    for (let slot = 0; slot < t.size; slot++) {
      const e = t.ent.get(slot);
      let k = byEnt.get(e);
      if (!k) byEnt.set(e, (k = new KeyIndex(this.store.pages, t.keys)));
      k.put(slot);
    }
    for (const [e, k] of byEnt) this.keyIndexes.set(`${table}:${e}`, k);
    index = this.keyIndexes.get(name);
    if (!index) this.keyIndexes.set(name, (index = new KeyIndex(this.store.pages, t.keys))); // no slot of that entity
    return index;
  }

  private queries(opts: RunOptions, sar: boolean): Queries {
    return new Queries(this.store, this.mask(opts.restricted), sar, this.absentOf(opts.absent));
  }

  private single<C extends Single>(capability: C, params: Record<string, unknown>, opts: RunOptions): Set<number> {
    const p = parseParams(capability, params); // validated before anything runs
    const table: QueryTable = QUERIES;
    return table[capability](this.queries(opts, false), p);
  }

  private identities(f: Found): string[] {
    const s = this.store;
    const out: string[] = [];
    for (const p of f.persons) out.push(s.persons.identity(p));
    for (const n of f.names) {
      const p = s.names.person.get(n);
      out.push(`${s.persons.identity(p)}/aliases/${s.names.alias.get(n)}`);
    }
    for (const e of f.events) out.push(s.events.identity(e));
    for (const l of f.locations) out.push(s.locations.identity(l));
    for (const o of f.objects) out.push(s.objects.identity(o));
    for (const a of f.audit) out.push(s.audit.identity(a));
    return out;
  }

  private mask(restricted: Set<string> | undefined): Mask {
    if (!restricted || restricted.size === 0) return this.noMask;
    const hit = this.masks.get(restricted);
    if (hit && hit.size === restricted.size) return hit.mask;
    const s = this.store;
    const mask: Mask = { persons: new Uint8Array(s.persons.size), events: new Uint8Array(s.events.size) };
    for (const id of restricted) {
      const r = parseIdentity(id);
      if (!r) continue;
      if (r.ent === ENT.CRIS_NOMINAL || r.ent === ENT.CRIMINT_NOMINAL) {
        const p = s.persons.byKey[r.ent]!.get(r.key);
        if (p !== undefined) mask.persons[p] = 1;
      } else if (r.ent === ENT.CRIS_CRIME || r.ent === ENT.CRIMINT_INTEL) {
        const e = s.events.byKey[r.ent - 2]!.get(r.key);
        if (e !== undefined) mask.events[e] = 1;
      }
    }
    this.masks.set(restricted, { size: restricted.size, mask });
    return mask;
  }

  private absents = new WeakMap<Set<string>, { size: number; absent: Absent }>();

  private absentOf(set: Set<string> | undefined): Absent {
    if (!set || set.size === 0) return NOTHING_ABSENT;
    const hit = this.absents.get(set);
    if (hit && hit.size === set.size) return hit.absent;
    const s = this.store;
    const bitmap = (n: number, identity: (i: number) => string | null) => {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const id = identity(i);
        if (id !== null && set.has(id)) b[i] = 1;
      }
      return b;
    };
    const absent: Absent = {
      persons: bitmap(s.persons.size, (i) => s.persons.identity(i)),
      names: bitmap(s.names.size, (i) => (s.names.alias.get(i) < 0 ? null : `${s.persons.identity(s.names.person.get(i))}/aliases/${s.names.alias.get(i)}`)),
      events: bitmap(s.events.size, (i) => s.events.identity(i)),
      locations: bitmap(s.locations.size, (i) => s.locations.identity(i)),
      objects: bitmap(s.objects.size, (i) => s.objects.identity(i)),
      audit: bitmap(s.audit.size, (i) => s.audit.identity(i)),
      links: new Set(),
    };
    // CRIS link rows: CRIME_NOMINAL `cris_no|nominal_id|role`, CRIME_VEHICLE `cris_no|vehicle_id|role`
    let vehicles: Map<string, number> | null = null;
    for (const id of set) {
      const m = /^CRIS:(CRIME_NOMINAL|CRIME_VEHICLE):([^|]*)\|([^|]*)\|(.*)$/.exec(id);
      if (!m) continue;
      const e = s.events.byKey[0]!.get(m[2]!);
      if (e === undefined) continue;
      if (m[1] === 'CRIME_NOMINAL') {
        const p = s.persons.byKey[0]!.get(m[3]!);
        const role = LEGACY_ROLES[m[4]!.trim().toUpperCase()];
        if (p !== undefined) absent.links.add(`${e}:${p}:${role ? TARGET_ROLES.indexOf(role) : UNKNOWN_ROLE}`);
      } else {
        if (vehicles === null) {
          vehicles = new Map();
          for (let o = 0; o < s.objects.size; o++) if (s.objects.ent.get(o) === ENT.CRIS_VEHICLE) vehicles.set(s.objects.key(o), o);
        }
        const o = vehicles.get(m[3]!);
        if (o !== undefined) absent.links.add(`${e}:${o}`);
      }
    }
    this.absents.set(set, { size: set.size, absent });
    return absent;
  }

  /** Person slot of a person identity (live or not), for the workload generator. */
  personSlot(identity: string): number | undefined {
    const r = parseIdentity(identity);
    if (!r || (r.ent !== ENT.CRIS_NOMINAL && r.ent !== ENT.CRIMINT_NOMINAL)) return undefined;
    return this.store.persons.byKey[r.ent]!.get(r.key);
  }

  /** The primary name and DOB of a person as search input (name-match keys, DOB as S04 input). */
  personSearchInput(slot: number): { surname: string; forenames: string; dob: string } | null {
    const s = this.store;
    const n = s.persons.nameStart.get(slot);
    const surname = s.names.surname.get(n);
    if (!surname) return null;
    const f = s.names.dobFrom.get(n);
    return { surname, forenames: s.names.forenames.get(n)!, dob: dobInput(f > 0 ? [f, s.names.dobTo.get(n)] : null) };
  }

  /** A short description of a legacy record, for worked examples. */
  describe(identity: string): string {
    const s = this.store;
    if (s.deleted.has(identity)) return 'legacy-deleted record (never found)';
    const alias = /^(.*)\/aliases\/(\d+)$/.exec(identity);
    const base = alias ? alias[1]! : identity;
    const r = parseIdentity(base);
    if (!r) return 'not a legacy record';
    const inline = /^(.*)\/(addresses|phones|vehicles|locations)\/(\d+)$/.exec(r.key);
    if (r.ent <= ENT.CRIMINT_NOMINAL && !inline) {
      const p = s.persons.byKey[r.ent]!.get(r.key);
      if (p === undefined) return 'no such legacy person';
      const start = s.persons.nameStart.get(p);
      const count = s.persons.nameCount.get(p);
      let n = start;
      if (alias) for (let i = start; i < start + count; i++) if (s.names.alias.get(i) === Number(alias[2])) n = i;
      const f = s.names.dobFrom.get(n);
      const dob = f > 0 ? dobInput([f, s.names.dobTo.get(n)]) : 'unknown';
      const what = alias ? `alias ${alias[2]} of person` : `person${count > 1 ? ` (${count - 1} aliases)` : ''}`;
      return `${what} ${s.names.surname.get(n) ?? '?'} ${s.names.forenames.get(n) || '?'}, DOB ${dob}${s.personLive(p) ? '' : ', superseded'}`;
    }
    if ((r.ent === ENT.CRIS_CRIME || r.ent === ENT.CRIMINT_INTEL) && !inline) {
      const e = s.events.byKey[r.ent - 2]!.get(r.key);
      if (e === undefined) return 'no such legacy event';
      const d = s.events.date.get(e);
      const date = d > 0 ? intToIso(d) : 'unknown date';
      if (r.ent === ENT.CRIS_CRIME) return `crime ${r.key}, HO ${s.events.ho.get(e) ?? '?'}, borough ${s.events.borough.get(e) ?? '?'}, reported ${date}`;
      return `intelligence ${r.key}, grading ${s.events.grading.get(e) ?? '?'}, created ${date}`;
    }
    if (r.ent === ENT.CRIS_AUDIT || r.ent === ENT.CRIMINT_AUDIT) {
      let a: number | undefined;
      for (let i = s.audit.size - 1; i >= 0 && a === undefined; i--) if (s.audit.key(i) === r.key && s.audit.ent.get(i) === r.ent && s.audit.live.get(i) === 1) a = i;
      if (a === undefined) return 'audit entry (not consultation/disclosure on a record)';
      return `audit ${ACTION_NAME[s.audit.action.get(a)]} on ${intToIso(s.audit.date.get(a))}`;
    }
    // locations and objects: CRIS by key, CRIMINT inline by scanning (rare: examples only)
    const find = (t: OracleStore['locations'] | OracleStore['objects']) => {
      for (let i = t.size - 1; i >= 0; i--) if (t.key(i) === r.key && t.ent.get(i) === r.ent) return i;
      return undefined;
    };
    if (r.ent === ENT.CRIS_ADDRESS || inline?.[2] === 'addresses' || inline?.[2] === 'locations') {
      const l = find(s.locations);
      if (l === undefined) return 'no such legacy location';
      return `location, postcode ${s.locations.postcode.get(l) ?? 'none/invalid'}, town ${s.locations.town.get(l) ?? '?'}`;
    }
    const o = find(s.objects);
    if (o === undefined) return 'no such legacy object';
    if (s.objects.kind.get(o) === OBJECT_KIND.TELEPHONE) return `telephone ${s.objects.value.get(o) ?? '?'}`;
    return `vehicle ${s.objects.value.get(o) ?? '?'} ${[s.objects.make.get(o), s.objects.model.get(o), s.objects.colour.get(o)].filter(Boolean).join(' ')}`.trim();
  }
}

const mb = (bytes: number): number => Math.round(bytes / 104857.6) / 10;

/** Records between two heap checks (a check is a few microseconds). */
const HEAP_CHECK_EVERY = 10_000;

/** Stream every legacy entity once and build the oracle. */
export async function buildOracle(opts: BuildOracleOptions): Promise<Oracle> {
  const started = performance.now();
  const store = new OracleStore(new PageCache(opts.pages ?? { bytes: oracleCacheBytes() }));
  const sampler = new Sampler(opts.sampling);
  const ingest = new Ingest(store, sampler);
  const every = opts.progressEvery ?? 50_000;
  const guardHeap = heapGuard();
  let peak = process.memoryUsage().rss;
  let total = 0;
  const plan: [Source, readonly Entity[]][] = [
    [opts.crisSource, CRIS_ORDER],
    [opts.crimintSource, CRIMINT_ORDER],
  ];
  const ingestSource = async (source: Source, entities: readonly Entity[]): Promise<void> => {
    for (const entity of entities) {
      const step = INGEST[entity];
      let n = 0;
      for await (const rec of source.read(entity)) {
        step(ingest, rec);
        n++;
        if (n % HEAP_CHECK_EVERY === 0) guardHeap(() => `the parity oracle (${(total + n).toLocaleString('en-GB')} legacy records read so far, at ${source.system} ${entity})`);
        if (n % every === 0) {
          peak = Math.max(peak, process.memoryUsage().rss);
          opts.onProgress?.({ phase: 'oracle', system: source.system, entity, records: n });
        }
      }
      total += n;
      peak = Math.max(peak, process.memoryUsage().rss);
      opts.onProgress?.({ phase: 'oracle', system: source.system, entity, records: n });
    }
  };
  try {
    for (const [source, entities] of plan) await ingestSource(source, entities);
    store.freeze();
  } catch (err) {
    store.pages.close();
    throw err;
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const buildSeconds = (performance.now() - started) / 1000;
  const peakRssMb = Math.round(peak / 1048576);
  const ev = store.events.narrative;
  const stats: OracleStats = {
    buildSeconds,
    peakRssMb,
    records: { ...store.read },
    orphans: { ...store.orphans },
    unsearchableValues: { ...store.unsearchableValues },
    indexes: {
      persons: store.persons.size, names: store.names.size, events: store.events.size,
      locations: store.locations.size, objects: store.objects.size, auditEntries: store.audit.size,
      narrativeTokens: ev.tokenCount, narrativeVocabulary: ev.vocabulary, narrativeBytes: ev.sequenceBytes,
    },
    pages: { cacheMb: mb(store.pages.maxFrames * store.pages.pageBytes), fileMb: mb(store.pages.fileBytes), reads: store.pages.reads, writes: store.pages.writes },
  };
  opts.onProgress?.({ phase: 'oracle-done', seconds: buildSeconds, records: total, peakRssMb });
  return new Oracle(store, sampler, stats);
}
