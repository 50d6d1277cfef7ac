/**
 * Byte strings to numbers without decoding them to strings: what lets the text importers read
 * hundreds of MB/s (a JavaScript string made of each line and hashed by a Map costs more than
 * the parsing). Hash with FNV-1a while scanning (fnvOffset, fnvPrime), then find or add.
 */

/** Byte strings to numbers: open addressing on an FNV-1a hash, names kept in one byte store. */
export class ByteNameTable {
  private slots = new Int32Array(1024); // entry + 1, 0 when empty
  private hashes = new Int32Array(512);
  private starts = new Int32Array(512);
  private lengths = new Int32Array(512);
  private values = new Int32Array(512);
  private store = new Uint8Array(65536);
  private stored = 0;
  private count = 0;

  /** `hash` is the FNV-1a hash of the bytes (masked to 31 bits) the caller computed while scanning. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return -1;
      if (this.hashes[entry] === hash && this.equals(entry, bytes, start, end)) return this.values[entry]!;
    }
  }

  add(bytes: Uint8Array, start: number, end: number, hash: number, value: number): void {
    if ((this.count + 1) * 2 > this.slots.length) this.rehash();
    if (this.count === this.values.length) this.growEntries();
    const length = end - start;
    if (this.stored + length > this.store.length) {
      const store = new Uint8Array(Math.max(this.store.length * 2, this.stored + length));
      store.set(this.store.subarray(0, this.stored));
      this.store = store;
    }
    this.store.set(bytes.subarray(start, end), this.stored);
    const entry = this.count++;
    this.hashes[entry] = hash;
    this.starts[entry] = this.stored;
    this.lengths[entry] = length;
    this.values[entry] = value;
    this.stored += length;
    this.insert(entry);
  }

  private equals(entry: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (this.lengths[entry] !== end - start) return false;
    const store = this.store;
    for (let i = start, at = this.starts[entry]!; i < end; i++, at++) if (store[at] !== bytes[i]) return false;
    return true;
  }

  private insert(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[entry]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let entry = 0; entry < this.count; entry++) this.insert(entry);
  }

  private growEntries(): void {
    this.hashes = grownInt32(this.hashes);
    this.starts = grownInt32(this.starts);
    this.lengths = grownInt32(this.lengths);
    this.values = grownInt32(this.values);
  }
}

export const fnvOffset = 0x811c9dc5 | 0;
export const fnvPrime = 0x01000193;

/**
 * A hash of `bytes[start, end)` that reads at most about 40 of them: the length, the first and
 * last 16 bytes and every 16th byte between. Frame texts of one profile differ at their ends
 * (symbol names, modules) far more than anywhere else, and the table compares the full bytes on
 * a hit anyway, so this only trades a little spread for not reading each line twice.
 */
export function sampledHash(bytes: Uint8Array, start: number, end: number): number {
  let hash = Math.imul(fnvOffset ^ (end - start), fnvPrime);
  if (end - start <= 48) {
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, fnvPrime);
    return hash & 0x7fffffff;
  }
  for (let i = start; i < start + 16; i++) hash = Math.imul(hash ^ bytes[i]!, fnvPrime);
  for (let i = start + 16; i < end - 16; i += 16) hash = Math.imul(hash ^ bytes[i]!, fnvPrime);
  for (let i = end - 16; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, fnvPrime);
  return hash & 0x7fffffff;
}

/** A copy of `old` in an array of at least `size` (by default twice as long); new slots hold `fill`. */
export function grownInt32(old: Int32Array, size = old.length * 2, fill = 0): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(Math.max(size, old.length * 2));
  if (fill !== 0) grown.fill(fill, old.length);
  grown.set(old);
  return grown;
}
