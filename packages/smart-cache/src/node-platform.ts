import { createStorage } from 'unstorage'
import { setBlake3Loader } from './core/blake3.ts'
import { loadBlake3Wasm } from './core/blake3-wasm.ts'
import { addRangeReader } from './core/bounded-read.ts'
import { setDriverStorage, setStorageHook } from './core/defaults.ts'
import { quietRedisErrors } from './core/quiet-redis.ts'
import { redisRangeReader } from './core/redis-read.ts'

/**
 * What the Node entries (`smart-cache` in Node, `smart-cache/store`) add to the platform-neutral
 * core, and the browser build leaves out to stay small: hash-wasm's WebAssembly BLAKE3, unstorage's
 * `createStorage` for a driver passed as `storage`, and the Redis pieces (bounded reads with
 * GETRANGE, a silent 'error' listener on its client).
 */
export function installNodePlatform(): void {
  setBlake3Loader(loadBlake3Wasm)
  setDriverStorage(driver => createStorage({ driver }))
  setStorageHook(quietRedisErrors)
  addRangeReader(redisRangeReader)
}
