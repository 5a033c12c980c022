import type { Driver, Storage } from 'unstorage'
import type { BoundedItem, RangeReader } from './bounded-read.ts'
import { rawSize } from './limits.ts'

/**
 * Bounded reads from unstorage's Redis driver, which stores raw items as `base64:…`
 * strings: `GETRANGE` reads at most the encoded length of the limit, and `STRLEN` tells the size
 * of a larger one. Node only (installed by the Node entries with `addRangeReader`).
 */
export const redisRangeReader: RangeReader = (storage, key, limit) => {
  const redis = redisOf(storage, key)
  return redis && readRedis(redis.client, redis.key, limit)
}

const BASE64_PREFIX = 'base64:'

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
