/**
 * The memory tier's least-recently-used map (issue 17: lru-cache was 19.6 kB of the browser
 * bundle, for the few operations used here): at most `max` values and `maxBytes` bytes of them,
 * each sized once when set; a value over `maxEntry` bytes is not kept (and drops the key's older
 * value). A Map keeps insertion order, so re-inserting a key on `get` makes its first key the
 * least recently used.
 */
export class MemoryLru<V> {
  private readonly map = new Map<string, { value: V; size: number }>()
  private bytes = 0

  constructor(
    private readonly max: number,
    private readonly maxBytes: number,
    private readonly maxEntry: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get size(): number {
    return this.map.size
  }

  /** The value of `key`, now the most recently used; undefined if absent. */
  get(key: string): V | undefined {
    const slot = this.map.get(key)
    if (slot === undefined) return undefined
    this.map.delete(key)
    this.map.set(key, slot)
    return slot.value
  }

  /** Keeps `value` as the most recently used, evicting the least recently used beyond the bounds. */
  set(key: string, value: V): void {
    this.delete(key)
    const size = this.sizeOf(value)
    if (size > this.maxEntry) return
    this.map.set(key, { value, size })
    this.bytes += size
    while (this.map.size > this.max || this.bytes > this.maxBytes) this.delete(this.map.keys().next().value!)
  }

  delete(key: string): boolean {
    const slot = this.map.get(key)
    if (slot === undefined) return false
    this.map.delete(key)
    this.bytes -= slot.size
    return true
  }

  clear(): void {
    this.map.clear()
    this.bytes = 0
  }
}
