// Search criteria for SEARCH audit entries: real S01–S20 queries (search-catalog.md, exact
// parameter names) built from records the generator actually wrote, typed the way users type
// them (other case, misspelt with the same Soundex, 4-digit CRIS year, +44 phone, ...).
// Records are re-derived through a SearchSource; nothing is held in memory.
import { soundex } from '../transform/names.ts';
import { phoneSearchKey } from '../transform/phone.ts';
import { tokenise } from '../transform/text.ts';
import type { CapabilityId } from '../parity/types.ts';
import type { Rng } from './random.ts';
import { DAY, fmtIsoDate, ts } from './time.ts';
import type { Ymd } from './values.ts';

export interface Criteria {
  capability: CapabilityId;
  params: Record<string, unknown>;
}

export interface PersonSample {
  key: string;
  surname: string;
  forenames: string | null;
  dob: Ymd | null;
  dobPrecision: 'day' | 'month' | 'year' | null;
}

export interface EventSample {
  reference: string;
  reported: number;
  narrative: string;
  hoCode?: string;
  borough?: string;
  scheme?: '5x5x5' | '3x5x2';
  grading?: { source: string; intel: string; handling: string };
}

/** What a system offers to build searches from. Each sampler returns a live record. */
export interface SearchSource {
  capabilities: readonly CapabilityId[];
  /** Share (0–1] of the period already recorded when the search runs: samplers draw from it. */
  horizon: number;
  person(rng: Rng, needDob: boolean): PersonSample;
  place(rng: Rng): { street: string; town: string; postcode: string };
  vehicle(rng: Rng): { vrm: string; make: string; model: string; colour: string };
  event(rng: Rng): EventSample;
  phone(rng: Rng): string;
  link(rng: Rng): { nominal: string; role: string };
  linkedVrm(rng: Rng): string;
}

/** CRIS: no phones, no intelligence grading. CRIMINT: no crime classification. */
export const CRIS_CAPABILITIES: readonly CapabilityId[] = ['S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'S09', 'S10', 'S11', 'S13', 'S14', 'S15', 'S17', 'S18', 'S19', 'S20'];
export const CRIMINT_CAPABILITIES: readonly CapabilityId[] = ['S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'S09', 'S10', 'S11', 'S12', 'S13', 'S14', 'S16', 'S17', 'S18', 'S19', 'S20'];

/** How many of n records (in time order) exist at the horizon (at least 50, or all). */
export function recorded(n: number, horizon: number): number {
  return Math.min(n, Math.max(Math.min(n, 50), Math.ceil(horizon * n)));
}

const VOWELS = 'AEIOU';
const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** A misspelling with the same Soundex key (a vowel swapped, a letter doubled), or the name itself. */
export function soundexVariant(name: string, rng: Rng): string {
  const key = soundex(name);
  for (let attempt = 0; attempt < 8; attempt++) {
    const chars = [...name];
    const at = 1 + rng.int(Math.max(1, chars.length - 1));
    const c = chars[at]?.toUpperCase() ?? '';
    let candidate: string;
    if (VOWELS.includes(c)) {
      const v = VOWELS[(VOWELS.indexOf(c) + 1 + rng.int(4)) % 5]!;
      chars[at] = chars[at] === c ? v : v.toLowerCase();
      candidate = chars.join('');
    } else if (/[A-Za-z]/.test(c)) {
      chars.splice(at, 0, chars[at]!);
      candidate = chars.join('');
    } else continue;
    if (candidate !== name && soundex(candidate) === key) return candidate;
  }
  return name;
}

/** How users type a name: as stored, lower case, or upper case. */
function typed(s: string, rng: Rng): string {
  const f = rng.float();
  return f < 0.5 ? s : f < 0.75 ? s.toLowerCase() : s.toUpperCase();
}

const dmy = (d: Ymd) => `${p2(d.d)}/${p2(d.m)}/${d.y}`;
const dayOf = (t: number) => Math.floor(t / DAY) * DAY;

function person(cap: CapabilityId, rng: Rng, src: SearchSource): Record<string, unknown> {
  const needDob = cap === 'S04' || cap === 'S05' || cap === 'S06' || cap === 'S20';
  const p = src.person(rng, needDob);
  const first = p.forenames?.split(/\s+/)[0] ?? '';
  switch (cap) {
    case 'S01': {
      const params: Record<string, unknown> = { surname: typed(rng.chance(0.2) ? p.surname.replace(/['\s-]/g, '') : p.surname, rng) };
      if (first && rng.chance(0.5)) params.forenames = typed(rng.chance(0.5) ? first : first.slice(0, Math.max(1, rng.range(1, first.length))), rng);
      return params;
    }
    case 'S02': {
      const params: Record<string, unknown> = { surname: typed(soundexVariant(p.surname, rng), rng) };
      if (first && rng.chance(0.4)) params.forenameInitial = first[0]!.toUpperCase();
      return params;
    }
    case 'S03': {
      const s = p.surname.toUpperCase();
      if (s.length > 3 && rng.chance(0.4)) {
        const at = 1 + rng.int(s.length - 1);
        return { pattern: `${s.slice(0, at)}?${s.slice(at + 1)}` };
      }
      return { pattern: `${s.slice(0, Math.min(s.length, rng.range(2, 4)))}*` };
    }
    case 'S04': {
      const d = p.dob!;
      const f = rng.float();
      if (p.dobPrecision === 'year' || f < 0.1) return { dob: `00/00/${d.y}` };
      if (p.dobPrecision === 'month' || f < 0.25) return { dob: `00/${p2(d.m)}/${d.y}` };
      return { dob: dmy(d) };
    }
    case 'S05': {
      const d = p.dob!;
      const onY = Math.max(d.y + 10, rng.range(2012, 2024));
      const onDate = ts(onY, rng.range(1, 12), rng.range(1, 28));
      const age = onY - d.y;
      return { minAge: Math.max(0, age - rng.int(4)), maxAge: age + rng.int(4), onDate: fmtIsoDate(onDate) };
    }
    case 'S06': {
      const tolerance = rng.range(0, 5);
      return { surname: typed(rng.chance(0.5) ? soundexVariant(p.surname, rng) : p.surname, rng), birthYear: p.dob!.y + rng.range(-tolerance, tolerance), tolerance };
    }
    default: {
      // S20: a subject access request names a person by full name and date of birth.
      const d = p.dob!;
      return { surname: p.surname, forenames: p.forenames ?? '', dob: p.dobPrecision === 'day' ? dmy(d) : p.dobPrecision === 'month' ? `00/${p2(d.m)}/${d.y}` : `00/00/${d.y}` };
    }
  }
}

function eventWords(e: EventSample, rng: Rng): Record<string, unknown> {
  const tokens = tokenise(e.narrative);
  const content = tokens.filter((t) => t.length >= 4 && !/^\d+$/.test(t));
  if (content.length === 0) return { words: tokens[0] ?? 'suspect' };
  const w1 = rng.pick(content);
  const words = [rng.chance(0.25) ? `${w1.slice(0, Math.min(w1.length - 1, 4))}*` : w1];
  if (rng.chance(0.4)) words.push(rng.pick(content));
  const params: Record<string, unknown> = { words: words.join(' ') };
  if (tokens.length > 2 && rng.chance(0.3)) {
    const at = rng.int(tokens.length - 1);
    params.phrase = `${tokens[at]} ${tokens[at + 1]}`;
  }
  return params;
}

function period(t: number, rng: Rng, maxDaysBefore: number, maxDaysAfter: number) {
  return { from: fmtIsoDate(dayOf(t) - rng.int(maxDaysBefore + 1) * DAY), to: fmtIsoDate(dayOf(t) + (1 + rng.int(maxDaysAfter)) * DAY) };
}

type Params = Record<string, unknown>;

/** Each capability's search, built from live records of the source (the order of the draws is the data's: keep it). */
const BUILD: Record<CapabilityId, (rng: Rng, src: SearchSource) => Params> = {
  S01: (rng, src) => person('S01', rng, src),
  S02: (rng, src) => person('S02', rng, src),
  S03: (rng, src) => person('S03', rng, src),
  S04: (rng, src) => person('S04', rng, src),
  S05: (rng, src) => person('S05', rng, src),
  S06: (rng, src) => person('S06', rng, src),
  S20: (rng, src) => person('S20', rng, src),
  S07: (rng, src) => {
    const pc = src.place(rng).postcode;
    const [outward, inward] = pc.split(' ') as [string, string];
    const f = rng.float();
    return { postcode: f < 0.4 ? typed(rng.chance(0.5) ? pc : pc.replace(' ', ''), rng) : f < 0.7 ? `${outward} ${inward[0]}` : outward };
  },
  S08: (rng, src) => {
    const pl = src.place(rng);
    const words = pl.street.split(' ');
    const params: Params = { street: typed(rng.chance(0.5) ? words[0]! : pl.street, rng) };
    if (rng.chance(0.4)) params.town = typed(pl.town, rng);
    return params;
  },
  S09: (rng, src) => {
    const v = src.vehicle(rng).vrm;
    return { vrm: rng.chance(0.5) ? v.replace(' ', '').toLowerCase() : v };
  },
  S10: (rng, src) => {
    const v = src.vehicle(rng).vrm.replace(' ', '');
    const at = rng.int(v.length);
    return { pattern: rng.chance(0.5) ? `${v.slice(0, 4)}*` : `${v.slice(0, at)}?${v.slice(at + 1)}` };
  },
  S11: (rng, src) => {
    const v = src.vehicle(rng);
    const params: Params = {};
    const f = rng.int(4);
    if (f !== 1) params.make = typed(v.make, rng);
    if (f === 1 || f === 3) params.model = v.model;
    if (f <= 1) params.colour = typed(v.colour, rng);
    return params;
  },
  S12: (rng, src) => {
    const key = phoneSearchKey(src.phone(rng)); // 07700900123
    const nsn = key.slice(1);
    return { number: rng.chance(0.6) ? `+44 ${nsn.slice(0, 4)} ${nsn.slice(4)}` : rng.chance(0.5) ? key : `0044${nsn}` };
  },
  S13: (rng, src) => {
    const ref = src.event(rng).reference;
    const cris = /^(\d{7})\/(\d{2})$/.exec(ref);
    if (!cris) return { reference: rng.chance(0.5) ? ref.toLowerCase() : ref };
    const year = Number(cris[2]) >= 70 ? `19${cris[2]}` : `20${cris[2]}`;
    const f = rng.float();
    return { reference: f < 0.4 ? `${cris[1]}/${year}` : f < 0.7 ? `${String(Number(cris[1]))}/${cris[2]}` : ref };
  },
  S14: (rng, src) => eventWords(src.event(rng), rng),
  S15: (rng, src) => {
    const e = src.event(rng);
    const other = src.event(rng).hoCode!;
    const params: Params = { codes: other === e.hoCode || rng.chance(0.5) ? [e.hoCode!] : [e.hoCode!, other], ...period(e.reported, rng, 30, 30) };
    if (rng.chance(0.5)) params.borough = e.borough!;
    return params;
  },
  S16: (rng, src) => {
    const e = src.event(rng);
    const g = e.grading!;
    const alt = e.scheme === '5x5x5' ? { s: 'C', h: '2' } : { s: '2', h: 'C' };
    const params: Params = {
      scheme: e.scheme,
      sources: rng.chance(0.5) && alt.s !== g.source ? [g.source, alt.s] : [g.source],
      handling: rng.chance(0.5) && alt.h !== g.handling ? [g.handling, alt.h] : [g.handling],
      ...period(e.reported, rng, 90, 180),
    };
    return params;
  },
  S17: (rng, src) => {
    const l = src.link(rng);
    const params: Params = { nominal: l.nominal };
    if (rng.chance(0.5)) params.roles = [l.role];
    return params;
  },
  S18: (rng, src) => ({ vrm: src.linkedVrm(rng) }),
  S19: (rng, src) => {
    const e = src.event(rng);
    return { reference: e.reference, from: fmtIsoDate(dayOf(e.reported) - rng.int(30) * DAY), to: fmtIsoDate(dayOf(e.reported) + rng.range(1, 5) * 365 * DAY) };
  },
};

/** One search of capability `cap`, built from live records of the source. */
export function buildCriteria(cap: CapabilityId, rng: Rng, src: SearchSource): Criteria {
  return { capability: cap, params: BUILD[cap](rng, src) };
}
