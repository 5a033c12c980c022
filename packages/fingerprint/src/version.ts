import { blake3 } from './hash.ts'

/** Bumped whenever normalization, resolution or the cache files change: it is part of every cache key. */
export const ENGINE_VERSION = 'fp-24'

/** Key of a file's analysis: engine version, language (extension) and content hash. Call `initHash()` first. */
export function contentKey(ext: string, hash: string): string {
  return blake3(`${ENGINE_VERSION}\n${ext}\n${hash}`)
}
