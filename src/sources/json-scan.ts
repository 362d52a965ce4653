// A validating byte scanner for a file holding one JSON array: it checks the whole grammar
// (RFC 8259) and UTF-8, counts the top-level elements and reports where each one lies, without
// building any value or turning any byte into a string. Every CRIMINT read goes through it:
// - the manifest check (count and SHA-256 of every file, before anything loads) builds nothing;
// - the keyed read (`readKeys`) parses only the elements whose key was asked for;
// - the full read (`readJsonArray`) parses each element on its own with JSON.parse, once the
//   scanner has found where it ends.
// Measured on the CRIMINT files of scale 100,000 (6.6–15 MB each): the scan alone takes 27–34 ms
// a file in memory, and the full read 84–157 ms a file against 223–573 ms for stream-json's
// tokenizer (a token for every value, then an assembler), which it replaces.
//
// A fault throws a DecodeFailure, and the caller's error-only pass (json-errors.ts, stream-json's
// verifier) names the exact byte in a SourceFormatError.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { SourceFormatError } from '../core/problems.ts';
import { DecodeFailure, formatError } from './json-errors.ts';

/**
 * Bytes read at a time. Below 1,031,913 (Node's EXTERN_APEX): when reads decoded whole chunks, a
 * decoded string longer than that was an external string, freed only by a full GC, and 1 MiB
 * chunks piled up ~64 MB of text outside the heap (parity's peak RSS at scale 100,000).
 */
export const JSON_CHUNK_BYTES = 1 << 18;

/** Where one top-level element lies, and what its key member held (for keyed reads). */
export interface ScannedElement {
  index: number;
  /** absolute byte offsets: [start, end) */
  start: number;
  end: number;
  /**
   * The key member's value (the last member of that name, as JSON.parse keeps): absolute byte
   * offsets of a string's characters (inside the quotes), 'other' for a non-string or a string
   * with escapes, null when the element has no such member or is not an object.
   */
  key: { start: number; end: number } | 'other' | null;
}

const enum S {
  Start, Value, ArrayFirst, ObjectFirst, ObjectKey, Colon, After, Done,
  Str, StrEsc, StrU1, StrU2, StrU3, StrU4,
  NumMinus, NumZero, NumInt, NumDot, NumFrac, NumE, NumESign, NumExp,
  Literal,
}

const isWs = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66);

const LITERALS: Record<number, Uint8Array> = {
  0x74: Buffer.from('true'), 0x66: Buffer.from('false'), 0x6e: Buffer.from('null'),
};

/** How many bytes of `data` end on a whole UTF-8 sequence (an incomplete one at the end is left out). */
function wholeUtf8Length(data: Buffer): number {
  for (let k = 1; k <= 3 && k <= data.length; k++) {
    const b = data[data.length - k]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > k ? data.length - k : data.length;
  }
  return data.length;
}

export class JsonArrayScanner {
  /** Top-level elements completed so far. */
  count = 0;
  /** Bytes pushed so far. */
  bytes = 0;
  /** Bytes scanned so far (all but an incomplete UTF-8 sequence at the end). */
  private scanned = 0;
  /** Absolute start of the element being scanned, or -1 between elements. */
  open = -1;

  private state = S.Start;
  /** container stack below the top array: true = object */
  private readonly stack: boolean[] = [];
  private afterString = S.After; // where a finished string goes (After for a value, Colon for a key)
  private literal: Uint8Array | null = null;
  private literalAt = 0;
  private utf8Tail: Buffer | null = null;
  private bomChecked = false;
  // key member tracking (depth 2 inside an object element)
  private readonly keyField: Uint8Array | null;
  private strStart = 0;
  private strEscaped = false;
  /** bytes of keyField matched so far in the member name being read; -1 when not comparing */
  private nameAt = -1;
  /** the member name just read was keyField: the next value is the key */
  private keyNext = false;
  /** the value being read is the key member's */
  private keyValue = false;
  /** an element-level member name had escapes: the key is known only by parsing */
  private uncertain = false;
  private elementKey: ScannedElement['key'] = null;

  /**
   * `keyField`: the member whose value `onElement` reports (a CRIMINT record's key field).
   * `onElement`: called for each completed top-level element, in order.
   */
  constructor(keyField?: string, private readonly onElement?: (e: ScannedElement) => void) {
    this.keyField = keyField === undefined ? null : Buffer.from(keyField, 'utf8');
  }

  push(chunk: Buffer): void {
    // bytes are scanned only once they are known to be whole UTF-8: an incomplete sequence at the
    // end waits for the next chunk (as the tokenizer path's decoder does), so a bad one is a UTF-8 fault
    let data = chunk;
    if (this.utf8Tail) {
      data = Buffer.concat([this.utf8Tail, chunk]);
      this.utf8Tail = null;
    }
    const cut = wholeUtf8Length(data);
    if (!isUtf8(cut === data.length ? data : data.subarray(0, cut))) throw new DecodeFailure({ kind: 'utf8' });
    if (cut < data.length) this.utf8Tail = Buffer.from(data.subarray(cut));
    let i = 0;
    if (!this.bomChecked && cut > 0) {
      // a BOM is skipped only as the file's first bytes
      this.bomChecked = true;
      if (cut >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) i = 3;
    }
    this.scan(cut === data.length ? data : data.subarray(0, cut), i);
    this.scanned += cut;
    this.bytes += chunk.length;
  }

  end(): void {
    if (this.utf8Tail) throw new DecodeFailure({ kind: 'utf8' });
    // a number is the only value that ends at the end of input; at top level it cannot (the array must close)
    if (this.state !== S.Done) throw new DecodeFailure({ kind: 'json', message: this.state === S.Start ? 'the file is empty' : 'the top-level array is not closed' });
  }

  private fail(message: string): never {
    throw new DecodeFailure({ kind: 'json', message });
  }

  /** A value begins at absolute offset `at`. */
  private beginValue(at: number): void {
    if (this.stack.length === 0) {
      this.open = at;
      this.elementKey = null;
      this.uncertain = false;
    }
  }

  /** A value ended just before absolute offset `at`. */
  private endValue(at: number): void {
    this.state = S.After;
    if (this.stack.length === 0) {
      this.onElement?.({ index: this.count, start: this.open, end: at, key: this.uncertain ? 'other' : this.elementKey });
      this.count++;
      this.open = -1;
    }
  }

  /**
   * The grammar as one loop over the bytes with a switch on the state: every byte of every CRIMINT
   * file passes here, so each state's step is written inline rather than as a call per byte. The
   * long runs, string bodies and digits, are consumed in tight inner loops.
   */
  private scan(c: Buffer, from: number): void {
    const base = this.scanned;
    const n = c.length;
    let i = from;
    while (i < n) {
      const b = c[i]!;
      switch (this.state) {
        case S.Str: {
          // the bulk of the bytes: run to the closing quote or the next escape
          let j = i;
          while (j < n) {
            const x = c[j]!;
            if (x === 0x22 || x === 0x5c) break;
            if (x < 0x20) this.fail('a control character inside a string');
            j++;
          }
          if (this.nameAt >= 0) this.nameBytes(c, i, j);
          if (j === n) return;
          if (c[j] === 0x5c) {
            this.strEscaped = true;
            this.state = S.StrEsc;
            i = j + 1;
            continue;
          }
          i = j + 1;
          this.stringDone(base + j);
          continue;
        }
        case S.StrEsc:
          if (this.nameAt >= 0) this.nameAt = this.keyField!.length + 1; // an escaped name is settled by JSON.parse
          if (b === 0x75) this.state = S.StrU1;
          else if (b === 0x22 || b === 0x5c || b === 0x2f || b === 0x62 || b === 0x66 || b === 0x6e || b === 0x72 || b === 0x74) this.state = S.Str;
          else this.fail('a bad escape inside a string');
          i++;
          continue;
        case S.StrU1: case S.StrU2: case S.StrU3: case S.StrU4:
          if (!isHex(b)) this.fail('a bad \\u escape inside a string');
          this.state = this.state === S.StrU4 ? S.Str : this.state + 1;
          i++;
          continue;
        case S.NumMinus:
          if (b === 0x30) this.state = S.NumZero;
          else if (isDigit(b)) this.state = S.NumInt;
          else this.fail('a number without digits');
          i++;
          continue;
        case S.NumZero: case S.NumInt: case S.NumFrac: case S.NumExp:
          if (isDigit(b) && this.state !== S.NumZero) { i++; continue; }
          if (b === 0x2e && (this.state === S.NumZero || this.state === S.NumInt)) { this.state = S.NumDot; i++; continue; }
          if ((b | 0x20) === 0x65 && this.state !== S.NumExp) { this.state = S.NumE; i++; continue; }
          if (isDigit(b)) this.fail('a number with a leading zero');
          this.endValue(base + i); // the byte is read again as what follows the number
          continue;
        case S.NumDot:
          if (!isDigit(b)) this.fail('a number without digits after its decimal point');
          this.state = S.NumFrac;
          i++;
          continue;
        case S.NumE:
          if (b === 0x2b || b === 0x2d) this.state = S.NumESign;
          else if (isDigit(b)) this.state = S.NumExp;
          else this.fail('a number without digits in its exponent');
          i++;
          continue;
        case S.NumESign:
          if (!isDigit(b)) this.fail('a number without digits in its exponent');
          this.state = S.NumExp;
          i++;
          continue;
        case S.Literal: {
          const lit = this.literal!;
          if (b !== lit[this.literalAt]) this.fail('an unknown literal');
          i++;
          if (++this.literalAt === lit.length) {
            this.literal = null;
            this.endValue(base + i);
          }
          continue;
        }
        default:
          break;
      }
      // structural states: whitespace first
      if (isWs(b)) { i++; continue; }
      switch (this.state) {
        case S.Start:
          if (b !== 0x5b) throw new DecodeFailure({ kind: 'shape', message: 'the file is not a JSON array (expected `[` first)', offset: base + i });
          this.state = S.ArrayFirst;
          i++;
          continue;
        case S.ObjectFirst: case S.ObjectKey:
          if (b === 0x7d && this.state === S.ObjectFirst) { this.close(base + i + 1); i++; continue; }
          if (b !== 0x22) this.fail('an object member without a quoted name');
          this.openString(base + i + 1, S.Colon);
          i++;
          continue;
        case S.Colon:
          if (b !== 0x3a) this.fail('a member name without a colon');
          this.state = S.Value;
          i++;
          continue;
        case S.After:
          if (b === 0x2c) {
            const inObject = this.stack.length > 0 && this.stack[this.stack.length - 1]!;
            this.state = inObject ? S.ObjectKey : S.Value;
            i++;
            continue;
          }
          if (b === 0x5d || b === 0x7d) {
            const isObj = b === 0x7d;
            if (this.stack.length === 0) {
              if (isObj) this.fail('a `}` closing the top-level array');
              this.state = S.Done;
            } else {
              if (this.stack[this.stack.length - 1] !== isObj) this.fail(`a \`${String.fromCharCode(b)}\` that does not match its opening bracket`);
              this.close(base + i + 1);
            }
            i++;
            continue;
          }
          this.fail('a missing comma between values');
        // falls through (fail never returns)
        case S.ArrayFirst:
          if (b === 0x5d) {
            if (this.stack.length === 0) this.state = S.Done;
            else this.close(base + i + 1);
            i++;
            continue;
          }
          this.state = S.Value;
          continue; // read the byte again as a value
        case S.Value: {
          this.beginValue(base + i);
          this.valueSeen();
          if (b === 0x22) { this.openString(base + i + 1, S.After); i++; continue; }
          if (b === 0x7b) { this.stack.push(true); this.state = S.ObjectFirst; i++; continue; }
          if (b === 0x5b) { this.stack.push(false); this.state = S.ArrayFirst; i++; continue; }
          if (b === 0x2d) { this.state = S.NumMinus; i++; continue; }
          if (b === 0x30) { this.state = S.NumZero; i++; continue; }
          if (isDigit(b)) { this.state = S.NumInt; i++; continue; }
          const lit = LITERALS[b];
          if (lit) { this.literal = lit; this.literalAt = 1; this.state = S.Literal; i++; continue; }
          this.fail(b === 0x5d ? 'a trailing comma before `]`' : 'an unexpected character where a value should be');
        }
        // falls through (fail never returns)
        case S.Done:
          this.fail('more after the end of the top-level array');
        // falls through (fail never returns)
        default:
          this.fail('an unexpected character');
      }
    }
    // a number can end only by the byte after it: it stays open across chunks
  }

  private openString(absStart: number, next: S): void {
    this.strStart = absStart;
    this.strEscaped = false;
    this.afterString = next;
    this.state = S.Str;
    // a member name at the element's own level is compared with keyField as it is read
    this.nameAt = next === S.Colon && this.stack.length === 1 && this.keyField !== null ? 0 : -1;
  }

  /** The closing quote is at absolute offset `at`. */
  private stringDone(at: number): void {
    if (this.afterString === S.Colon) {
      if (this.nameAt >= 0) {
        // a name written with escapes may spell keyField: only JSON.parse can tell
        if (this.strEscaped) this.uncertain = true;
        this.keyNext = !this.strEscaped && this.nameAt === this.keyField!.length;
      }
      this.state = S.Colon;
      return;
    }
    if (this.keyValue) this.elementKey = this.strEscaped ? 'other' : { start: this.strStart, end: at };
    this.endValue(at + 1);
  }

  /** Compare the name bytes c[from, to) (no escapes among them) with keyField, from where the last piece stopped. */
  private nameBytes(c: Buffer, from: number, to: number): void {
    const want = this.keyField!;
    for (let k = from; k < to && this.nameAt >= 0; k++) {
      if (this.nameAt < want.length && c[k] === want[this.nameAt]) this.nameAt++;
      else this.nameAt = want.length + 1; // no match; keep counting out of range
    }
  }

  /** A value begins (state Value): is it the key member's value? */
  private valueSeen(): void {
    this.keyValue = this.keyNext && this.stack.length === 1;
    this.keyNext = false;
    // a non-string value of the key member (a string replaces this when it closes)
    if (this.keyValue) this.elementKey = 'other';
  }

  private close(afterAbs: number): void {
    this.stack.pop();
    this.endValue(afterAbs);
  }
}

/**
 * Push a file through a scanner, chunk by chunk, handing each chunk on after the scanner saw it.
 * A fault becomes a SourceFormatError naming the file and the exact byte. The file is closed on every path.
 */
async function* scanFile(file: string, sc: JsonArrayScanner, chunkBytes: number): AsyncGenerator<{ chunk: Buffer; chunkStart: number }> {
  const stream = createReadStream(file, { highWaterMark: chunkBytes });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const chunkStart = sc.bytes;
      try {
        sc.push(chunk);
      } catch (err) {
        throw await formatError(file, err, chunkStart);
      }
      yield { chunk, chunkStart };
    }
    try {
      sc.end();
    } catch (err) {
      throw await formatError(file, err, sc.bytes);
    }
  } catch (err) {
    if (err instanceof SourceFormatError) throw err;
    throw new SourceFormatError(file, null, `cannot read: ${(err as Error).message}`, { cause: err });
  } finally {
    stream.destroy();
  }
}

export interface JsonArrayScan {
  records: number;
  bytes: number;
  sha256: string;
}

/** One pass over the file: SHA-256 of its bytes and the number of array elements (none built), the whole file validated. */
export async function scanJsonArray(file: string, chunkBytes = JSON_CHUNK_BYTES): Promise<JsonArrayScan> {
  const sc = new JsonArrayScanner();
  const hash = createHash('sha256');
  for await (const { chunk } of scanFile(file, sc, chunkBytes)) hash.update(chunk);
  return { records: sc.count, bytes: sc.bytes, sha256: hash.digest('hex') };
}

/**
 * The elements whose key member `select` accepts, parsed (JSON.parse), in file order, with their
 * index; the others are only scanned. `select` gets the key member's string value, null when the
 * element has none (or is not an object), or undefined when only parsing can tell (a non-string
 * value, escapes): return true to have such an element parsed, and look at its value.
 */
export async function* readJsonArrayWhere(
  file: string, keyField: string | undefined, select: (key: string | null | undefined, index: number) => boolean, chunkBytes = JSON_CHUNK_BYTES,
): AsyncGenerator<{ index: number; value: unknown }> {
  const picked: ScannedElement[] = [];
  const sc = new JsonArrayScanner(keyField, (e) => { picked.push(e); });
  // the bytes of the element still open at the end of the last chunk, from its start
  let carry: Buffer | null = null;
  let carryStart = 0;
  for await (const { chunk, chunkStart } of scanFile(file, sc, chunkBytes)) {
    const bytes = (from: number, to: number): Buffer => {
      if (from >= chunkStart) return chunk.subarray(from - chunkStart, to - chunkStart);
      const head = carry!.subarray(from - carryStart);
      return to <= chunkStart ? head.subarray(0, to - from) : Buffer.concat([head, chunk.subarray(0, to - chunkStart)]);
    };
    const out: Array<{ index: number; value: unknown }> = [];
    for (const e of picked) {
      const key = e.key === 'other' ? undefined : e.key === null ? null : bytes(e.key.start, e.key.end).toString('utf8');
      if (select(key, e.index)) out.push({ index: e.index, value: JSON.parse(bytes(e.start, e.end).toString('utf8')) });
    }
    picked.length = 0;
    if (sc.open < 0) carry = null;
    else {
      carry = Buffer.from(bytes(sc.open, chunkStart + chunk.length)); // a copy: the chunk itself is not kept
      carryStart = sc.open;
    }
    yield* out;
  }
}

export interface JsonArrayReadOptions {
  /** First index to yield (earlier elements are only scanned). Default 0. */
  from?: number;
  /** Last index to yield (inclusive); reading stops there. Default: to the end. */
  to?: number;
  chunkBytes?: number;
}

/**
 * The elements of the array in `file`, in file order, with their index, each parsed on its own
 * (JSON.parse: an own `__proto__`, the last of repeated members, as parsing the whole file gives).
 * A fault stops the read with a SourceFormatError at the exact byte, after the elements before
 * the chunk it lies in. The file is closed on every path.
 */
export async function* readJsonArray(file: string, options: JsonArrayReadOptions = {}): AsyncGenerator<{ index: number; value: unknown }> {
  const from = options.from ?? 0;
  const to = options.to ?? Infinity;
  if (to < from) return;
  for await (const e of readJsonArrayWhere(file, undefined, (_key, index) => index >= from && index <= to, options.chunkBytes)) {
    yield e;
    if (e.index >= to) return;
  }
}
