// The oracle's compact tables: one slot per legacy record (people, name records, events,
// locations, objects, audit entries), paged columns (paged.ts: a bounded cache over a scratch
// file, so the oracle's memory does not grow with the extract), CSR link indexes.
// No raw record is kept. A repeated key (re-export) gets a new slot and kills the earlier one;
// CRIMINT inline items (addresses, phones, vehicles, locations) live and die with their parent.
import { DerivedKeyIndex, KeyColumn, KeyIndex, MultiMap } from './compact.ts';
import { refKey } from './keys.ts';
import { LinkIndex } from './link-index.ts';
import { PagedInt32, PagedStrings, type PageCache } from './paged.ts';
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
  readonly ent: PagedInt32;
  readonly keys: KeyColumn;
  readonly live: PagedInt32;
  constructor(protected readonly cache: PageCache) {
    this.ent = new PagedInt32(cache);
    this.keys = new KeyColumn(cache);
    this.live = new PagedInt32(cache);
  }
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
  /** After the build. */
  freeze(): void {}
}

/** People (CRIS NOMINAL, CRIMINT nominals). Names live in NameTable. */
export class PersonTable extends Slots {
  readonly nameStart = new PagedInt32(this.cache);
  readonly nameCount = new PagedInt32(this.cache);
  /** key → slot, per entity code (the latest occurrence). */
  readonly byKey = [new KeyIndex(this.cache, this.keys), new KeyIndex(this.cache, this.keys)];
  add(ent: number, key: string): number {
    const s = this.addSlot(ent, key);
    this.nameStart.push(0);
    this.nameCount.push(0);
    return s;
  }
  override freeze(): void {
    for (const k of this.byKey) k.freeze();
  }
}

/** Name records: the primary name (alias -1) and every alias of a person. */
export class NameTable {
  readonly person: PagedInt32;
  readonly alias: PagedInt32;
  readonly surname: PagedStrings;
  readonly forenames: PagedStrings;
  readonly dobFrom: PagedInt32;
  readonly dobTo: PagedInt32;
  readonly bySurname: MultiMap;
  readonly bySoundex: MultiMap;
  /** Name slots with a known DOB, ascending by dobFrom (after freeze), and their dobFrom. */
  readonly dobOrder: PagedInt32;
  readonly dobOrderFrom: PagedInt32;
  /** Longest DOB period, in yyyymmdd units (bounds the range scan). */
  maxSpan = 0;
  constructor(cache: PageCache) {
    this.person = new PagedInt32(cache);
    this.alias = new PagedInt32(cache);
    this.surname = new PagedStrings(cache);
    this.forenames = new PagedStrings(cache);
    this.dobFrom = new PagedInt32(cache);
    this.dobTo = new PagedInt32(cache);
    this.bySurname = new MultiMap(cache);
    this.bySoundex = new MultiMap(cache);
    this.dobOrder = new PagedInt32(cache);
    this.dobOrderFrom = new PagedInt32(cache);
  }
  get size(): number {
    return this.person.length;
  }
  add(person: number, alias: number, surname: string | null, forenames: string, dob: [number, number] | null): number {
    this.alias.push(alias);
    this.surname.push(surname);
    this.forenames.push(forenames);
    this.dobFrom.push(dob ? dob[0] : 0);
    this.dobTo.push(dob ? dob[1] : 0);
    if (dob) this.maxSpan = Math.max(this.maxSpan, dob[1] - dob[0]);
    return this.person.push(person);
  }
  freeze(): void {
    this.bySurname.freeze();
    this.bySoundex.freeze();
    const from = this.dobFrom.slice(0, this.dobFrom.length);
    let n = 0;
    for (let i = 0; i < from.length; i++) if (from[i]! > 0) n++;
    const ids = new Int32Array(n);
    n = 0;
    for (let i = 0; i < from.length; i++) if (from[i]! > 0) ids[n++] = i;
    ids.sort((a, b) => from[a]! - from[b]! || a - b);
    this.dobOrder.append(ids);
    this.dobOrderFrom.append(ids.map((i) => from[i]!));
  }
}

/** Events: CRIS crime reports and CRIMINT intelligence reports. */
export class EventTable extends Slots {
  /** Crimes: REPORTED_DT's local date; intelligence: `created`'s local date (yyyymmdd, 0 unknown). */
  readonly date = new PagedInt32(this.cache);
  readonly ho = new PagedStrings(this.cache);
  readonly borough = new PagedStrings(this.cache);
  /** Intelligence grading as recorded: scheme, source, handling (trimmed, upper case). */
  readonly grading = new PagedStrings(this.cache);
  readonly byKey = [new KeyIndex(this.cache, this.keys), new KeyIndex(this.cache, this.keys)];
  /** S13 reference key (refKey of the record key) → slots. */
  readonly byRef = new DerivedKeyIndex(this.cache, (slot) => refKey(this.keys.get(slot)));
  readonly byHo = new MultiMap(this.cache);
  readonly byScheme = new MultiMap(this.cache);
  readonly narrative = new TokenIndex(this.cache, true);
  add(ent: number, key: string, date: number): number {
    const s = this.addSlot(ent, key);
    this.date.push(date);
    this.ho.push(null);
    this.borough.push(null);
    this.grading.push(null);
    return s;
  }
  override freeze(): void {
    for (const k of this.byKey) k.freeze();
    this.byRef.build(this.size);
    this.byHo.freeze();
    this.byScheme.freeze();
    this.narrative.freeze();
  }
}

/** Inline items' owner columns. */
class OwnedSlots extends Slots {
  readonly ownerKind = new PagedInt32(this.cache);
  readonly owner = new PagedInt32(this.cache);
  protected addOwned(ent: number, key: string, ownerKind: number, owner: number): number {
    const s = this.addSlot(ent, key);
    this.ownerKind.push(ownerKind);
    this.owner.push(owner);
    return s;
  }
}

export class LocationTable extends OwnedSlots {
  readonly postcode = new PagedStrings(this.cache);
  readonly town = new PagedStrings(this.cache);
  readonly byPostcode = new MultiMap(this.cache);
  readonly byDistrict = new MultiMap(this.cache);
  readonly street = new TokenIndex(this.cache, false);
  /** CRIS ADDRESS_ID → slot. */
  readonly byKey = new KeyIndex(this.cache, this.keys);
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
    this.byPostcode.freeze();
    this.byDistrict.freeze();
    this.street.freeze();
  }
}

export const OBJECT_KIND = { VEHICLE: 0, TELEPHONE: 1 } as const;

export class ObjectTable extends OwnedSlots {
  readonly kind = new PagedInt32(this.cache);
  /** Vehicles: VRM (no blanks, upper case); telephones: the S12 key. */
  readonly value = new PagedStrings(this.cache);
  readonly make = new PagedStrings(this.cache);
  readonly model = new PagedStrings(this.cache);
  readonly colour = new PagedStrings(this.cache);
  readonly byVrm = new MultiMap(this.cache);
  readonly byMake = new MultiMap(this.cache);
  readonly byModel = new MultiMap(this.cache);
  readonly byColour = new MultiMap(this.cache);
  readonly byPhone = new MultiMap(this.cache);
  /** CRIS VEHICLE_ID → slot. */
  readonly byKey = new KeyIndex(this.cache, this.keys);
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
    for (const m of [this.byVrm, this.byMake, this.byModel, this.byColour, this.byPhone]) m.freeze();
  }
}

/** Consultation and disclosure audit entries (the only ones S19/S20 return). */
export class AuditTable extends Slots {
  readonly date = new PagedInt32(this.cache);
  readonly action = new PagedInt32(this.cache);
  /** `E:<refKey>` events, `P:<ent>:<key>` people, `L:4:<key>` CRIS addresses, `O:5:<key>` CRIS vehicles. */
  readonly byTarget = new MultiMap(this.cache);
  /** audit key → slot, per system (0 CRIS, 1 CRIMINT), for repeated ids. */
  readonly byKey = [new KeyIndex(this.cache, this.keys), new KeyIndex(this.cache, this.keys)];
  add(ent: number, key: string, date: number, action: number, target: string): number {
    const s = this.addSlot(ent, key);
    this.date.push(date);
    this.action.push(action);
    this.byTarget.add(target, s);
    return s;
  }
  override freeze(): void {
    this.byTarget.freeze();
  }
}

/** Role payload of event–person links: index in TARGET_ROLES, or 255 for a code the catalog does not know. */
export const UNKNOWN_ROLE = 255;

export class OracleStore {
  readonly persons: PersonTable;
  readonly names: NameTable;
  readonly events: EventTable;
  readonly locations: LocationTable;
  readonly objects: ObjectTable;
  readonly audit: AuditTable;
  readonly eventPerson: LinkIndex;
  readonly eventLocation: LinkIndex;
  readonly eventObject: LinkIndex;
  readonly personLocation: LinkIndex;
  readonly personObject: LinkIndex;
  /** Identities of legacy-deleted people and events (to describe a target extra). */
  readonly deleted = new Set<string>();
  /** Records read per `SYSTEM:ENTITY`. */
  readonly read: Record<string, number> = {};
  /** Links skipped because a side is missing (orphans), per link kind. */
  readonly orphans: Record<string, number> = {};

  /**
   * Legacy values the migration normalises to NULL (invalid postcode, not a UK phone number):
   * compared as migrated, they match nothing. Counted so the loss is visible.
   */
  readonly unsearchableValues: Record<string, number> = {};

  /** Every table and index is kept in `pages` (paged.ts). */
  constructor(readonly pages: PageCache) {
    this.persons = new PersonTable(pages);
    this.names = new NameTable(pages);
    this.events = new EventTable(pages);
    this.locations = new LocationTable(pages);
    this.objects = new ObjectTable(pages);
    this.audit = new AuditTable(pages);
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
    // key maps needed only while reading (repeated keys, link resolution); describe() scans
    this.locations.byKey.clear();
    this.objects.byKey.clear();
    for (const m of this.audit.byKey) m.clear();
  }
}
