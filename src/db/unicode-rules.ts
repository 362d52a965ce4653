// The Unicode rules the search functions share with JavaScript, on whichever PostgreSQL (15–18)
// the target runs. Case mapping needs a collation with full Unicode case mapping (ß → SS, final
// sigma): PostgreSQL 18's builtin `pg_unicode_fast`, else ICU's root collation `und-x-icu`. Each
// server's Unicode tables are of its own age (PostgreSQL 18: Unicode 16; the ICU 60 of the
// embedded 15–17 builds: Unicode 10), JavaScript's of Node's ICU. So the migration compares the
// server with JavaScript code point by code point, and every code point the server maps
// differently is mapped first as JavaScript does (a guarded translate/replace before upper(),
// lower() and normalize()). Then every version gives JavaScript's keys, so every version gives
// the same keys.

/** Collations with full Unicode case mapping, in order of preference. */
export const CASE_COLLATIONS = ['pg_unicode_fast', 'und-x-icu'] as const;


/** pg's clients and node-pg-migrate's `pgm.db`: each query's rows are typed where it is read. */
interface Queryable {
  query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The first collation of CASE_COLLATIONS the server has, or null. */
export async function caseCollation(db: Queryable): Promise<string | null> {
  const { rows } = await db.query(
    `SELECT collname FROM pg_catalog.pg_collation WHERE collnamespace = 'pg_catalog'::regnamespace AND collname = ANY($1)
       AND collencoding IN (-1, pg_catalog.pg_char_to_encoding('UTF8'))`,
    [CASE_COLLATIONS],
  );
  const have = new Set((rows as Array<{ collname: string }>).map((r) => r.collname));
  return CASE_COLLATIONS.find((c) => have.has(c)) ?? null;
}

/** A code point mapped differently: `from` (one character) must become `to` first. */
export interface Fix { from: string; to: string }

export interface UnicodeFixes { upper: Fix[]; lower: Fix[]; nfkd: Fix[] }

export type Rule = keyof UnicodeFixes;

const JS: Record<Rule, (c: string) => string> = {
  upper: (c) => c.toUpperCase(),
  lower: (c) => c.toLowerCase(),
  nfkd: (c) => c.normalize('NFKD'),
};

/** SQL of one rule for one character expression `c`, as the server applies it (before fixes). */
export function serverRuleSql(rule: Rule, c: string, collation: string): string {
  return rule === 'nfkd' ? `normalize(${c}, NFKD)` : `${rule}(${c} COLLATE pg_catalog."${collation}")`;
}

const RULES = ['upper', 'lower', 'nfkd'] as const;
// The code points compared: planes 0–3 and 14 (4–13 are unassigned, 15–16 private use), no surrogates.
let compared: string[] | undefined;

/** The compared code points (but U+000A, the separator), made once per process. */
function comparedChars(): string[] {
  if (!compared) {
    compared = [];
    for (let cp = 1; cp <= 917999; cp++) {
      if (cp === 10 || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 262144 && cp < 917504)) continue;
      compared.push(String.fromCodePoint(cp));
    }
  }
  return compared;
}

/** Characters per block: the server maps each block as one text, JavaScript compares it whole. */
const BLOCK = 2048;

/**
 * Every character of `chars` where `sql` (per rule, of a text expression) differs from
 * JavaScript's rule, with what JavaScript gives. The server maps blocks of characters, each block
 * one text with a line feed after each character (a line feed maps to itself under every rule,
 * and separates the characters: no case or NFKD context reaches across it). A block that comes
 * back as JavaScript maps it is done; only the others are compared piece by piece.
 */
async function differences(db: Queryable, sql: Record<Rule, (c: string) => string>, chars: string[]): Promise<Record<Rule, Fix[]>> {
  const starts: number[] = [];
  for (let i = 0; i < chars.length; i += BLOCK) starts.push(i);
  const blocks = starts.map((i) => chars.slice(i, i + BLOCK).join('\n'));
  const rows = (await db.query(
    `SELECT ${RULES.map((r) => `${sql[r]('u.b')} AS ${r}, ${sql[r]('x.nl')} AS ${r}_nl`).join(', ')}
       FROM unnest($1::text[]) WITH ORDINALITY AS u(b, n), (SELECT E'\\n' AS nl) x ORDER BY u.n`,
    [blocks],
  )).rows as Array<Record<`${Rule}` | `${Rule}_nl`, string>>;
  if (rows.length !== starts.length) throw new Error(`the server mapped ${rows.length} of ${starts.length} blocks of code points`);
  const out: Record<Rule, Fix[]> = { upper: [], lower: [], nfkd: [] };
  for (const rule of RULES) {
    if (rows.length && rows[0]![`${rule}_nl`] !== '\n') out[rule].push({ from: '\n', to: '\n' });
    for (const [k, start] of starts.entries()) {
      const mapped = rows[k]![rule];
      // JavaScript maps the block whole too: the line feeds keep every character's context its own
      if (mapped === JS[rule](blocks[k]!)) continue;
      const expected = chars.slice(start, start + BLOCK).map(JS[rule]);
      const pieces = mapped.split('\n');
      if (pieces.length !== expected.length) throw new Error(`the server's ${rule} mapping of ${expected.length} code points came back in ${pieces.length} pieces`);
      for (let i = 0; i < expected.length; i++) {
        if (expected[i] !== pieces[i]) out[rule].push({ from: chars[start + i]!, to: expected[i]! });
      }
    }
  }
  return out;
}

/** Where the server's rules differ from JavaScript's, over every code point. */
export function unicodeFixes(db: Queryable, collation: string): Promise<UnicodeFixes> {
  return differences(db, { upper: (c) => serverRuleSql('upper', c, collation), lower: (c) => serverRuleSql('lower', c, collation), nfkd: (c) => serverRuleSql('nfkd', c, collation) }, comparedChars());
}

/**
 * The fixed code points whose rule, as `fnSql` applies it, still differs from JavaScript's. The
 * fixes touch only their own characters, so every other code point maps as the server's rule,
 * already compared by unicodeFixes().
 */
export async function remainingDifferences(db: Queryable, fixes: UnicodeFixes, fnSql: Record<Rule, (c: string) => string>): Promise<string[]> {
  const chars = [...new Set(RULES.flatMap((r) => fixes[r].map((f) => f.from)))].filter((c) => c !== '\n');
  if (!chars.length) return [];
  const d = await differences(db, fnSql, chars);
  return RULES.flatMap((rule) => d[rule].map((f) => `${rule} U+${f.from.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`));
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A bracket expression body matching exactly these characters (escaped for an ARE). */
export function charClass(chars: string[]): string {
  return chars.map((c) => `\\U${c.codePointAt(0)!.toString(16).padStart(8, '0')}`).join('');
}

/**
 * SQL that maps the fixed characters of `expr` as JavaScript does: one translate() for the
 * one-character mappings, a replace() per longer one, only when the text holds one of them.
 */
export function fixSql(expr: string, fixes: Fix[]): string {
  if (!fixes.length) return expr;
  const single = fixes.filter((f) => [...f.to].length === 1);
  const multi = fixes.filter((f) => [...f.to].length !== 1);
  let body = single.length ? `translate(${expr}, ${lit(single.map((f) => f.from).join(''))}, ${lit(single.map((f) => f.to).join(''))})` : expr;
  for (const f of multi) body = `replace(${body}, ${lit(f.from)}, ${lit(f.to)})`;
  return `CASE WHEN ${expr} ~ '[${charClass(fixes.map((f) => f.from))}]' THEN ${body} ELSE ${expr} END`;
}
