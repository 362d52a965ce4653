// The HTTP target search against a real loopback server that serves the SQL adapter's answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createSqlSearch, type SqlSearch } from '../../mappings/search/index.ts';
import { createHttpSearch, fillTemplate, HttpSearchError } from '../../mappings/search/http.ts';
import { CAPABILITY_IDS, NotSupportedError, type CapabilityId } from '../../src/parity/types.ts';
import { InvalidParamsError } from '../../src/parity/catalog.ts';
import { loadFixture } from './fixture.ts';

let url: string;
let sql: SqlSearch;
let server: http.Server;
let base: string;
const seenAuth: string[] = [];
const pending = new Set<http.ServerResponse>();

/** The queries both adapters must answer alike: at least one per capability. */
const QUERIES: Array<[CapabilityId, Record<string, unknown>]> = [
  ['S01', { surname: "O'Brien" }],
  ['S01', { surname: 'smith', forenames: 'john' }],
  ['S03', { pattern: 'SM?TH*' }],
  ['S04', { dob: '00/03/1985' }],
  ['S06', { surname: 'Johnson', birthYear: 1975, tolerance: 0 }],
  ['S07', { postcode: 'SE1' }],
  ['S07', { postcode: 'se1 9gf' }],
  ['S08', { street: 'road', town: 'London' }],
  ['S09', { vrm: 'ab12 cde' }],
  ['S10', { pattern: 'AB12*' }],
  ['S11', { make: 'ford', colour: 'blue' }],
  ['S12', { number: '+44 7700 900123' }],
  ['S13', { reference: '412345/2019' }],
  ['S14', { words: 'stol* car', phrase: 'car park' }],
  ['S15', { codes: ['28E', '8N'], from: '2018-01-01', to: '2020-01-01' }],
  ['S16', { scheme: '5x5x5', sources: ['B'], handling: ['1'], from: '2015-01-01', to: '2016-01-01' }],
  ['S17', { nominal: 'N0001234', roles: ['SU', 'subject'] }],
  ['S18', { vrm: 'AB12CDE' }],
  ['S19', { reference: '0412345/19', from: '2019-01-01', to: '2020-01-01' }],
  ['S20', { surname: "O'Brien", forenames: 'Sean', dob: '12/03/1985' }],
];

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

beforeAll(async () => {
  url = await createTestDatabase('search_http');
  await migrate(url);
  await loadFixture(url);
  sql = createSqlSearch(url);
  server = http.createServer((req, res) => {
    seenAuth.push(String(req.headers.authorization ?? ''));
    const u = new URL(req.url ?? '/', 'http://localhost');
    const answer = async (cap: CapabilityId, params: Record<string, unknown>, bare: boolean) => {
      try {
        const ids = await sql.search(cap, params);
        send(res, 200, bare ? ids : { ids });
      } catch (err) {
        if (err instanceof NotSupportedError) send(res, 501, { error: err.message });
        else if (err instanceof InvalidParamsError) send(res, 400, { error: err.message });
        else send(res, 500, { error: (err as Error).message });
      }
    };
    let m: RegExpExecArray | null;
    if ((m = /^\/search\/(S\d\d)$/.exec(u.pathname))) void answer(m[1] as CapabilityId, JSON.parse(u.searchParams.get('params') ?? '{}'), false);
    else if ((m = /^\/postcode\/(.*)$/.exec(u.pathname))) void answer('S07', { postcode: decodeURIComponent(m[1]!) }, true);
    else if (u.pathname === '/not-implemented') send(res, 501, 'Not Implemented');
    else if (u.pathname === '/broken') send(res, 500, '<html>Internal error\n  in search</html>');
    else if (u.pathname === '/not-json') send(res, 200, 'ids: none');
    else if (u.pathname === '/wrong-shape') send(res, 200, { results: [] });
    else if (u.pathname === '/slow') pending.add(res); // never answers
    else send(res, 404, { error: 'no route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of pending) res.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await sql?.close();
  if (url) await dropTestDatabase(url);
});

function templates(): Partial<Record<CapabilityId, string>> {
  const t: Partial<Record<CapabilityId, string>> = {};
  for (const id of CAPABILITY_IDS) t[id] = `${base}/search/${id}?params={params}`;
  t.S07 = `${base}/postcode/{postcode}`; // one named param, bare-array answer
  delete t.S02; // no template: not supported
  t.S05 = `${base}/not-implemented`;
  return t;
}

describe('createHttpSearch', () => {
  it('returns the same sets as the SQL adapter it fronts', async () => {
    const httpSearch = createHttpSearch({ templates: templates(), headers: { authorization: 'Bearer test-token' } });
    for (const [cap, params] of QUERIES) {
      const viaHttp = (await httpSearch.search(cap, params)).sort();
      const direct = (await sql.search(cap, params)).sort();
      expect({ cap, params, ids: viaHttp }).toEqual({ cap, params, ids: direct });
      expect(direct.length).toBeGreaterThan(0);
    }
    expect(seenAuth.every((a) => a === 'Bearer test-token')).toBe(true);
    await httpSearch.close();
  });

  it('missing template or HTTP 501 → NotSupportedError (LOST)', async () => {
    const httpSearch = createHttpSearch({ templates: templates() });
    await expect(httpSearch.search('S02', { surname: 'Smith' })).rejects.toBeInstanceOf(NotSupportedError);
    await expect(httpSearch.search('S05', { minAge: 1, maxAge: 2, onDate: '2020-01-01' })).rejects.toBeInstanceOf(NotSupportedError);
  });

  it('HTTP errors, bad bodies, timeouts and dead servers are clear errors without the query string', async () => {
    const t = (path: string) => createHttpSearch({ templates: { S01: `${base}${path}?surname={surname}` }, timeoutMs: 300 });
    const fail = async (path: string) => {
      const err = await t(path).search('S01', { surname: 'Secret-Name' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpSearchError);
      expect((err as Error).message).not.toContain('Secret');
      return (err as HttpSearchError).message;
    };
    expect(await fail('/broken')).toMatch(/S01 GET http:\/\/127\.0\.0\.1:\d+\/broken: HTTP 500 Internal Server Error — <html>Internal error in search<\/html>/);
    expect(await fail('/search/S01')).toMatch(/HTTP 400.*surname/); // the service's validation message
    expect(await fail('/not-json')).toMatch(/not JSON/);
    expect(await fail('/wrong-shape')).toMatch(/expected \{"ids": \[\.\.\.\]\}/);
    expect(await fail('/slow')).toMatch(/no answer within 300 ms/);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dead = createHttpSearch({ templates: { S01: `http://127.0.0.1:${deadPort}/search?x={surname}` } });
    const err = await dead.search('S01', { surname: 'Secret' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpSearchError);
    expect((err as Error).message).toMatch(/cannot reach the search service \(ECONNREFUSED\)/);
  });

  it('fills {params} and {name} placeholders, URL-encoded', () => {
    const p = { surname: "O'Brien & co", codes: ['28E', '8N'], tolerance: 2, missing: undefined };
    expect(fillTemplate('http://h/s?q={params}', p)).toBe(`http://h/s?q=${encodeURIComponent(JSON.stringify(p))}`);
    expect(fillTemplate('http://h/s/{surname}?c={codes}&t={tolerance}&m={missing}&x={unknown}', p)).toBe(
      `http://h/s/O'Brien%20%26%20co?c=${encodeURIComponent('["28E","8N"]')}&t=2&m=&x=`,
    );
  });
});
