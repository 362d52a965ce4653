// The oracle's compact tables: one slot per legacy record (people, name records, events,
// locations, objects, audit entries), typed-array columns, interned strings, CSR link indexes.
// No raw record is kept. A repeated key (re-export) gets a new slot and kills the earlier one;
// CRIMINT inline items (addresses, phones, vehicles, locations) live and die with their parent.
import { DerivedKeyIndex, GrowableInt32, Interner, KeyColumn, KeyIndex, MultiMap } from './compact.ts';
import { refKey } from './keys.ts';
import { LinkIndex } from './link-index.ts';
import type { PageCache } from './paged.ts';
import { TokenIndex } from './token-index.ts';

/** Entity codes: `SYSTEM:ENTITY` prefixes of identities. */
export const ENT = {
  CRIS_NOMINAL: 0,
  CRIMINT_NOMINAL: 1,
  CRIS_CRIME: 2,
  CRIMINT_INTEL: 3,
  CRIS_ADDRESS: 4,
  CRIS_VEHICLE: 5,
  CRIS_AUDIT: 6,
  CRIMINT_AUDIT: 7,
} as const;

export const ENT_PREFIX = [
  'CRIS:NOMINAL:', 'CRIMINT:nominals.json:', 'CRIS:CRIME_REPORT:', 'CRIMINT:intel_reports.json:',
  'CRIS:ADDRESS:', 'CRIS:VEHICLE:', 'CRIS:AUDIT_TRAIL:', 'CRIMINT:audit.json:',
] as const;

/** Split an identity into entity code and key; null when it is not a legacy identity. */
export function parseIdentity(identity: string): { ent: number; key: string } | null {
  for (let e = 0; e < ENT_PREFIX.length; e++) {
    if (identity.startsWith(ENT_PREFIX[e]!)) return { ent: e, key: identity.slice(ENT_PREFIX[e]!.length) };
  }
  return null;
}

/** Audit actions the oracle indexes (consultation and disclosure). */
export const ACTION = { VIEW: 1, SEARCH: 2, PRINT: 3, DISCLOSE: 4 } as const;
export const ACTION_NAME = ['', 'VIEW', 'SEARCH', 'PRINT', 'DISCLOSE'];

/** Owner of an inline CRIMINT item. */
export const OWNER = { NONE: 0, PERSON: 1, EVENT: 2 } as const;

/** Columns shared by every table: entity code, key, liveness. */
class Slots {
  readonly ent = new GrowableInt32();
  readonly keys = new KeyColumn();
  readonly live = new GrowableInt32();
  get size(): number {
    return this.keys.length;
  }
  protected addSlot(ent: number, key: string): number {
    this.ent.push(ent);
    this.live.push(1);
    return this.keys.push(key);
  }
  key(slot: number): string {
    return this.keys.get(slot);
  }
  identity(slot: number): string {
    return ENT_PREFIX[this.ent.get(slot)]! + this.keys.get(slot);
  }
  /** After the build: columns right-sized. */
  freeze(): void {
    this.ent.trim();
    this.keys.trim();
    this.live.trim();
  }
}

/** People (CRIS NOMINAL, CRIMINT nominals). Names live in NameTable. */
export class PersonTable extends Slots {
  readonly nameStart = new GrowableInt32();
  readonly nameCount = new GrowableInt32();
  /** key → slot, per entity code (the latest occurrence). */
  readonly byKey = [new KeyIndex(this.keys), new KeyIndex(this.keys)];
  add(ent: number, key: string): number {
    const s = this.addSlot(ent, key);
    this.nameStart.push(0);
    this.nameCount.push(0);
    return s;
  }
  override freeze(): void {
    super.freeze();
    this.nameStart.trim();
    this.nameCount.trim();
    for (const k of this.byKey) k.freeze();
  }
}

/** Name records: the primary name (alias -1) and every alias of a person. */
export class NameTable {
  readonly person = new GrowableInt32();
  readonly alias = new GrowableInt32();
  readonly surname: (string | null)[] = [];
  readonly forenames: string[] = [];
  readonly dobFrom = new GrowableInt32();
  readonly dobTo = new GrowableInt32();
  readonly bySurname = new MultiMap<string>();
  readonly bySoundex = new MultiMap<string>();
  /** Name slots with a known DOB, ascending by dobFrom (after freeze). */
  dobOrder = new Int32Array(0);
  dobOrderFrom = new Int32Array(0);
  /** Longest DOB period, in yyyymmdd units (bounds the range scan). */
  maxSpan = 0;
  get size(): number {
    return this.surname.length;
  }
  add(person: number, alias: number, surname: string | null, forenames: string, dob: [number, number] | null): number {
    this.person.push(person);
    this.alias.push(alias);
    this.surname.push(surname);
    this.forenames.push(forenames);
    this.dobFrom.push(dob ? dob[0] : 0);
    this.dobTo.push(dob ? dob[1] : 0);
    if (dob) this.maxSpan = Math.max(this.maxSpan, dob[1] - dob[0]);
    return this.surname.length - 1;
  }
  freeze(): void {
    this.bySurname.freeze();
    this.bySoundex.freeze();
    for (const c of [this.person, this.alias, this.dobFrom, this.dobTo]) c.trim();
    const from = this.dobFrom.toArray();
    const ids: number[] = [];
    for (let i = 0; i < from.length; i++) if (from[i]! > 0) ids.push(i);
    ids.sort((a, b) => from[a]! - from[b]! || a - b);
    this.dobOrder = Int32Array.from(ids);
    this.dobOrderFrom = Int32Array.from(ids, (i) => from[i]!);
  }
}

/** Events: CRIS crime reports and CRIMINT intelligence reports. */
export class EventTable extends Slots {
  /** Crimes: REPORTED_DT's local date; intelligence: `created`'s local date (yyyymmdd, 0 unknown). */
  readonly date = new GrowableInt32();
  readonly ho: (string | null)[] = [];
  readonly borough: (string | null)[] = [];
  /** Intelligence grading as recorded: scheme, source, handling (trimmed, upper case). */
  readonly grading: (string | null)[] = [];
  readonly byKey = [new KeyIndex(this.keys), new KeyIndex(this.keys)];
  /** S13 reference key (refKey of the record key) → slots. */
  readonly byRef = new DerivedKeyIndex((slot) => refKey(this.keys.get(slot)));
  readonly byHo = new MultiMap<string>();
  readonly byScheme = new MultiMap<string>();
  readonly narrative: TokenIndex;
  constructor(cache: PageCache) {
    super();
    this.narrative = new TokenIndex(cache, true);
  }
  add(ent: number, key: string, date: number): number {
    const s = this.addSlot(ent, key);
    this.date.push(date);
    this.ho.push(null);
    this.borough.push(null);
    this.grading.push(null);
    return s;
  }
  override freeze(): void {
    super.freeze();
    this.date.trim();
    for (const k of this.byKey) k.freeze();
    this.byRef.build(this.size);
    this.byHo.freeze();
    this.byScheme.freeze();
    this.narrative.freeze();
  }
}

/** Inline items' owner columns. */
class OwnedSlots extends Slots {
  readonly ownerKind = new GrowableInt32();
  readonly owner = new GrowableInt32();
  protected addOwned(ent: number, key: string, ownerKind: number, owner: number): number {
    const s = this.addSlot(ent, key);
    this.ownerKind.push(ownerKind);
    this.owner.push(owner);
    return s;
  }
  override freeze(): void {
    super.freeze();
    this.ownerKind.trim();
    this.owner.trim();
  }
}

export class LocationTable extends OwnedSlots {
  readonly postcode: (string | null)[] = [];
  readonly town: (string | null)[] = [];
  readonly byPostcode = new MultiMap<string>();
  readonly byDistrict = new MultiMap<string>();
  readonly street: TokenIndex;
  constructor(cache: PageCache) {
    super();
    this.street = new TokenIndex(cache, false);
  }
  /** CRIS ADDRESS_ID → slot. */
  readonly byKey = new KeyIndex(this.keys);
  add(ent: number, key: string, ownerKind: number, owner: number, postcode: string | null, town: string | null): number {
    const s = this.addOwned(ent, key, ownerKind, owner);
    this.postcode.push(postcode);
    this.town.push(town);
    if (postcode) {
      this.byPostcode.add(postcode, s);
      this.byDistrict.add(postcode.slice(0, postcode.indexOf(' ')), s);
    }
    return s;
  }
  override freeze(): void {
    super.freeze();
    this.byPostcode.freeze();
    this.byDistrict.freeze();
    this.street.freeze();
  }
}

export const OBJECT_KIND = { VEHICLE: 0, TELEPHONE: 1 } as const;

export class ObjectTable extends OwnedSlots {
  readonly kind = new GrowableInt32();
  /** Vehicles: VRM (no blanks, upper case); telephones: the S12 key. */
  readonly value: (string | null)[] = [];
  readonly make: (string | null)[] = [];
  readonly model: (string | null)[] = [];
  readonly colour: (string | null)[] = [];
  readonly byVrm = new MultiMap<string>();
  readonly byMake = new MultiMap<string>();
  readonly byModel = new MultiMap<string>();
  readonly byColour = new MultiMap<string>();
  readonly byPhone = new MultiMap<string>();
  /** CRIS VEHICLE_ID → slot. */
  readonly byKey = new KeyIndex(this.keys);
  addVehicle(ent: number, key: string, ownerKind: number, owner: number, vrm: string | null, make: string | null, model: string | null, colour: string | null): number {
    const s = this.addOwned(ent, key, ownerKind, owner);
    this.kind.push(OBJECT_KIND.VEHICLE);
    this.value.push(vrm);
    this.make.push(make);
    this.model.push(model);
    this.colour.push(colour);
    if (vrm) this.byVrm.add(vrm, s);
    if (make) this.byMake.add(make, s);
    if (model) this.byModel.add(model, s);
    if (colour) this.byColour.add(colour, s);
    return s;
  }
  addPhone(ent: number, key: string, ownerKind: number, owner: number, phoneKey: string | null): number {
    const s = this.addOwned(ent, key, ownerKind, owner);
    this.kind.push(OBJECT_KIND.TELEPHONE);
    this.value.push(phoneKey);
    this.make.push(null);
    this.model.push(null);
    this.colour.push(null);
    if (phoneKey) this.byPhone.add(phoneKey, s);
    return s;
  }
  override freeze(): void {
    super.freeze();
    this.kind.trim();
    for (const m of [this.byVrm, this.byMake, this.byModel, this.byColour, this.byPhone]) m.freeze();
  }
}

/** Consultation and disclosure audit entries (the only ones S19/S20 return). */
export class AuditTable extends Slots {
  readonly date = new GrowableInt32();
  readonly action = new GrowableInt32();
  /** `E:<refKey>` events, `P:<ent>:<key>` people, `L:4:<key>` CRIS addresses, `O:5:<key>` CRIS vehicles. */
  readonly byTarget = new MultiMap<string>();
  /** audit key → slot, per system (0 CRIS, 1 CRIMINT), for repeated ids. */
  readonly byKey = [new KeyIndex(this.keys), new KeyIndex(this.keys)];
  add(ent: number, key: string, date: number, action: number, target: string): number {
    const s = this.addSlot(ent, key);
    this.date.push(date);
    this.action.push(action);
    this.byTarget.add(target, s);
    return s;
  }
  override freeze(): void {
    super.freeze();
    this.date.trim();
    this.action.trim();
    this.byTarget.freeze();
  }
}

/** Role payload of event–person links: index in TARGET_ROLES, or 255 for a code the catalog does not know. */
export const UNKNOWN_ROLE = 255;

export class OracleStore {
  readonly persons = new PersonTable();
  readonly names = new NameTable();
  readonly events: EventTable;
  readonly locations: LocationTable;
  readonly objects = new ObjectTable();
  readonly audit = new AuditTable();
  readonly eventPerson: LinkIndex;
  readonly eventLocation: LinkIndex;
  readonly eventObject: LinkIndex;
  readonly personLocation: LinkIndex;
  readonly personObject: LinkIndex;
  /** Identities of legacy-deleted people and events (to describe a target extra). */
  readonly deleted = new Set<string>();
  readonly strings = new Interner();
  /** Records read per `SYSTEM:ENTITY`. */
  readonly read: Record<string, number> = {};
  /** Links skipped because a side is missing (orphans), per link kind. */
  readonly orphans: Record<string, number> = {};

  /**
   * Legacy values the migration normalises to NULL (invalid postcode, not a UK phone number):
   * compared as migrated, they match nothing. Counted so the loss is visible.
   */
  readonly unsearchableValues: Record<string, number> = {};

  /** The token and link indexes are kept in `pages` (paged.ts); the rest in memory. */
  constructor(readonly pages: PageCache) {
    this.events = new EventTable(pages);
    this.locations = new LocationTable(pages);
    this.eventPerson = new LinkIndex(pages);
    this.eventLocation = new LinkIndex(pages);
    this.eventObject = new LinkIndex(pages);
    this.personLocation = new LinkIndex(pages);
    this.personObject = new LinkIndex(pages);
  }

  unsearchable(kind: string): void {
    this.unsearchableValues[kind] = (this.unsearchableValues[kind] ?? 0) + 1;
  }

  orphan(kind: string): void {
    this.orphans[kind] = (this.orphans[kind] ?? 0) + 1;
  }

  personLive(p: number): boolean {
    return this.persons.live.get(p) === 1;
  }
  eventLive(e: number): boolean {
    return this.events.live.get(e) === 1;
  }
  private ownedLive(t: OwnedSlots, s: number): boolean {
    if (t.live.get(s) !== 1) return false;
    const k = t.ownerKind.get(s);
    if (k === OWNER.PERSON) return this.personLive(t.owner.get(s));
    if (k === OWNER.EVENT) return this.eventLive(t.owner.get(s));
    return true;
  }
  locationLive(l: number): boolean {
    return this.ownedLive(this.locations, l);
  }
  objectLive(o: number): boolean {
    return this.ownedLive(this.objects, o);
  }

  freeze(): void {
    this.persons.freeze();
    this.names.freeze();
    this.events.freeze();
    this.locations.freeze();
    this.objects.freeze();
    this.audit.freeze();
    const P = this.persons.size;
    const E = this.events.size;
    this.eventPerson.freeze(E, P);
    this.eventLocation.freeze(E, this.locations.size);
    this.eventObject.freeze(E, this.objects.size);
    this.personLocation.freeze(P, this.locations.size);
    this.personObject.freeze(P, this.objects.size);
    this.strings.clear();
    // key maps needed only while reading (repeated keys, link resolution); describe() scans
    this.locations.byKey.clear();
    this.objects.byKey.clear();
    for (const m of this.audit.byKey) m.clear();
  }
}
