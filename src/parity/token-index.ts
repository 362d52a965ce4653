// An inverted index of S14 tokens (also used for S08 street words), kept in a PageCache (paged.ts).
//
// While building, each document's token sequence is appended as varints of token ids to one
// paged byte column (token ids are given in first-seen order, so common words get small ids and
// take one byte). freeze() turns the sequences into posting lists in CSR form (token → ascending
// doc ids, PagedRows, one chunk of postings in memory at a time).
// Sequences are kept only when phrases must be checked (narratives): a phrase is answered by
// intersecting the posting lists of its tokens, then re-checking each candidate's decoded
// sequence for the consecutive run. No raw text is kept. The vocabulary stays in memory.
import { EMPTY, unionSorted } from './compact.ts';
import { decodeVarints, PagedInt32, PagedRows, PagedUint8, type PageCache } from './paged.ts';

export class TokenIndex {
  private dict = new Map<string, number>();
  private words: string[] = [];
  private readonly seq: PagedUint8;
  private readonly from: PagedInt32;
  private readonly to: PagedInt32;
  /** token id → ascending doc ids, after freeze. */
  private readonly postings: PagedRows;
  private sortedWords: string[] = [];
  private sortedIds: Int32Array = EMPTY;
  private frozen = false;
  tokenCount = 0;

  constructor(
    private readonly cache: PageCache,
    private readonly keepSequences: boolean,
  ) {
    this.seq = new PagedUint8(cache);
    this.from = new PagedInt32(cache, -1);
    this.to = new PagedInt32(cache, -1);
    this.postings = new PagedRows(cache, false);
  }

  /** Add a document (doc ids need not be dense, each is added once). */
  add(doc: number, tokens: string[]): void {
    if (tokens.length === 0) return;
    if (this.frozen) throw new Error('TokenIndex: add after freeze');
    this.from.set(doc, this.seq.length);
    for (const t of tokens) {
      let id = this.dict.get(t);
      if (id === undefined) {
        id = this.words.length;
        this.words.push(t);
        this.dict.set(t, id);
      }
      this.seq.pushVarint(id);
    }
    this.to.set(doc, this.seq.length);
    this.tokenCount += tokens.length;
  }

  /** Each document's distinct token ids, in doc order (doc, then its tokens' ids, first occurrence each). */
  private eachDocTokens(fn: (doc: number, ids: number[]) => void): void {
    const nDoc = this.from.length;
    const seen = new Int32Array(this.words.length).fill(-1);
    for (let d = 0; d < nDoc; d++) {
      const ids = this.sequence(d);
      if (ids === null) continue;
      const distinct: number[] = [];
      for (const t of ids) {
        if (seen[t] !== d) {
          seen[t] = d;
          distinct.push(t);
        }
      }
      fn(d, distinct);
    }
  }

  freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    const nTok = this.words.length;
    // (token, doc) pairs, doc by doc, then sorted into rows by token: postings ascending by doc
    const tokens = new PagedInt32(this.cache);
    const docs = new PagedInt32(this.cache);
    this.eachDocTokens((d, ids) => {
      for (const t of ids) {
        tokens.push(t);
        docs.push(d);
      }
    });
    this.postings.build(tokens, docs, null, nTok);
    tokens.drop();
    docs.drop();
    const order = Array.from({ length: nTok }, (_, i) => i).sort((a, b) =>
      this.words[a]! < this.words[b]! ? -1 : this.words[a]! > this.words[b]! ? 1 : 0,
    );
    this.sortedIds = Int32Array.from(order);
    this.sortedWords = order.map((i) => this.words[i]!);
    if (!this.keepSequences) {
      this.seq.drop();
      this.from.drop();
      this.to.drop();
    }
  }

  get vocabulary(): number {
    return this.words.length;
  }
  get postingCount(): number {
    return this.postings.count;
  }
  get sequenceBytes(): number {
    return this.seq.length;
  }

  tokenId(word: string): number | undefined {
    return this.dict.get(word);
  }

  private postingsOf(id: number): Int32Array {
    return this.postings.row(id);
  }

  /** Ascending doc ids containing the token. */
  docsOf(word: string): Int32Array {
    const id = this.dict.get(word);
    return id === undefined ? EMPTY : this.postingsOf(id);
  }

  /** Ascending doc ids containing a token that starts with the prefix. */
  docsWithPrefix(prefix: string): number[] {
    const w = this.sortedWords;
    let lo = 0;
    let hi = w.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (w[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const lists: Int32Array[] = [];
    for (let i = lo; i < w.length && w[i]!.startsWith(prefix); i++) lists.push(this.postingsOf(this.sortedIds[i]!));
    return lists.length === 0 ? [] : unionSorted(lists);
  }

  /** The doc's token ids in order, or null when it has none. */
  private sequence(doc: number): number[] | null {
    const from = this.from.get(doc);
    if (from < 0) return null;
    return decodeVarints(this.seq.slice(from, this.to.get(doc)));
  }

  /** True when the doc's token sequence contains `ids` as consecutive tokens. */
  hasRun(doc: number, ids: number[]): boolean {
    if (!this.keepSequences) throw new Error('token sequences were not kept');
    const s = this.sequence(doc);
    if (s === null) return false;
    outer: for (let i = 0; i + ids.length <= s.length; i++) {
      for (let j = 0; j < ids.length; j++) if (s[i + j] !== ids[j]) continue outer;
      return true;
    }
    return false;
  }

  /** The doc's tokens (for sampling the workload). */
  tokensOf(doc: number): string[] {
    if (!this.keepSequences) return [];
    return (this.sequence(doc) ?? []).map((i) => this.words[i]!);
  }
}
