import { parse, stringify } from 'devalue'
import { createStorage } from 'unstorage'
import { setBlake3Loader } from './core/blake3.ts'
import { loadBlake3Wasm } from './core/blake3-wasm.ts'
import { addRangeReader } from './core/bounded-read.ts'
import { setStructuredCodec } from './core/codec.ts'
import { setOptionSuggester } from './core/config.ts'
import { setDriverStorage, setStorageHook } from './core/defaults.ts'
import { didYouMean } from './core/did-you-mean.ts'
import { quietRedisErrors } from './core/quiet-redis.ts'
import { redisRangeReader } from './core/redis-read.ts'

/**
 * What the Node entries (`smart-cache` in Node, `smart-cache/store`) add to the platform-neutral
 * core, and the browser build leaves out to stay small: hash-wasm's WebAssembly BLAKE3, devalue itself
 * (browsers write and read the same bytes with `core/devalue-compact.ts`), unstorage's `createStorage`
 * for a driver passed as `storage`, the Redis pieces (bounded reads with GETRANGE, a silent
 * 'error' listener on its client) and the "did you mean" of a misspelt option name.
 */
export function installNodePlatform(): void {
  setBlake3Loader(loadBlake3Wasm)
  setStructuredCodec({ parse, stringify })
  setDriverStorage(driver => createStorage({ driver }))
  setStorageHook(quietRedisErrors)
  addRangeReader(redisRangeReader)
  setOptionSuggester(didYouMean)
}
