// Stream the elements of a file holding one JSON array, in file order, without loading the file.
//
// Bytes → strict UTF-8 (fatal TextDecoder) → stream-json's tokenizer (jsonParser, the core
// flushable: called directly per chunk, no stream plumbing) → a small assembler that builds one
// array element at a time. A fault stops the read with a SourceFormatError naming the file and
// the byte offset: the fast path only notices that something is wrong; a second, error-only pass
// (json-errors.ts) finds the exact byte.
import { createReadStream } from 'node:fs';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { none } from 'stream-chain/core'; // the flush signal of stream-json's raw tokenizer (stream-chain's public core entry)
import { SourceFormatError } from '../core/problems.ts';
import { DecodeFailure, formatError } from './json-errors.ts';

/**
 * Bytes read and decoded at a time. Below 1,031,913 (Node's EXTERN_APEX): a decoded string longer
 * than that is an external string, freed only by a full GC, so 1 MiB chunks piled up ~64 MB of
 * decoded text outside the heap (measured: parity's peak RSS at scale 100,000 fell by about that).
 */
export const JSON_CHUNK_BYTES = 1 << 18;

type Container = Record<string, unknown> | unknown[];

/**
 * The tokenizer cuts string values out of the decoded chunk, and V8 keeps a cut of 13 characters
 * or more as a view of its parent: one kept value pins its whole chunk (256 K characters, 512 KB
 * when the text is not all Latin-1). The oracle keeps thousands of CRIMINT values, and pinned 124
 * chunks, 36 MB, through a parity run at scale 100,000 (heap snapshot). Concatenation then slice
 * copies the value into a string of its own (about 150 ns; shorter values are copies already).
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * Push bytes in, take complete top-level array elements out (`items`, with their `indexes`).
 * Elements with an index below `skipBelow` are only counted, never built. (Reads that build no
 * value, the manifest check and keyed reads, use the byte scanner of json-scan.ts instead.)
 */
export class JsonArrayDecoder {
  /** Elements completed so far (built or not). */
  count = 0;
  readonly items: unknown[] = [];
  readonly indexes: number[] = [];
  /** Bytes pushed so far. */
  bytes = 0;

  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly parse = jsonParser({ packValues: true, streamValues: false });
  private bomChecked = false;
  private bomBytes = 0;
  // characters decoded before the current text; only read before the first token, when all of
  // them were JSON whitespace (ASCII), so it is also their byte count
  private leadChars = 0;
  private started = false;
  private ended = false;
  private depth = 0; // 0 outside the top array, 1 inside it, more inside an element
  private building = false;
  private readonly stack: Container[] = [];
  private readonly keys: Array<string | null> = [];
  private current: Container | null = null;
  private key: string | null = null;

  constructor(private readonly skipBelow = 0) {}

  push(chunk: Uint8Array): void {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch (err) {
      throw new DecodeFailure({ kind: 'utf8' }, { cause: err });
    }
    this.bytes += chunk.length;
    this.feed(text);
  }

  end(): void {
    let text: string;
    try {
      text = this.decoder.decode();
    } catch (err) {
      throw new DecodeFailure({ kind: 'utf8' }, { cause: err });
    }
    if (text) this.feed(text);
    this.tokens(this.run(none));
    if (!this.ended) throw new DecodeFailure({ kind: 'json', message: 'the top-level array is not closed' });
  }

  private feed(text: string): void {
    if (!this.bomChecked && text.length) {
      this.bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        this.bomBytes = 3;
      }
    }
    const out = this.run(text);
    this.tokens(out, text);
    if (!this.started) this.leadChars += text.length;
  }

  private run(input: string | typeof none) {
    try {
      return this.parse(input as string);
    } catch (err) {
      throw new DecodeFailure({ kind: 'json', message: (err as Error).message }, { cause: err });
    }
  }

  private tokens(out: ReturnType<JsonArrayDecoder['run']>, text?: string): void {
    if (out === none) return;
    const list = (out as { values: Token[] }).values;
    for (let i = 0; i < list.length; i++) this.token(list[i]!, text);
  }

  private notArray(text: string | undefined): never {
    const lead = text ? text.length - text.trimStart().length : 0;
    throw new DecodeFailure({ kind: 'shape', message: 'the file is not a JSON array (expected `[` first)', offset: this.bomBytes + this.leadChars + lead });
  }

  private token(tok: Token, text?: string): void {
    switch (tok.name) {
      case 'startObject':
      case 'startArray': {
        if (this.depth === 0) {
          if (this.started || tok.name === 'startObject') this.notArray(text);
          this.started = true;
          this.depth = 1;
          return;
        }
        if (this.depth === 1) this.building = this.count >= this.skipBelow;
        this.depth++;
        if (!this.building) return;
        if (this.current) {
          this.stack.push(this.current);
          this.keys.push(this.key);
        }
        this.current = tok.name === 'startObject' ? {} : [];
        this.key = null;
        return;
      }
      case 'endObject':
      case 'endArray': {
        this.depth--;
        if (this.depth === 0) {
          this.ended = true;
          return;
        }
        if (!this.building) {
          if (this.depth === 1) this.count++;
          return;
        }
        const done = this.current!;
        if (this.stack.length) {
          this.current = this.stack.pop()!;
          this.key = this.keys.pop()!;
          this.save(done);
        } else {
          this.current = null;
          this.emit(done);
        }
        return;
      }
      case 'keyValue':
        if (this.building) this.key = tok.value;
        return;
      case 'stringValue':
        return this.value(detach(tok.value), text);
      case 'numberValue':
        return this.value(Number(tok.value), text);
      case 'nullValue':
        return this.value(null, text);
      case 'trueValue':
        return this.value(true, text);
      case 'falseValue':
        return this.value(false, text);
      default:
        return;
    }
  }

  private value(v: unknown, text?: string): void {
    if (this.depth === 0) this.notArray(text);
    if (this.depth === 1) {
      if (this.count >= this.skipBelow) this.emit(v);
      else this.count++;
      return;
    }
    if (this.building) this.save(v);
  }

  private save(v: unknown): void {
    const cur = this.current!;
    if (Array.isArray(cur)) cur.push(v);
    else {
      const k = this.key!;
      // like JSON.parse: an own property, never the inherited __proto__ setter
      if (k === '__proto__') Object.defineProperty(cur, k, { value: v, writable: true, enumerable: true, configurable: true });
      else cur[k] = v;
      this.key = null;
    }
  }

  private emit(v: unknown): void {
    this.items.push(v);
    this.indexes.push(this.count++);
    this.building = false;
  }
}

export interface JsonArrayReadOptions {
  /** First index to yield (earlier elements are counted, not built). Default 0. */
  from?: number;
  /** Last index to yield (inclusive); reading stops there. Default: to the end. */
  to?: number;
  chunkBytes?: number;
}

/** The elements of the array in `file`, in file order, with their index. The file is closed on every path. */
export async function* readJsonArray(file: string, options: JsonArrayReadOptions = {}): AsyncGenerator<{ index: number; value: unknown }> {
  const from = options.from ?? 0;
  const to = options.to ?? Infinity;
  if (to < from) return;
  const dec = new JsonArrayDecoder(from);
  const stream = createReadStream(file, { highWaterMark: options.chunkBytes ?? JSON_CHUNK_BYTES });
  let chunkStart = 0;
  try {
    let last = false;
    const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    while (!last) {
      const next = await iterator.next().catch((err) => {
        throw new SourceFormatError(file, null, `cannot read: ${(err as Error).message}`, { cause: err });
      });
      try {
        chunkStart = dec.bytes;
        if (next.done) {
          last = true;
          dec.end();
        } else dec.push(next.value);
      } catch (err) {
        throw await formatError(file, err, chunkStart);
      }
      const { items, indexes } = dec;
      for (let i = 0; i < items.length; i++) {
        const index = indexes[i]!;
        if (index > to) return;
        yield { index, value: items[i] };
      }
      items.length = 0;
      indexes.length = 0;
      if (dec.count > to) return;
    }
  } finally {
    stream.destroy();
  }
}
