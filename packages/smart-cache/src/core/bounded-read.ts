import type { Driver, Storage } from 'unstorage'
import { MAX_READ_SIZE, rawSize, tooLargeSize } from './limits.ts'

/**
 * Reading a stored entry without loading more than `maxEntrySize` bytes (issue 12): a 1 GB entry
 * must not cost 1 GB of memory just to find out that it is too large.
 *
 * - smart-cache's filesystem driver checks the file's size (fstat) before reading it;
 * - unstorage's Redis driver stores raw items as `base64:…` strings: they are read with
 *   `GETRANGE`, at most the encoded length of the limit (and `STRLEN` tells the size of a larger one);
 * - other drivers cannot tell a size first: the item is read whole, then measured.
 */
export type BoundedItem = { raw: unknown; size: number } | { tooLarge: number } | null

const BASE64_PREFIX = 'base64:'

/** Reads `key` unless it is larger than `max` bytes; null when there is no such item. */
export async function readBounded(storage: Storage, key: string, max: number): Promise<BoundedItem> {
  const limit = Math.min(max, MAX_READ_SIZE)
  const redis = redisOf(storage, key)
  if (redis) return readRedis(redis.client, redis.key, limit)
  let raw: unknown
  try {
    raw = await storage.getItemRaw(key, { maxSize: limit })
  } catch (error) {
    const size = tooLargeSize(error)
    if (size === undefined) throw error
    return { tooLarge: size }
  }
  if (raw === null || raw === undefined) return null
  const size = rawSize(raw)
  return size > limit ? { tooLarge: size } : { raw, size }
}

/** The ioredis commands used here. */
interface RedisClient {
  getrange(key: string, start: number, end: number): Promise<string>
  strlen(key: string): Promise<number>
}

/** The ioredis client and full key behind `key`, when it is mounted on unstorage's Redis driver. */
function redisOf(storage: Storage, key: string): { client: RedisClient; key: string } | undefined {
  const { driver, base } = storage.getMount(key) as { driver: Driver; base: string }
  if (driver.name !== 'redis' || typeof driver.getInstance !== 'function') return undefined
  const client = driver.getInstance() as Partial<RedisClient> | undefined
  if (typeof client?.getrange !== 'function' || typeof client.strlen !== 'function') return undefined
  const prefix = String((driver.options as { base?: unknown } | undefined)?.base ?? '')
  return { client: client as RedisClient, key: joinKeys(prefix, key.slice(base.length)) }
}

async function readRedis(client: RedisClient, key: string, limit: number): Promise<BoundedItem> {
  const chars = BASE64_PREFIX.length + 4 * Math.ceil(limit / 3)
  const text = await client.getrange(key, 0, chars) // inclusive: one character more than a fitting item
  if (text === '') return null // no such key (an entry is never empty)
  if (text.length > chars) return { tooLarge: await sizeOf(client, key) }
  return { raw: text, size: rawSize(text) }
}

async function sizeOf(client: RedisClient, key: string): Promise<number> {
  const length = await client.strlen(key)
  return Math.floor(((length - BASE64_PREFIX.length) * 3) / 4)
}

/** The key unstorage's Redis driver uses for `key` under its `base` option (its own joinKeys). */
function joinKeys(base: string, key: string): string {
  const normalize = (k: string) => k.replace(/[:/\\]/g, ':').replace(/^[:/\\]|[:/\\]$/g, '')
  return [base.replace(/:$/, ''), key].map(normalize).filter(Boolean).join(':')
}
