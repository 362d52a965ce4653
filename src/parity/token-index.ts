// An inverted index of S14 tokens (also used for S08 street words).
//
// While building, each document's token sequence is appended as varints of token ids to one
// byte buffer (token ids are given in first-seen order, so common words get small ids and take
// one byte). freeze() turns the sequences into posting lists in CSR form (token → ascending
// doc ids). Sequences are kept only when phrases must be checked (narratives): a phrase is
// answered by intersecting the posting lists of its tokens, then re-checking each candidate's
// decoded sequence for the consecutive run. No raw text is kept.
import { GrowableBytes, GrowableInt32, decodeVarints, EMPTY, unionSorted } from './compact.ts';

export class TokenIndex {
  private dict = new Map<string, number>();
  private words: string[] = [];
  private bytes: GrowableBytes | null = new GrowableBytes();
  private seq: Uint8Array | null = null;
  private from = new GrowableInt32(1024, -1);
  private to = new GrowableInt32(1024, -1);
  private offsets: Int32Array = EMPTY;
  private postings: Int32Array = EMPTY;
  private sortedWords: string[] = [];
  private sortedIds: Int32Array = EMPTY;
  tokenCount = 0;

  constructor(private readonly keepSequences: boolean) {}

  /** Add a document (doc ids need not be dense, each is added once). */
  add(doc: number, tokens: string[]): void {
    if (tokens.length === 0) return;
    const b = this.bytes!;
    this.from.set(doc, b.length);
    for (const t of tokens) {
      let id = this.dict.get(t);
      if (id === undefined) {
        id = this.words.length;
        this.words.push(t);
        this.dict.set(t, id);
      }
      b.pushVarint(id);
    }
    this.to.set(doc, b.length);
    this.tokenCount += tokens.length;
  }

  freeze(): void {
    const seq = this.bytes!.trim();
    this.bytes = null;
    const nTok = this.words.length;
    const nDoc = this.from.length;
    const from = this.from.toArray();
    const to = this.to.toArray();
    const stamp = new Int32Array(nTok).fill(-1);
    const counts = new Int32Array(nTok + 1);
    for (let d = 0; d < nDoc; d++) {
      if (from[d]! < 0) continue;
      for (const t of decodeVarints(seq, from[d]!, to[d]!)) {
        if (stamp[t] !== d) {
          stamp[t] = d;
          counts[t + 1]!++;
        }
      }
    }
    for (let i = 0; i < nTok; i++) counts[i + 1]! += counts[i]!;
    const pos = counts.slice(0, nTok);
    const postings = new Int32Array(counts[nTok]!);
    stamp.fill(-1);
    for (let d = 0; d < nDoc; d++) {
      if (from[d]! < 0) continue;
      for (const t of decodeVarints(seq, from[d]!, to[d]!)) {
        if (stamp[t] !== d) {
          stamp[t] = d;
          postings[pos[t]!++] = d;
        }
      }
    }
    this.offsets = counts;
    this.postings = postings;
    const order = Array.from({ length: nTok }, (_, i) => i).sort((a, b) =>
      this.words[a]! < this.words[b]! ? -1 : this.words[a]! > this.words[b]! ? 1 : 0,
    );
    this.sortedIds = Int32Array.from(order);
    this.sortedWords = order.map((i) => this.words[i]!);
    if (this.keepSequences) {
      this.seq = seq;
      this.fromArr = from;
      this.toArr = to;
    }
    this.from = this.to = new GrowableInt32(1);
  }

  private fromArr: Int32Array = EMPTY;
  private toArr: Int32Array = EMPTY;

  get vocabulary(): number {
    return this.words.length;
  }
  get postingCount(): number {
    return this.postings.length;
  }
  get sequenceBytes(): number {
    return this.seq?.length ?? 0;
  }

  tokenId(word: string): number | undefined {
    return this.dict.get(word);
  }

  /** Ascending doc ids containing the token. */
  docsOf(word: string): Int32Array {
    const id = this.dict.get(word);
    if (id === undefined) return EMPTY;
    return this.postings.subarray(this.offsets[id]!, this.offsets[id + 1]!);
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
    for (let i = lo; i < w.length && w[i]!.startsWith(prefix); i++) {
      const id = this.sortedIds[i]!;
      lists.push(this.postings.subarray(this.offsets[id]!, this.offsets[id + 1]!));
    }
    return lists.length === 0 ? [] : unionSorted(lists);
  }

  /** True when the doc's token sequence contains `ids` as consecutive tokens. */
  hasRun(doc: number, ids: number[]): boolean {
    if (!this.seq) throw new Error('token sequences were not kept');
    if (doc >= this.fromArr.length || this.fromArr[doc]! < 0) return false;
    const s = decodeVarints(this.seq, this.fromArr[doc]!, this.toArr[doc]!);
    outer: for (let i = 0; i + ids.length <= s.length; i++) {
      for (let j = 0; j < ids.length; j++) if (s[i + j] !== ids[j]) continue outer;
      return true;
    }
    return false;
  }

  /** The doc's tokens (for sampling the workload). */
  tokensOf(doc: number): string[] {
    if (!this.seq || doc >= this.fromArr.length || this.fromArr[doc]! < 0) return [];
    return decodeVarints(this.seq, this.fromArr[doc]!, this.toArr[doc]!).map((i) => this.words[i]!);
  }
}
