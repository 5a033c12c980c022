/**
 * The memory tier's least-recently-used map (not lru-cache: it was 19.6 kB of the browser
 * bundle, for the few operations used here): at most `max` values and `maxBytes` bytes of them,
 * each sized once when set; a value over `maxEntry` bytes is not kept (and drops the key's older
 * value). Slots live in arrays linked from the least to the most recently used, found by key in a
 * Map, as lru-cache does: a hit moves one slot, it does not delete and re-insert the Map entry
 * (which costs V8 a rehash of the table every few hundred hits).
 */
export class MemoryLru<V> {
  private readonly index = new Map<string, number>()
  private keys: (string | undefined)[] = []
  private values: (V | undefined)[] = []
  private sizes: number[] = []
  private prev: number[] = []
  private next: number[] = []
  private free: number[] = []
  /** Least recently used slot, or -1. */
  private head = -1
  /** Most recently used slot, or -1. */
  private tail = -1
  private bytes = 0

  constructor(
    private readonly max: number,
    private readonly maxBytes: number,
    private readonly maxEntry: number,
    private readonly sizeOf: (value: V, key: string) => number,
  ) {}

  get size(): number {
    return this.index.size
  }

  /** The value of `key`, now the most recently used; undefined if absent. */
  get(key: string): V | undefined {
    const slot = this.index.get(key)
    if (slot === undefined) return undefined
    if (slot !== this.tail) {
      this.unlink(slot)
      this.append(slot)
    }
    return this.values[slot]
  }

  /** Keeps `value` as the most recently used, evicting the least recently used beyond the bounds. */
  set(key: string, value: V): void {
    this.delete(key)
    const size = this.sizeOf(value, key)
    if (size > this.maxEntry) return
    const slot = this.free.pop() ?? this.keys.length
    this.keys[slot] = key
    this.values[slot] = value
    this.sizes[slot] = size
    this.index.set(key, slot)
    this.append(slot)
    this.bytes += size
    while (this.index.size > this.max || this.bytes > this.maxBytes) this.delete(this.keys[this.head]!)
  }

  delete(key: string): boolean {
    const slot = this.index.get(key)
    if (slot === undefined) return false
    this.index.delete(key)
    this.unlink(slot)
    this.bytes -= this.sizes[slot]!
    this.keys[slot] = undefined
    this.values[slot] = undefined
    this.free.push(slot)
    return true
  }

  clear(): void {
    this.index.clear()
    this.keys = []
    this.values = []
    this.sizes = []
    this.prev = []
    this.next = []
    this.free = []
    this.head = this.tail = -1
    this.bytes = 0
  }

  private unlink(slot: number): void {
    const before = this.prev[slot]!
    const after = this.next[slot]!
    if (before === -1) this.head = after
    else this.next[before] = after
    if (after === -1) this.tail = before
    else this.prev[after] = before
  }

  private append(slot: number): void {
    this.prev[slot] = this.tail
    this.next[slot] = -1
    if (this.tail === -1) this.head = slot
    else this.next[this.tail] = slot
    this.tail = slot
  }
}
