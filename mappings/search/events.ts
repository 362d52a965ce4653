// S13–S16: events by reference, free text, crime classification and intelligence grading
// (search-catalog.md). Restricted events are hidden.
import { foldAccents, tokenise } from '../../src/transform/text.ts';
import { codeKey, refKey } from './keys.ts';
import { ids, localMidnight, type Impl } from './sql.ts';

/** S13: CRIS number with a 2- or 4-digit year and optional leading zeros; URN exact, case-insensitive. */
export const S13: Impl<'S13'> = (p) =>
  ids(`SELECT id FROM record.event WHERE search.ref_key(reference) = $1 AND NOT restricted`, [refKey(p.reference)]);

/** What an S14 query asks for, in tokens. */
export interface FreeText {
  /** tokens that must occur */
  words: string[];
  /** prefixes: some token must start with each */
  prefixes: string[];
  /** consecutive tokens (empty: no phrase) */
  phrase: string[];
}

/**
 * S14 input → tokens. `words` is case- and accent-folded like a narrative and cut into tokens
 * (so `car-park` asks for `car` and `park`); a token directly followed by `*` is a prefix
 * (`knife-poi*` → `knife` and prefix `poi`). `phrase` is tokenised whole: a run of consecutive tokens.
 */
export function parseFreeText(words: string, phrase: string | undefined): FreeText {
  const w = new Set<string>();
  const pre = new Set<string>();
  const folded = foldAccents(words.toLowerCase()).toLowerCase();
  for (const m of folded.matchAll(/([\p{L}\p{N}]+)(\*)?/gu)) (m[2] ? pre : w).add(m[1]!);
  return { words: [...w], prefixes: [...pre], phrase: tokenise(phrase ?? null) };
}

/** Longest lexeme the S14 index holds (tsvector limit 2047 bytes); longer ones are checked exactly. */
export const MAX_LEXEME_BYTES = 2046;
const fits = (s: string) => Buffer.byteLength(s, 'utf8') <= MAX_LEXEME_BYTES;

/** A tsquery lexeme. Tokens are letters and digits only (bigrams: two tokens and a space), so quoting is plain. */
const lexeme = (s: string, prefix = false) => `'${s}'${prefix ? ':*' : ''}`;

/** The index part of an S14 query, and what is left to check exactly on the stored tokens. */
export interface FreeTextPlan {
  /** AND of lexemes for the GIN index; null when no term fits in it */
  tsquery: string | null;
  /** words / prefixes the index could not hold (over 2046 bytes) */
  words: string[];
  prefixes: string[];
  /** true when the run of phrase tokens must be checked (3+ tokens, or a bigram too long) */
  phrase: boolean;
}

/**
 * Every word and prefix is a lexeme; a one-token phrase is a word, a longer phrase its bigrams
 * (`car park` for a two-token phrase: exact from the index alone). Only a phrase of three or
 * more tokens, or a term too long for the index, is left to the exact check.
 */
export function freeTextQuery(q: FreeText): FreeTextPlan {
  const terms: string[] = [];
  const plan: FreeTextPlan = { tsquery: null, words: [], prefixes: [], phrase: q.phrase.length > 2 };
  for (const w of q.words) (fits(w) ? terms.push(lexeme(w)) : plan.words.push(w));
  for (const p of q.prefixes) (fits(p) ? terms.push(lexeme(p, true)) : plan.prefixes.push(p));
  if (q.phrase.length === 1) (fits(q.phrase[0]!) ? terms.push(lexeme(q.phrase[0]!)) : plan.words.push(q.phrase[0]!));
  for (let i = 0; i + 1 < q.phrase.length; i++) {
    const bigram = `${q.phrase[i]} ${q.phrase[i + 1]}`;
    if (fits(bigram)) terms.push(lexeme(bigram));
    else plan.phrase = true;
  }
  plan.tsquery = terms.length ? [...new Set(terms)].join(' & ') : null;
  return plan;
}

/** Numbered query parameters, added as they are used. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown, cast: string): string {
    this.values.push(v);
    return `$${this.values.length}::${cast}`;
  }
}

/**
 * The exact S14 conditions on the stored token text e.search_tokens (tokens joined by single
 * spaces). Tokens are letters and digits only, so the LIKE patterns need no escaping: a word is
 * `% word %`, a prefix `% pre%`, a phrase `% a b c %` around the text padded with spaces.
 */
function exactSql(p: Params, check: { words: string[]; prefixes: string[]; phrase: string[] | null }): string {
  const patterns = [
    ...check.words.map((w) => `% ${w} %`),
    ...check.prefixes.map((x) => `% ${x}%`),
    ...(check.phrase ? [`% ${check.phrase.join(' ')} %`] : []),
  ];
  if (patterns.length === 0) return '';
  return ` AND (' ' || e.search_tokens || ' ') LIKE ALL (${p.add(patterns, 'text[]')})`;
}

/**
 * S14: every word is a token of the narrative (a word ending in `*` by prefix), and the phrase
 * (if any) a run of consecutive tokens. The GIN index over record.event.search_tokens (the
 * narrative's tokens as text, a stored generated column) holds tokens and bigrams: words,
 * prefixes and two-token phrases are answered by it exactly; a longer phrase needs its bigrams,
 * then the run is checked on the stored token text of those candidates. Events indexed only as
 * `~long` (token texts too big for one tsvector) are always checked exactly.
 */
export const S14: Impl<'S14'> = (p) => {
  const q = parseFreeText(p.words, p.phrase);
  const plan = freeTextQuery(q);
  const all = { words: q.words, prefixes: q.prefixes, phrase: q.phrase.length > 1 ? q.phrase : null };
  const params = new Params();
  // No term the index can hold (every one over 2046 bytes): every event is checked exactly.
  if (plan.tsquery === null) {
    return ids(`SELECT e.id FROM record.event e WHERE NOT e.restricted${exactSql(params, all)}`, params.values);
  }
  const main = `SELECT e.id FROM record.event e WHERE search.tokens_tsv(e.search_tokens) @@ ${params.add(plan.tsquery, 'tsquery')}
     AND NOT e.restricted${exactSql(params, { words: plan.words, prefixes: plan.prefixes, phrase: plan.phrase ? q.phrase : null })}`;
  const long = `SELECT e.id FROM record.event e WHERE search.tokens_tsv(e.search_tokens) @@ '~long'::tsquery
     AND NOT e.restricted${exactSql(params, all)}`;
  // An event indexed as `~long` has no other lexeme, so the two branches never overlap.
  return ids(`${main} UNION ALL ${long}`, params.values);
};

/** S15: crimes with HO code in `codes`, reported in [from, to) (local dates), borough equal (trimmed, any case) if given. */
export const S15: Impl<'S15'> = (p) => {
  const codes = [...new Set(p.codes.map((c) => codeKey(c)).filter((c): c is string => c !== null))];
  const borough = codeKey(p.borough);
  return ids(
    `SELECT id FROM record.event
      WHERE kind = 'crime' AND search.code_key(classification_code) = ANY($1::text[])
        AND reported_at >= ${localMidnight('$2')} AND reported_at < ${localMidnight('$3')}
        AND NOT restricted${borough === null ? '' : ' AND search.code_key(borough) = $4'}`,
    borough === null ? [codes, p.from, p.to] : [codes, p.from, p.to, borough],
  );
};

/**
 * S16: intelligence reports created (reported_at = CRIMINT `created`) in [from, to) whose grading
 * AS RECORDED (legacy_grading `5x5x5:B21`: scheme, then source, intelligence, handling) is in the
 * scheme, with its source and handling values in the given sets.
 */
export const S16: Impl<'S16'> = (p) =>
  ids(
    `SELECT id FROM record.event
      WHERE kind = 'intelligence' AND split_part(legacy_grading, ':', 1) = $1
        AND reported_at >= ${localMidnight('$2')} AND reported_at < ${localMidnight('$3')}
        AND substr(split_part(legacy_grading, ':', 2), 1, 1) = ANY($4::text[])
        AND substr(split_part(legacy_grading, ':', 2), 3, 1) = ANY($5::text[])
        AND NOT restricted`,
    [p.scheme, p.from, p.to, p.sources, p.handling],
  );
