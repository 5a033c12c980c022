import { LRUCache } from 'lru-cache'
import type { Storage } from 'unstorage'
import { keyArgs, primitiveKey, type ArgsKey, type CapturedValues } from './args.ts'
import { loadHashers } from './blake3.ts'
import { checkErrorRecord, decodeValue, encodeValue, fromErrorRecord, toErrorRecord, type ErrorRecord } from './codec.ts'
import { envMode, getGlobalOptions, toStorage, type CacheMode, type SharedOptions } from './config.ts'
import { describeDefaultStorage, getDefaultStorage } from './defaults.ts'
import { FLAG_ERROR, OutdatedEntryError, SignatureError, openEnvelope, sealEnvelope } from './envelope.ts'
import { oversizedMessage } from './limits.ts'
import { readBounded, type BoundedItem } from './bounded-read.ts'
import { resolveSecurity, type Security } from './security.ts'
import { entryKey, fingerprintBase, parseEntryKey } from './layout.ts'
import type { Captures } from './meta.ts'
import { createStats, type CacheStats } from './stats.ts'
import { warnOnce } from './warn.ts'

/** A value found in memory or storage. */
interface Found {
  value: unknown
  error: boolean
  createdAt: number
}

interface Resolved {
  mode: CacheMode
  storage: Storage | undefined
  memory: LRUCache<string, Found> | undefined
  maxAge: number
  swr: boolean
  cacheErrors: boolean
  timeout: number
  security: Security
}

export interface CoreOptions extends SharedOptions {
  key?: (...args: any[]) => unknown
}

/** The engine behind one cached function or method: tiers, de-duplication, envelopes, stats. */
export class CacheCore {
  private readonly inflight = new Map<string, Promise<unknown>>()
  private resolved: Resolved | undefined

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
    return this.track(key.memory, this.miss(r, thisArg, key, args))
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
      const keys = (await r.storage.getKeys(fingerprintBase(this.fingerprint))).filter((k) => parseEntryKey(k)?.fingerprint === this.fingerprint)
      await Promise.all(keys.map((k) => r.storage!.removeItem(k)))
    } catch (error) {
      this.storageFailed('clear', fingerprintBase(this.fingerprint), error)
    }
  }

  private async init(): Promise<Resolved> {
    await loadHashers()
    if (this.resolved) return this.resolved
    const o = { ...getGlobalOptions(), ...definedOnly(this.options) }
    const security = await resolveSecurity(o, this.id)
    if (this.resolved) return this.resolved
    const size = o.memory === undefined ? 1000 : o.memory
    this.resolved = {
      mode: safeEnvMode() ?? o.mode ?? 'on',
      storage: this.openStorage(o.storage),
      memory: size === false || !(size >= 1) ? undefined : new LRUCache<string, Found>({ max: Math.floor(size) }),
      maxAge: o.maxAge ?? Number.POSITIVE_INFINITY,
      swr: o.swr ?? false,
      cacheErrors: o.cacheErrors ?? false,
      timeout: o.timeout ?? 5000,
      security,
    }
    return this.resolved
  }

  private openStorage(storage: SharedOptions['storage']): Storage | undefined {
    try {
      return storage ? toStorage(storage) : getDefaultStorage()
    } catch (error) {
      warnOnce('storage-open', `[smart-cache] cannot open ${storage ? 'options.storage' : describeDefaultStorage()}: ${message(error)}. Results are kept in memory only. Fix: pass a working options.storage.`)
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
      if (memory !== undefined && held !== undefined) return new PrimitiveKey(captured ? `${held}|${memory}` : memory, this.id, args, captured)
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
    if (r.mode !== 'refresh') {
      const found = await this.read(r, key)
      if (found && !this.expired(found, r)) {
        this.stats.hits++
        r.memory?.set(key.memory, found)
        return deliver(found)
      }
      if (found && r.swr) {
        this.stats.stale++
        void this.compute(r, thisArg, key, args).catch((error) =>
          warnOnce(`swr:${this.id}`, `[smart-cache] background refresh of ${this.id} failed: ${message(error)}. The stale value was served.`),
        )
        return deliver(found)
      }
    }
    return this.compute(r, thisArg, key, args)
  }

  private async compute(r: Resolved, thisArg: unknown, key: ArgsKey, args: unknown[]): Promise<unknown> {
    this.stats.misses++
    let value: unknown
    try {
      value = await this.fn.apply(thisArg, args)
    } catch (error) {
      if (r.cacheErrors) await this.store(r, key, toErrorRecord(error), true)
      throw error
    }
    await this.store(r, key, value, false)
    return value
  }

  private async store(r: Resolved, key: ArgsKey, value: unknown, error: boolean): Promise<void> {
    const payload = encodeValue(value)
    if (!(payload instanceof Uint8Array)) {
      warnOnce(`unstorable:${this.id}`, `[smart-cache] result of ${this.id} cannot be stored (${payload.unstorable}); it is returned but not cached. Fix: return plain data (objects, arrays, Map, Set, Date, typed arrays…).`)
      return
    }
    const createdAt = Date.now()
    r.memory?.set(key.memory, { value, error, createdAt })
    if (!r.storage || r.mode === 'readonly') return
    const storeKey = entryKey(this.fingerprint, key.hash())
    const bytes = sealEnvelope({ id: this.id, fingerprint: this.fingerprint }, payload, { key: storeKey, signer: r.security.signer, flags: error ? FLAG_ERROR : 0, createdAt })
    if (bytes.length > r.security.maxEntrySize) return this.oversized('write', storeKey, bytes.length, r)
    try {
      await withTimeout(r.storage.setItemRaw(storeKey, bytes), r.timeout, storeKey)
      this.stats.bytesWritten += bytes.length
    } catch (failure) {
      this.storageFailed('write', storeKey, failure)
    }
  }

  private async read(r: Resolved, key: ArgsKey): Promise<Found | undefined> {
    if (!r.storage) return undefined
    const storeKey = entryKey(this.fingerprint, key.hash())
    let item: BoundedItem
    try {
      item = await withTimeout(readBounded(r.storage, storeKey, r.security.maxEntrySize), r.timeout, storeKey)
    } catch (error) {
      this.storageFailed('read', storeKey, error)
      return undefined
    }
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
      return { value: error ? checkErrorRecord(value) : value, error, createdAt: entry.createdAt }
    } catch (error) {
      if (error instanceof OutdatedEntryError) return undefined // another format version: a plain miss
      this.stats.errors++
      if (error instanceof SignatureError) return this.rejected(storeKey, error)
      this.stats.corrupt++
      warnOnce(`corrupt:${this.id}`, `[smart-cache] ignored a corrupt entry of ${this.id} (key ${storeKey}): ${message(error)}. It is recomputed and overwritten.`)
      return undefined
    }
  }

  private rejected(storeKey: string, error: SignatureError): undefined {
    if (error.reason !== 'unverifiable') this.stats[error.reason]++
    const fix = error.reason === 'unverifiable' ? 'set SMART_CACHE_SECRET (or options.secret) to the secret of the writers' : 'give every writer of this store the same secret'
    warnOnce(`rejected:${error.reason}:${this.id}`, `[smart-cache] refused an entry of ${this.id} (key ${storeKey}): ${error.message}. It was not served; the result is recomputed and overwritten. Fix: ${fix}.`)
    return undefined
  }

  private oversized(op: 'read' | 'write', storeKey: string, size: number, r: Resolved): undefined {
    this.stats.oversized++
    warnOnce(`oversized:${op}:${this.id}`, oversizedMessage(op, this.id, storeKey, size, r.security.maxEntrySize))
    return undefined
  }

  private storageFailed(op: string, storeKey: string, error: unknown): void {
    this.stats.errors++
    warnOnce('storage-failure', `[smart-cache] storage ${op} failed for ${this.id} (key ${storeKey}): ${message(error)}. Results stay correct (computed); further failures are only counted in .stats.errors. Fix: check the storage (${this.options.storage ? 'options.storage' : describeDefaultStorage()}), or set SMART_CACHE=off.`)
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
    this.hex ??= keyArgs(this.id, this.args, this.id, undefined, this.captured).hash()
    return this.hex
  }
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

