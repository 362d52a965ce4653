// Small checkers for the report tests: a JSON Schema validator for the subset summary.schema.json
// uses, and an XML well-formedness checker (no XML parser is a dependency).

type Schema = Record<string, unknown>;

/** Validate `value` against a JSON Schema (draft 2020-12 subset); returns the problems, [] when valid. */
export function validateJsonSchema(root: Schema, value: unknown): string[] {
  const problems: string[] = [];
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);
  const typeMatches = (t: string, v: unknown) => t === typeOf(v) || (t === 'number' && typeOf(v) === 'integer');
  const walk = (s: Schema, v: unknown, at: string): boolean => {
    const before = problems.length;
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/$defs/', '');
      const def = (root.$defs as Record<string, Schema> | undefined)?.[name];
      if (!def) problems.push(`${at}: unresolved $ref ${s.$ref}`);
      else walk(def, v, at);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => typeMatches(t, v))) problems.push(`${at}: expected ${types.join('|')}, got ${typeOf(v)}`);
    }
    if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v)) problems.push(`${at}: expected const ${JSON.stringify(s.const)}`);
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) problems.push(`${at}: ${JSON.stringify(v)} not in enum`);
    if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum) problems.push(`${at}: below minimum`);
    if (typeof s.maximum === 'number' && typeof v === 'number' && v > s.maximum) problems.push(`${at}: above maximum`);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const alts = s[key] as Schema[] | undefined;
      if (alts) {
        const ok = alts.filter((alt) => {
          const probe: string[] = [];
          const saved = problems.length;
          walk(alt, v, at);
          probe.push(...problems.splice(saved));
          return probe.length === 0;
        }).length;
        if (key === 'anyOf' ? ok === 0 : ok !== 1) problems.push(`${at}: matches ${ok} of the ${key} alternatives`);
      }
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required as string[] | undefined) ?? []) if (!(r in obj)) problems.push(`${at}: missing required ${r}`);
      for (const [k, x] of Object.entries(obj)) {
        if (props[k]) walk(props[k]!, x, `${at}.${k}`);
        else if (s.additionalProperties === false) problems.push(`${at}: additional property ${k}`);
        else if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties as Schema, x, `${at}.${k}`);
      }
    }
    if (Array.isArray(v) && s.items && typeof s.items === 'object') v.forEach((x, i) => walk(s.items as Schema, x, `${at}[${i}]`));
    return problems.length === before;
  };
  walk(root, value, '$');
  return problems;
}

/** XML 1.0 well-formedness (elements, attributes, entities, comments, declaration); returns problems. */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  const entityOk = (s: string) => /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/.test(s);
  if (/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(text)) problems.push('a character XML 1.0 cannot hold');
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    for (let j = chunk.indexOf('&'); j >= 0; j = chunk.indexOf('&', j + 1)) if (!entityOk(chunk.slice(j))) problems.push(`bad entity in text at ${i + j}`);
    if (chunk.trim() && stack.length === 0) problems.push(`text outside the root at ${i}`);
    if (lt < 0) break;
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt);
      if (end < 0) return [...problems, 'unclosed declaration'];
      i = end + 2;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt);
      if (end < 0) return [...problems, 'unclosed comment'];
      i = end + 3;
      continue;
    }
    const gt = text.indexOf('>', lt);
    if (gt < 0) return [...problems, `unclosed tag at ${lt}`];
    const tag = text.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else {
      const selfClose = tag.endsWith('/');
      const body = selfClose ? tag.slice(0, -1) : tag;
      const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*$/.exec(body);
      if (!m) problems.push(`malformed tag <${tag.slice(0, 40)}>`);
      else {
        const attrs = m[2] ?? '';
        const names = [...attrs.matchAll(/([A-Za-z_][\w.:-]*)\s*=/g)].map((x) => x[1]);
        if (new Set(names).size !== names.length) problems.push(`duplicate attribute in <${m[1]}>`);
        for (const v of attrs.matchAll(/=\s*(?:"([^"]*)"|'([^']*)')/g)) {
          const val = v[1] ?? v[2] ?? '';
          for (let j = val.indexOf('&'); j >= 0; j = val.indexOf('&', j + 1)) if (!entityOk(val.slice(j))) problems.push(`bad entity in attribute of <${m[1]}>`);
        }
        if (stack.length === 0) roots++;
        if (!selfClose) stack.push(m[1]!);
      }
    }
    i = gt + 1;
  }
  if (stack.length) problems.push(`unclosed elements: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
