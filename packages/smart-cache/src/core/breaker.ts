import type { Storage } from 'unstorage'

/**
 * A circuit breaker per storage, for outages: after a storage call fails or times out, the
 * storage is skipped (reads are misses, writes are dropped) until a background probe succeeds, so
 * a store that is down costs callers one failure, not a timeout per call. The probe (a `hasItem`,
 * bounded by the timeout, on an unref'd timer: it never keeps a process alive) runs after
 * {@link MIN_BACKOFF_MS}, and after twice as long each time it fails, up to {@link MAX_BACKOFF_MS}.
 *
 * smart-cache's own filesystem store has none: its failures are cheap and often about one entry
 * (a FIFO or a folder at its path, which the next write replaces), not about the whole store.
 */
export const MIN_BACKOFF_MS = 1000
export const MAX_BACKOFF_MS = 30_000
const PROBE_KEY = 'sc1:probe'

export interface Breaker {
  /** True while the storage is skipped. */
  readonly open: boolean
  /** A storage call succeeded: close. */
  success(): void
  /** A storage call failed or timed out: open, and probe in the background. */
  failure(): void
}

const breakers = new WeakMap<Storage, Breaker>()
const NEVER: Breaker = { open: false, success() {}, failure() {} }

/** The breaker shared by every cached function using `storage`; `timeout` (ms) bounds each probe. */
export function breakerOf(storage: Storage, timeout: number): Breaker {
  let breaker = breakers.get(storage)
  if (!breaker) {
    const local = storage.getMount('').driver.name === 'smart-cache-fs'
    breaker = local ? NEVER : createBreaker(() => probe(storage, Number.isFinite(timeout) ? timeout : 5000))
    breakers.set(storage, breaker)
  }
  return breaker
}

function createBreaker(probeOnce: () => Promise<unknown>): Breaker {
  let open = false
  let backoff = MIN_BACKOFF_MS
  let timer: ReturnType<typeof setTimeout> | undefined
  const schedule = () => {
    timer = setTimeout(() => {
      probeOnce().then(breaker.success, () => {
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
        if (open) schedule()
      })
    }, backoff)
    ;(timer as { unref?: () => void }).unref?.()
  }
  const breaker: Breaker = {
    get open() {
      return open
    },
    success() {
      if (!open) return
      open = false
      backoff = MIN_BACKOFF_MS
      clearTimeout(timer)
    },
    failure() {
      if (open) return
      open = true
      schedule()
    },
  }
  return breaker
}

function probe(storage: Storage, timeout: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`probe timed out after ${timeout} ms`)), timeout)
  })
  return Promise.race([storage.hasItem(PROBE_KEY), late]).finally(() => clearTimeout(timer))
}
