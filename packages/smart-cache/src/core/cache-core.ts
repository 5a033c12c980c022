import type { Storage } from 'unstorage'
import type { CapturedValues } from './arg-encoder.ts'
import { hashCall, keyArgs, primitiveKey, type ArgsKey } from './arg-keys.ts'
import { hashersSettled, loadHashers } from './blake3.ts'
import { SMALL_MAX } from './blake3-small.ts'
import { checkErrorRecord, decodeValue, encodeValue, fromErrorRecord, toErrorRecord, type ErrorRecord } from './codec.ts'
import { envMode, getGlobalOptions, toStorage, type CacheMode, type SharedOptions } from './config.ts'
import { describeDefaultStorage, getDefaultStorage } from './defaults.ts'
import { envelopeRoom, FLAG_ERROR, OutdatedEntryError, SignatureError, openEnvelope, sealEnvelope, sealedSize } from './envelope.ts'
import { checkMaxEntrySize, DEFAULT_MAX_ENTRY_SIZE, memoryBytes, oversizedMessage, quickSize } from './limits.ts'
import { readBounded, type BoundedItem } from './bounded-read.ts'
import { breakerOf } from './breaker.ts'
import { MemoryLru } from './memory-lru.ts'
import { envSecret, resolveSecurity, type Security } from './security.ts'
import { driverName, syncReaderOf, type SyncReader } from './sync-read.ts'
import { NO_FINGERPRINT } from './fingerprint.ts'
import { entryKey, fingerprintBase, parseEntryKey } from './layout.ts'
import type { Captures } from './meta.ts'
import { createStats, type CacheStats } from './stats.ts'
import { warnOnce } from './warn.ts'

/**
 * Storage writes in flight (see {@link settled}). A cached call returns without waiting for its
 * write; in Node a pending write keeps the process alive until it lands or times out (`timeout`),
 * so a short script that never calls settled() still stores its results before exiting.
 */
const pendingWrites = new Set<Promise<void>>()

/**
 * Writes in flight above which an async call waits for one of them before returning (backpressure).
 * Without it a loop whose calls never leave the microtask queue (`.refresh()`, `mode: 'refresh'`)
 * starves its own writes: 21,858 queued in 2 s, none landed, all timed out afterwards.
 */
export const MAX_PENDING_WRITES = 64

/**
 * Encoded bytes of writes in flight above which an async call waits too: without it a loop of
 * large results held up to 64 entries at once (64 of 2 MB: 128 MB; 100 results of 2 MB stored:
 * peak RSS 469 -> 395 MB, time unchanged).
 */
export const MAX_PENDING_BYTES = 16 * 1024 * 1024
let pendingBytes = 0

/** Waits while more than {@link MAX_PENDING_WRITES} writes, or {@link MAX_PENDING_BYTES} bytes in more than one, are in flight; also gives the event loop a turn then. */
async function backpressure(): Promise<void> {
  while (pendingWrites.size > MAX_PENDING_WRITES || (pendingBytes > MAX_PENDING_BYTES && pendingWrites.size > 1))
    await Promise.race(pendingWrites)
}

/**
 * Resolves when every storage write started so far has finished. Cached functions (sync and
 * async) write their entries after returning; call this before reading the store from elsewhere.
 */
export async function settled(): Promise<void> {
  while (pendingWrites.size > 0) await Promise.all(pendingWrites)
}

/** A value found in memory or storage. */
interface Found {
  value: unknown
  error: boolean
  createdAt: number
  /** The function returned a Promise of `value` (a synchronous call gives it back as one). */
  promised?: boolean
  /** Encoded bytes, once known: what the memory tier's byte budget counts. */
  size?: number
}

/**
 * Envelope flag bit 2: the function returned a Promise that resolved to the stored
 * value, so a call of the non-`async` wrapper that reads it returns a Promise too.
 */
const FLAG_PROMISE = 4

/** Keys remembered by the memory tier's doorkeeper (`CacheCore.admit`); forgotten all at once past this. */
const READ_ONCE_MAX = 4096

/** Values of first reads held for a second identical read (`CacheCore.admit`): few and small, so that they stay cheap for the GC. */
const RECENT_FIRST_READS = 32
/** At most this many encoded bytes of them in all: a larger value read once is not held. */
const RECENT_FIRST_READ_BYTES = 256 * 1024

interface Resolved {
  mode: CacheMode
  storage: Storage | undefined
  memory: MemoryLru<Found> | undefined
  maxAge: number
  swr: boolean
  cacheErrors: boolean
  timeout: number
  security: Security
  /** Reads entries without waiting, when the store can (Node files, memory); see {@link CacheCore.callSync}. */
  readNow: SyncReader | undefined
}

export interface CoreOptions extends SharedOptions {
  key?: (...args: any[]) => unknown
}

/** The engine behind one cached function or method: tiers, de-duplication, envelopes, stats. */
export class CacheCore {
  private readonly inflight = new Map<string, Promise<unknown>>()
  private resolved: Resolved | undefined
  /** A synchronous call got a Promise from `fn`: identical calls in flight share it. */
  private returnsPromise = false
  /** Memory keys of results read from the store once in this process (see {@link admit}). */
  private readOnce = new Set<string>()
  /** The values of the last {@link RECENT_FIRST_READS} first reads, oldest first, with their sizes (see {@link admit}). */
  private readonly recentReads = new Map<string, { value: object; size: number }>()
  private recentBytes = 0

  constructor(
    readonly id: string,
    readonly fingerprint: string,
    private readonly fn: (...args: any[]) => unknown,
    private readonly options: CoreOptions,
    readonly stats: CacheStats = createStats(),
    /** Variables of enclosing functions `fn` reads (from the plugin): their values are keyed. */
    private readonly captures?: Captures,
  ) {}

  /** Runs a call through the cache. `keySelf` is `this` when it is part of the key (instance methods). */
  async call(thisArg: unknown, keySelf: unknown, args: unknown[]): Promise<unknown> {
    const r = this.resolved ?? (await this.init())
    if (r.mode === 'off') return this.fn.apply(thisArg, args)
    const key = this.key(keySelf, args)
    // In `refresh` mode storage is never read, so memory only holds results computed by this process.
    if (r.memory) {
      const hit = r.memory.get(key.memory)
      if (hit !== undefined && !this.expired(hit, r)) {
        this.stats.hits++
        return deliver(hit)
      }
    }
    const running = this.inflight.get(key.memory)
    if (running) return running
    if (r.readNow && r.mode !== 'refresh') {
      // A local store is read at once: a hit costs no promise chain (which was most of the cost of a small LMDB hit).
      const storeKey = entryKey(this.fingerprint, key.hash()) // now, before `fn` can mutate its arguments
      const item = this.readLocal(r, storeKey)
      if (item && waitForHashers(item)) return this.track(key.memory, this.openLater(r, thisArg, key, args, storeKey, item))
      const found = item === undefined ? undefined : this.openItem(r, storeKey, item)
      if (found && !this.expired(found, r)) {
        this.stats.hits++
        return deliver(this.admit(r, key, found))
      }
      return this.track(key.memory, this.notFresh(r, thisArg, key, args, found))
    }
    return this.track(key.memory, this.miss(r, thisArg, key, args))
  }

  /**
   * Runs a call of a function that is not `async` without leaving the caller's turn:
   * memory, then a synchronous read of the entry, else `fn` itself; the entry is written after the
   * result is returned. A `fn` that returns a Promise gets a Promise back, on hits too (the entry
   * says so). Throws {@link SyncStoreError} when the store can only be read asynchronously.
   */
  callSync(thisArg: unknown, keySelf: unknown, args: unknown[]): unknown {
    const r = this.resolved ?? this.initNow()
    if (r?.mode === 'off') return this.fn.apply(thisArg, args)
    if (r?.storage && !r.readNow) throw new SyncStoreError(this.id, driverName(r.storage, entryKey(this.fingerprint, '')))
    const key = this.key(keySelf, args)
    const hit = r?.memory?.get(key.memory)
    if (r && hit !== undefined && !this.expired(hit, r)) {
      this.stats.hits++
      return deliverAs(hit)
    }
    if (this.returnsPromise) {
      const running = this.inflight.get(key.memory)
      if (running) return running
    }
    key.hash() // now, before `fn` can mutate its arguments
    if (r && r.mode !== 'refresh') {
      const found = this.readSync(r, key)
      if (found && !this.expired(found, r)) {
        this.stats.hits++
        return deliverAs(this.admit(r, key, found))
      }
      if (found && r.swr) {
        this.stats.stale++
        setTimeout(() => this.refreshLater(thisArg, key, args), 0)
        return deliverAs(found)
      }
    }
    return this.computeSync(thisArg, key, args)
  }

  private computeSync(thisArg: unknown, key: ArgsKey, args: unknown[]): unknown {
    this.stats.misses++
    let value: unknown
    try {
      value = this.fn.apply(thisArg, args)
    } catch (error) {
      this.storeLater(key, error, true, false)
      throw error
    }
    if (!isThenable(value)) {
      this.storeLater(key, value, false, false)
      return value
    }
    this.returnsPromise = true
    const settled = Promise.resolve(value).then(
      v => {
        this.storeLater(key, v, false, true)
        return v
      },
      (error: unknown) => {
        this.storeLater(key, error, true, true)
        throw error
      },
    )
    return this.track(key.memory, settled)
  }

  /** Memory now (so the next call in this turn hits), storage after the caller's turn. */
  private storeLater(key: ArgsKey, outcome: unknown, error: boolean, promised: boolean): void {
    const r = this.resolved
    if (error && !r?.cacheErrors) return
    const value = error ? toErrorRecord(outcome) : outcome
    r?.memory?.set(key.memory, { value, error, createdAt: Date.now(), promised, size: quickSize(value) }) // exact once the write encodes it
    const write = new Promise<void>(resolve => setTimeout(resolve, 0))
      .then(() => this.resolved ?? this.init())
      .then(settledOptions => this.store(settledOptions, key, value, error, promised))
      .catch((failure: unknown) => this.storageFailed('write', this.fingerprint, failure))
    pendingWrites.add(write)
    void write.finally(() => pendingWrites.delete(write))
  }

  /** `swr` for a synchronous function: recomputed after the caller's turn. */
  private refreshLater(thisArg: unknown, key: ArgsKey, args: unknown[]): void {
    try {
      const value = this.computeSync(thisArg, key, args)
      if (isThenable(value)) Promise.resolve(value).catch(error => this.swrFailed(error))
    } catch (error) {
      this.swrFailed(error)
    }
  }

  private swrFailed(error: unknown): void {
    warnOnce(`swr:${this.id}`, `[smart-cache] background refresh of ${this.id} failed: ${message(error)}. The stale value was served.`)
  }

  /** A large entry read while the WebAssembly BLAKE3 loads: opened once it is there (see {@link waitForHashers}). */
  private async openLater(
    r: Resolved,
    thisArg: unknown,
    key: ArgsKey,
    args: unknown[],
    storeKey: string,
    item: BoundedItem,
  ): Promise<unknown> {
    await loadHashers()
    const found = this.openItem(r, storeKey, item)
    if (found && !this.expired(found, r)) {
      this.stats.hits++
      return deliver(this.admit(r, key, found))
    }
    return this.notFresh(r, thisArg, key, args, found)
  }

  private readSync(r: Resolved, key: ArgsKey): Found | undefined {
    const storeKey = entryKey(this.fingerprint, key.hash())
    let item: BoundedItem
    try {
      item = r.readNow!(storeKey, r.security.maxEntrySize)
    } catch (error) {
      this.storageFailed('read', storeKey, error)
      return undefined
    }
    return this.openItem(r, storeKey, item)
  }

  /**
   * A result read from the store enters the memory tier on its second read in this process, not
   * its first (a doorkeeper, as in TinyLFU): a value read once, the common case of a new process,
   * is not retained, and retaining it doubled the cost of a hit (the garbage collector copies
   * every retained value out of the young generation; measured on 1,000 hits of 20 KB).
   */
  private admit(r: Resolved, key: ArgsKey, found: Found): Found {
    if (!r.memory) return found
    const memoryKey = key.memory
    if (this.readOnce.has(memoryKey)) {
      // The value of a recent first read: identical calls fired together (Promise.all of the same
      // call, interleaved with up to RECENT_FIRST_READS others) get the very same object, as from memory.
      const first = this.recentReads.get(memoryKey)
      this.readOnce.delete(memoryKey)
      if (first) this.forgetRecent(memoryKey, first.size)
      const admitted = first === undefined ? found : { ...found, value: first.value }
      r.memory.set(memoryKey, admitted)
      return admitted
    }
    if (this.readOnce.size >= READ_ONCE_MAX) {
      this.readOnce = new Set()
      this.recentReads.clear()
      this.recentBytes = 0
    }
    this.readOnce.add(memoryKey)
    const value = found.value
    const size = found.size ?? 0
    if (typeof value === 'object' && value !== null && size <= RECENT_FIRST_READ_BYTES) {
      // Strong, few and small: a WeakRef keeps its target alive to the end of the current job, which for
      // a loop of awaited hits is the whole loop (1,000 hits of 20 KB: 2.0x the floor instead of 1.1x).
      this.recentReads.set(memoryKey, { value, size })
      this.recentBytes += size
      for (const [oldest, held] of this.recentReads) {
        if (this.recentReads.size <= RECENT_FIRST_READS && this.recentBytes <= RECENT_FIRST_READ_BYTES) break
        this.forgetRecent(oldest, held.size)
      }
    }
    return found
  }

  private forgetRecent(memoryKey: string, size: number): void {
    this.recentReads.delete(memoryKey)
    this.recentBytes -= size
  }

  /** The cached value if present and fresh, without computing. Cached errors read as undefined. */
  async peek(keySelf: unknown, args: unknown[]): Promise<unknown> {
    const r = this.resolved ?? (await this.init())
    if (r.mode === 'off') return undefined
    const key = this.key(keySelf, args)
    const found = r.memory?.get(key.memory) ?? (await this.read(r, key))
    return found && !found.error && !this.expired(found, r) ? found.value : undefined
  }

  /** Recomputes, stores and returns the result, ignoring what is cached. */
  async refresh(thisArg: unknown, keySelf: unknown, args: unknown[]): Promise<unknown> {
    const r = this.resolved ?? (await this.init())
    if (r.mode === 'off') return this.fn.apply(thisArg, args)
    const key = this.key(keySelf, args)
    key.hash()
    return this.track(key.memory, this.compute(r, thisArg, key, args))
  }

  /** Forgets every entry of this fingerprint, in memory and in storage. */
  async clear(): Promise<void> {
    const r = this.resolved ?? (await this.init())
    r.memory?.clear()
    if (!r.storage || r.mode === 'readonly' || r.mode === 'off') return
    try {
      // Only names of the layout, and only this fingerprint's: nothing else that sits in the folder.
      const keys = (await r.storage.getKeys(fingerprintBase(this.fingerprint))).filter(
        k => parseEntryKey(k)?.fingerprint === this.fingerprint,
      )
      await Promise.all(keys.map(k => r.storage!.removeItem(k)))
    } catch (error) {
      this.storageFailed('clear', fingerprintBase(this.fingerprint), error)
    }
  }

  private async init(): Promise<Resolved> {
    if (this.resolved) return this.resolved
    const o = this.mergedOptions()
    const security = await resolveSecurity(o, this.id)
    this.resolved ??= this.settle(o, security)
    return this.resolved
  }

  /**
   * The settings without waiting, for synchronous calls; undefined while a signing secret's key is
   * being derived (asynchronous): those first calls compute, and store once it is ready.
   */
  private initNow(): Resolved | undefined {
    if (this.resolved) return this.resolved
    const o = this.mergedOptions()
    if ((envSecret() ?? o.secret) !== undefined) {
      void this.init().catch(() => {}) // the error, if any, is thrown by the next asynchronous use
      return undefined
    }
    const maxEntrySize = o.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE
    checkMaxEntrySize(maxEntrySize, this.id)
    this.resolved = this.settle(o, { signer: undefined, maxEntrySize })
    return this.resolved
  }

  private mergedOptions(): CoreOptions {
    return { ...getGlobalOptions(), ...definedOnly(this.options) }
  }

  private settle(o: CoreOptions, security: Security): Resolved {
    const size = o.memory === undefined ? 1000 : o.memory
    const storage = this.openStorage(o.storage)
    return {
      // Without a fingerprint (the build failed to make one) nothing is read or written, whatever the mode.
      mode: this.fingerprint === NO_FINGERPRINT ? 'off' : (safeEnvMode() ?? o.mode ?? 'on'),
      storage,
      memory:
        size === false || !(size >= 1)
          ? undefined
          : memoryTier(Math.floor(size), memoryBytes(o.memoryBytes, this.id), security.maxEntrySize),
      maxAge: o.maxAge ?? Number.POSITIVE_INFINITY,
      swr: o.swr ?? false,
      cacheErrors: o.cacheErrors ?? false,
      timeout: o.timeout ?? 5000,
      security,
      readNow: storage && syncReaderOf(storage, entryKey(this.fingerprint, '')),
    }
  }

  private openStorage(storage: SharedOptions['storage']): Storage | undefined {
    try {
      return storage ? toStorage(storage) : getDefaultStorage()
    } catch (error) {
      warnOnce(
        'storage-open',
        `[smart-cache] cannot open ${storage ? 'options.storage' : describeDefaultStorage()}: ${message(error)}. Results are kept in memory only. Fix: pass a working options.storage.`,
      )
      return undefined
    }
  }

  private key(keySelf: unknown, args: unknown[]): ArgsKey {
    const custom = this.options.key
    const captured = this.captured()
    if (!custom && keySelf === undefined) {
      // Fast path: primitives need no byte encoding for the memory tier, and cannot change before hashing.
      const memory = primitiveKey(args)
      // Captured values come first; their number is fixed per function, so the joined key stays injective.
      const held = captured ? primitiveKey(captured.values) : ''
      if (memory !== undefined && held !== undefined)
        return new PrimitiveKey(captured ? `${held}|${memory}` : memory, this.id, args, captured)
    }
    const data = custom ? custom(...args) : args
    return keyArgs(this.id, custom ? [data] : args, this.id, keySelf, captured)
  }

  /** The current values of the captured variables, read at each call (a closure sees them as they are now). */
  private captured(): CapturedValues | undefined {
    const c = this.captures
    return c && { names: c.names, at: c.at, values: c.values() }
  }

  private track(memoryKey: string, promise: Promise<unknown>): Promise<unknown> {
    const tracked = promise.finally(() => {
      if (this.inflight.get(memoryKey) === tracked) this.inflight.delete(memoryKey)
    })
    this.inflight.set(memoryKey, tracked)
    return tracked
  }

  private expired(found: Found, r: Resolved): boolean {
    return r.maxAge !== Number.POSITIVE_INFINITY && Date.now() - found.createdAt > r.maxAge
  }

  private async miss(r: Resolved, thisArg: unknown, key: ArgsKey, args: unknown[]): Promise<unknown> {
    key.hash() // now, before `fn` can mutate its arguments
    const found = r.mode === 'refresh' ? undefined : await this.read(r, key)
    if (found && !this.expired(found, r)) {
      this.stats.hits++
      return deliver(this.admit(r, key, found))
    }
    return this.notFresh(r, thisArg, key, args, found)
  }

  /** No fresh entry: a stale one is served while it is recomputed (`swr`), else the result is computed. */
  private async notFresh(r: Resolved, thisArg: unknown, key: ArgsKey, args: unknown[], found: Found | undefined): Promise<unknown> {
    if (found && r.swr) {
      this.stats.stale++
      void this.compute(r, thisArg, key, args).catch(error => this.swrFailed(error))
      return deliver(found)
    }
    return this.compute(r, thisArg, key, args)
  }

  private async compute(r: Resolved, thisArg: unknown, key: ArgsKey, args: unknown[]): Promise<unknown> {
    this.stats.misses++
    let value: unknown
    try {
      value = await this.fn.apply(thisArg, args)
    } catch (error) {
      if (r.cacheErrors) this.store(r, key, toErrorRecord(error), true)
      await backpressure()
      throw error
    }
    this.store(r, key, value, false)
    await backpressure()
    return value
  }

  /**
   * Encodes now (memory tier, unstorable values), writes in the background: the caller never
   * waits for the store. The write is tracked for {@link settled}.
   */
  private store(r: Resolved, key: ArgsKey, value: unknown, error: boolean, promised = false): Promise<void> {
    let write: Promise<void> | undefined
    try {
      write = this.sealed(r, key, value, error, promised)
    } catch (failure) {
      this.storageFailed('write', this.fingerprint, failure) // the result is returned all the same
    }
    if (!write) return Promise.resolve()
    pendingWrites.add(write)
    void write.finally(() => pendingWrites.delete(write))
    return write
  }

  /** The memory tier now; the storage write, if any, as a promise that never rejects. */
  private sealed(r: Resolved, key: ArgsKey, value: unknown, error: boolean, promised: boolean): Promise<void> | undefined {
    const header = { id: this.id, fingerprint: this.fingerprint }
    const payload = encodeValue(value, r.storage && r.mode !== 'readonly' ? envelopeRoom(header) : 0) // room for the envelope: sealed without a copy
    if (!(payload instanceof Uint8Array)) {
      r.memory?.delete(key.memory) // a synchronous call put it there before knowing
      warnOnce(
        `unstorable:${this.id}`,
        `[smart-cache] result of ${this.id} cannot be stored (${payload.unstorable}); it is returned but not cached. Fix: return plain data (objects, arrays, Map, Set, Date, typed arrays…).`,
      )
      return undefined
    }
    const createdAt = Date.now()
    r.memory?.set(key.memory, { value, error, createdAt, promised, size: payload.length }) // not kept if over the byte limits
    if (!r.storage || r.mode === 'readonly') return undefined
    const breaker = breakerOf(r.storage, r.timeout)
    if (breaker.open) return undefined // the store failed lately: skipped until a background probe succeeds
    const storeKey = entryKey(this.fingerprint, key.hash())
    const size = sealedSize(header, payload.length)
    if (size > r.security.maxEntrySize) return this.oversized('write', storeKey, size, r)
    const seal = () =>
      sealEnvelope(header, payload, {
        key: storeKey,
        signer: r.security.signer,
        flags: (error ? FLAG_ERROR : 0) | (promised ? FLAG_PROMISE : 0),
        createdAt,
        inPlace: true,
      })
    // A large entry's checksum waits for the WebAssembly BLAKE3 (once per process): far faster than JavaScript's.
    const early = payload.length > SMALL_MAX && !hashersSettled() ? undefined : seal()
    const storage = r.storage
    pendingBytes += payload.length
    return (async () => {
      try {
        const bytes = early ?? (await loadHashers(), seal())
        await withTimeout(storage.setItemRaw(storeKey, bytes), r.timeout, storeKey)
        breaker.success()
        this.stats.bytesWritten += bytes.length
      } catch (failure) {
        breaker.failure()
        this.storageFailed('write', storeKey, failure)
      } finally {
        pendingBytes -= payload.length
      }
    })()
  }

  private async read(r: Resolved, key: ArgsKey): Promise<Found | undefined> {
    if (!r.storage) return undefined
    const storeKey = entryKey(this.fingerprint, key.hash())
    const item = r.readNow ? this.readLocal(r, storeKey) : await this.readRemote(r, r.storage, storeKey)
    if (item === undefined) return undefined
    // A large entry's checksum waits for the WebAssembly BLAKE3 (once per process): far faster than JavaScript's.
    if (item && 'size' in item && item.size > SMALL_MAX && !hashersSettled()) await loadHashers()
    return this.openItem(r, storeKey, item)
  }

  /**
   * A store read synchronously (local files, LMDB, unstorage's memory driver): no thread-pool round
   * trips (open, fstat, read and close of a small entry file cost 4-7x more through the pool than
   * synchronously), and a local read cannot hang. Undefined when it failed (warned).
   */
  private readLocal(r: Resolved, storeKey: string): BoundedItem | undefined {
    try {
      return r.readNow!(storeKey, r.security.maxEntrySize)
    } catch (error) {
      this.storageFailed('read', storeKey, error)
      return undefined
    }
  }

  /** Any other store: bounded by the timeout and the circuit breaker. Undefined when skipped or failed. */
  private async readRemote(r: Resolved, storage: Storage, storeKey: string): Promise<BoundedItem | undefined> {
    const breaker = breakerOf(storage, r.timeout)
    if (breaker.open) return undefined // the store failed lately: skipped until a background probe succeeds
    try {
      const item = await withTimeout(readBounded(storage, storeKey, r.security.maxEntrySize), r.timeout, storeKey)
      breaker.success()
      return item
    } catch (error) {
      breaker.failure()
      this.storageFailed('read', storeKey, error)
      return undefined
    }
  }

  /** The value of a stored item, or undefined (none, too large, another version, corrupt or refused: each counted and warned). */
  private openItem(r: Resolved, storeKey: string, item: BoundedItem): Found | undefined {
    if (item === null) return undefined
    if ('tooLarge' in item) return this.oversized('read', storeKey, item.tooLarge, r)
    try {
      const entry = openEnvelope(item.raw, { signer: r.security.signer, key: storeKey })
      this.stats.bytesRead += entry.size
      if (entry.header.fingerprint !== this.fingerprint || entry.header.id !== this.id) {
        throw new Error(`entry belongs to ${entry.header.id} (${entry.header.fingerprint.slice(0, 12)}…)`)
      }
      const error = (entry.flags & FLAG_ERROR) !== 0
      // A process without cacheErrors never serves an error that one with it stored: a miss, recomputed.
      if (error && !r.cacheErrors) return undefined
      const value = decodeValue(entry.payload)
      return {
        value: error ? checkErrorRecord(value) : value,
        error,
        createdAt: entry.createdAt,
        promised: (entry.flags & FLAG_PROMISE) !== 0,
        size: entry.payload.length,
      }
    } catch (error) {
      if (error instanceof OutdatedEntryError) return undefined // another format version: a plain miss
      this.stats.errors++
      if (error instanceof SignatureError) return this.rejected(storeKey, error)
      this.stats.corrupt++
      warnOnce(
        `corrupt:${this.id}`,
        `[smart-cache] ignored a corrupt entry of ${this.id} (key ${storeKey}): ${message(error)}. It is recomputed and overwritten.`,
      )
      return undefined
    }
  }

  private rejected(storeKey: string, error: SignatureError): undefined {
    if (error.reason !== 'unverifiable') this.stats[error.reason]++
    const fix =
      error.reason === 'unverifiable'
        ? 'set SMART_CACHE_SECRET (or options.secret) to the secret of the writers'
        : 'give every writer of this store the same secret'
    warnOnce(
      `rejected:${error.reason}:${this.id}`,
      `[smart-cache] refused an entry of ${this.id} (key ${storeKey}): ${error.message}. It was not served; the result is recomputed and overwritten. Fix: ${fix}.`,
    )
    return undefined
  }

  private oversized(op: 'read' | 'write', storeKey: string, size: number, r: Resolved): undefined {
    this.stats.oversized++
    warnOnce(`oversized:${op}:${this.id}`, oversizedMessage(op, this.id, storeKey, size, r.security.maxEntrySize))
    return undefined
  }

  private storageFailed(op: string, storeKey: string, error: unknown): void {
    this.stats.errors++
    warnOnce(
      'storage-failure',
      `[smart-cache] storage ${op} failed for ${this.id} (key ${storeKey}): ${message(error)}. Results stay correct (computed); a store other than the local folder is then skipped until a background probe reaches it again, and further failures are only counted in .stats.errors. Fix: check the storage (${this.options.storage ? 'options.storage' : describeDefaultStorage()}), or set SMART_CACHE=off.`,
    )
  }
}

/** {@link ArgsKey} of a primitive-only argument list; the canonical hash is computed on first use. */
class PrimitiveKey implements ArgsKey {
  private hex: string | undefined
  constructor(
    readonly memory: string,
    private readonly id: string,
    private readonly args: unknown[],
    private readonly captured?: CapturedValues,
  ) {}

  hash(): string {
    this.hex ??= hashCall(this.id, this.args, this.id, undefined, this.captured)
    return this.hex
  }
}

/** Large entries checked in JavaScript while the WebAssembly BLAKE3 was not loaded yet. */
let largeChecksInJs = 0

/**
 * Whether an asynchronous call waits for the WebAssembly BLAKE3 before checking `item`: not for
 * small entries, nor for the first large one (checked in JavaScript, ~10 ms for 2 MB, while the
 * load starts), but for the next ones: a loop of hits that resolve at once never lets the load
 * finish, and checked 100 entries of 2 MB in JavaScript (~11% of their time).
 */
function waitForHashers(item: Exclude<BoundedItem, null>): boolean {
  if (!('size' in item) || item.size <= SMALL_MAX || hashersSettled()) return false
  return largeChecksInJs++ > 0
}

/**
 * The memory tier: at most `max` results and `bytes` bytes of them and their keys (an argument
 * encoding of up to 64 KiB is its own key); a result over `bytes` or `maxEntry` is not kept.
 */
function memoryTier(max: number, bytes: number, maxEntry: number): MemoryLru<Found> {
  return new MemoryLru<Found>(max, bytes, Math.min(bytes, maxEntry), (f, key) => Math.max(1, f.size ?? 1) + key.length)
}

/** A mistyped `SMART_CACHE` must not take the program down: warn once and run uncached. */
function safeEnvMode(): CacheMode | undefined {
  try {
    return envMode()
  } catch (error) {
    warnOnce('env-mode', `${message(error)} Running uncached (as with SMART_CACHE=off) until it is fixed.`)
    return 'off'
  }
}

function deliver(found: Found): unknown {
  if (found.error) throw fromErrorRecord(found.value as ErrorRecord)
  return found.value
}

/** A found value in the shape the function gave it: a Promise when it returned one. */
function deliverAs(found: Found): unknown {
  if (!found.promised) return deliver(found)
  return found.error ? Promise.reject(fromErrorRecord(found.value as ErrorRecord)) : Promise.resolve(found.value)
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  )
}

/** A synchronous function cached on a store that can only be read asynchronously. */
export class SyncStoreError extends TypeError {
  constructor(id: string, driver: string) {
    super(
      `[smart-cache] ${id} is a synchronous function, but its store (unstorage driver "${driver}") can only be read asynchronously, ` +
        'so the cached function would have to return a Promise where the function returns a value. ' +
        "Fix: make it async (`async function …`) and await its calls, or give it a store with synchronous reads (Node: the default filesystem store; anywhere: unstorage's memory driver).",
    )
    this.name = 'SyncStoreError'
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function withTimeout<T>(promise: Promise<T>, ms: number, storeKey: string): Promise<T> {
  if (!Number.isFinite(ms)) return promise
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms on ${storeKey}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
