import type { Storage } from 'unstorage'

/**
 * ioredis prints "[ioredis] Unhandled error event" for every failed (re)connection of a client that
 * has no 'error' listener: 23 lines during one Redis outage. The runtime reports storage
 * failures itself (one warning, then `.stats.errors`), so it gives the Redis client of a storage it
 * uses a silent listener. Listeners of the application still receive every event.
 */
const quieted = new WeakSet<object>()

export function quietRedisErrors(storage: Storage): Storage {
  const { driver } = storage.getMount('')
  if (driver.name !== 'redis' || typeof driver.getInstance !== 'function') return storage
  const client = driver.getInstance() as { on?: (event: string, listener: () => void) => unknown } | undefined
  if (client && typeof client.on === 'function' && !quieted.has(client)) {
    quieted.add(client)
    client.on('error', () => {})
  }
  return storage
}
