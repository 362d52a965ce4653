// Seeded reservoirs filled while the oracle streams the legacy data once: the raw values
// (names as typed, postcodes, VRMs, phone numbers, references) that the generated workload
// is made from, plus the replayed legacy SEARCH entries (validated with the catalog schemas).
import { Reservoir, mulberry32 } from './compact.ts';
import { isCapabilityId, validateParams } from './catalog.ts';
import type { CapabilityId, Query } from './types.ts';

export interface PersonSample {
  identity: string;
  surname: string;
  forenames: string;
  /** `dd/mm/yyyy`, `00/mm/yyyy`, `00/00/yyyy`, or '' when unknown. */
  dob: string;
}
export interface AliasSample extends PersonSample {
  /** The alias's own DOB ('' when it has none and takes the person's). */
  ownDob: string;
}
export interface LocationSample { postcode: string; street: string; town: string }
export interface VehicleSample { vrm: string; make: string; model: string; colour: string }
export interface CrimeSample { ref: string; ho: string; borough: string; date: number }
export interface IntelSample { ref: string; scheme: string; source: string; handling: string; date: number }
export interface NarrativeSample { tokens: string[]; hyphenated: string[]; accented: string[] }
export interface LinkSample { nominal: string; role: string }
export interface AuditSample { ref: string; date: number }

export interface InvalidQuery {
  origin: Query['origin'];
  /** Where it came from: a legacy audit identity, or `FILE:line`. */
  source: string;
  message: string;
}

export interface ReplayedQuery extends Query {
  source: string;
}

export interface SamplerOptions {
  /** Seed of every reservoir (default 20240601). */
  seed?: number;
  /** Items kept per reservoir (default 200). */
  size?: number;
  /** Replayed legacy searches kept per capability (default 500; Infinity = all). */
  replayedPerCapability?: number;
}

export class Sampler {
  // Reservoirs are field initialisers, which run before the constructor body: they read the
  // options through closures.
  private rngFn: () => number = () => 0;
  private k = 200;
  private replayK = 500;
  readonly rng = (): number => this.rngFn();
  readonly persons = this.init<PersonSample>();
  /** Surnames with accents, apostrophes, hyphens or blanks. */
  readonly hardNames = this.init<PersonSample>();
  readonly partialDobs = this.init<PersonSample>();
  readonly sarCandidates = this.init<PersonSample>();
  readonly aliases = this.init<AliasSample>();
  readonly aliasesNoDob = this.init<AliasSample>();
  readonly deletedPersons = this.init<PersonSample>();
  readonly locations = this.init<LocationSample>();
  readonly vehicles = this.init<VehicleSample>();
  readonly phones = this.init<string>();
  readonly crimes = this.init<CrimeSample>();
  readonly intel = this.init<IntelSample>();
  readonly deletedEvents = this.init<string>();
  readonly narratives = this.init<NarrativeSample>();
  readonly hyphenated = this.init<NarrativeSample>();
  readonly accented = this.init<NarrativeSample>();
  readonly personLinks = this.init<LinkSample>();
  readonly vehicleLinks = this.init<string>();
  readonly auditEvents = this.init<AuditSample>();
  /** Consultation/disclosure entries on an event that is not live (deleted or never migrated). */
  readonly auditNoLiveEvent = this.init<AuditSample>();

  readonly replayed = new Map<CapabilityId, Reservoir<ReplayedQuery>>();
  replayedSeen = 0;
  readonly invalid: InvalidQuery[] = [];
  invalidCount = 0;

  constructor(opts: SamplerOptions = {}) {
    this.rngFn = mulberry32(opts.seed ?? 20240601);
    this.k = opts.size ?? 200;
    this.replayK = opts.replayedPerCapability ?? 500;
  }

  private init<T>(): Reservoir<T> {
    return new Reservoir<T>(() => this.k, this.rng);
  }

  /** A legacy SEARCH audit entry: its criteria `{capability, params}` (object or JSON text). */
  offerSearch(source: string, criteria: unknown): void {
    this.replayedSeen++;
    let c = criteria;
    if (typeof c === 'string') {
      try {
        c = JSON.parse(c);
      } catch {
        return this.reject(source, 'criteria are not JSON');
      }
    }
    if (c === null || typeof c !== 'object' || Array.isArray(c)) return this.reject(source, 'criteria missing (expected {"capability", "params"})');
    const { capability, params } = c as { capability?: unknown; params?: unknown };
    if (!isCapabilityId(capability)) return this.reject(source, `unknown capability ${JSON.stringify(capability)}`);
    const v = validateParams(capability, params ?? {});
    if (!v.ok) return this.reject(source, v.message);
    let res = this.replayed.get(capability);
    if (!res) this.replayed.set(capability, (res = new Reservoir<ReplayedQuery>(this.replayK, this.rng)));
    res.offer(() => ({ capability, params: v.params as Record<string, unknown>, origin: 'replayed', source }));
  }

  private reject(source: string, message: string): void {
    this.invalidCount++;
    if (this.invalid.length < 200) this.invalid.push({ origin: 'replayed', source, message });
  }
}
