// Free text: CRIS MO_TEXT and CRIMINT intelligence text, with CR/LF and tabs, backslashes,
// accents, mojibake, NUL characters (CRIMINT only) and the occasional very long narrative.
import type { Rng } from './random.ts';
import type { QuirkRates } from './rates.ts';
import { canonicalVrm, mojibake, phone, withNul } from './values.ts';
import * as V from './vocab.ts';

/** Longest narrative the generator writes (legacy-data.md: up to 20,000 characters). */
export const MAX_NARRATIVE = 20_000;

function fill(template: string, rng: Rng, rates: QuirkRates): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'item': return rng.pick(V.ITEMS);
      case 'time': return `${String(rng.int(24)).padStart(2, '0')}:${String(rng.int(12) * 5).padStart(2, '0')}`;
      case 'street': return `${rng.pick(V.STREET_NAMES)} ${rng.pick(V.STREET_SUFFIXES)}`;
      case 'build': return rng.pick(V.BUILDS);
      case 'colour': return rng.pick(V.COLOURS).toLowerCase();
      case 'money': return String(rng.range(5, 2500));
      case 'premises': return rng.pick(V.PREMISES_NAMES);
      case 'vehicle': {
        const [make, models] = rng.pick(V.MAKES_MODELS);
        return `${make} ${rng.pick(models)}`;
      }
      case 'vrmpart': return canonicalVrm(rng).slice(0, 4);
      case 'soco': return `SOCO\\${String(rng.range(10, 24))}\\${rng.range(1000, 9999)}`; // backslashes
      case 'locality': return rng.pick(V.LOCALITIES);
      case 'phone': return phone(rng, rates);
      default: return slot;
    }
  });
}

/**
 * A narrative. `kind` picks the sentence set; `nul` allows U+0000 (CRIMINT: yes; CRIS: no,
 * since the PostgreSQL stand-in cannot store it).
 */
export function narrative(rng: Rng, rates: QuirkRates, kind: 'crime' | 'intel', nul: boolean): string {
  const sentences = kind === 'crime' ? V.CRIME_SENTENCES : V.INTEL_SENTENCES;
  const long = rng.chance(rates.longNarrative);
  const target = long ? rng.range(5_000, MAX_NARRATIVE) : 0;
  const count = long ? Number.POSITIVE_INFINITY : rng.range(1, 7);
  const control = rng.chance(rates.controlChars);
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; i < count && (!long || length < target); i++) {
    const s = fill(rng.pick(sentences), rng, rates);
    parts.push(s);
    length += s.length + 2;
  }
  if (rng.chance(0.05)) parts.push(`Statement taken from ${rng.pick(V.ACCENTED_WORDS)}'s neighbour.`);
  if (rng.chance(rates.mojibake)) {
    parts.push(rng.chance(0.5) ? `Met at the ${mojibake('café')} near ${rng.pick(V.LOCALITIES)}.` : `Loss estimated at ${mojibake('£')}${rng.range(10, 900)}.`);
  }
  let text = '';
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) text += control ? rng.pick(['\r\n', '\r\n', '\n', '\t', ' \r\n\t']) : ' ';
    text += parts[i];
  }
  if (control && parts.length === 1) text += '\r\n';
  if (long && text.length > target) text = text.slice(0, target);
  if (nul && rng.chance(rates.nul)) text = withNul(text, rng);
  return text;
}
