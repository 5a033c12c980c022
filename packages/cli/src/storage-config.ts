import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadConfig } from 'c12'
import type { OpenStoreOptions } from 'smart-cache/store'
import { builtinDrivers, type Driver, type Storage } from 'unstorage'
import { CliError } from './errors.ts'

/** `smart-cache.config.{json,mjs,…}` at the project root: where the CLI finds the cache. */
export interface CliConfig {
  /**
   * The store: a Redis URL (`redis://host:6379/0`, optional `?base=prefix`), an unstorage driver
   * by name with its options (`{ "driver": "redis", "url": "…", "base": "app" }`), or (in `.mjs`)
   * an unstorage driver or storage instance.
   * @default the runtime's filesystem store (`SMART_CACHE_DIR`, else `<root>/node_modules/.cache/smart-cache/values`, else the user cache folder: see `findCacheDir` in `smart-cache/store`)
   */
  storage?: string | ({ driver: string } & Record<string, unknown>) | Driver | Storage
  /**
   * Folder of the filesystem store, relative to the root.
   * @default see `storage`
   */
  dir?: string
}

/** The store flags shared by ls, stats, prune and clear. */
export interface StoreFlags {
  storage?: string
  dir?: string
  config?: string
}

/** What to open, and a human description of it for the output. */
export interface StoreTarget {
  options: OpenStoreOptions
  describe: string
}

/** Flags win over the config file, which wins over the runtime's default. */
export async function resolveStoreTarget(root: string, flags: StoreFlags): Promise<StoreTarget> {
  if (flags.storage !== undefined && flags.dir !== undefined)
    throw new CliError('--storage and --dir name two different stores. Fix: pass only one of them.')
  if (flags.storage !== undefined) return fromSpec(String(flags.storage), '--storage')
  if (flags.dir !== undefined) return fsTarget(existingDir(String(flags.dir)))
  const config = await readConfig(root, flags.config)
  if (config.value.storage !== undefined) return fromSpec(config.value.storage, `${config.file}: storage`)
  if (config.value.dir !== undefined) return fsTarget(resolve(root, String(config.value.dir)))
  return { options: { cwd: root }, describe: 'default filesystem store' }
}

/** `--dir`: a folder that does not exist is an error (a typo would otherwise read as an empty cache). */
function existingDir(dir: string): string {
  const abs = resolve(dir)
  if (!existsSync(abs))
    throw new CliError(
      `--dir ${dir}: no such folder (${abs}). Fix: pass the folder of the store (the program's SMART_CACHE_DIR), or leave --dir out for the default store.`,
    )
  return abs
}

function fsTarget(dir: string): StoreTarget {
  return { options: { dir }, describe: dir }
}

async function readConfig(root: string, file: string | undefined): Promise<{ value: CliConfig; file: string }> {
  try {
    const loaded = await loadConfig<CliConfig & Record<string, unknown>>({
      name: 'smart-cache',
      cwd: root,
      configFile: file === undefined ? undefined : resolve(String(file)),
      configFileRequired: file !== undefined,
      rcFile: false,
      globalRc: false,
      dotenv: false,
      packageJson: false,
      giget: false,
      extend: false,
    })
    return { value: (loaded.config ?? {}) as CliConfig, file: loaded.configFile ?? 'smart-cache.config' }
  } catch (error) {
    const where = file ?? `${root}/smart-cache.config.*`
    throw new CliError(
      `cannot load the config ${where}: ${(error as Error).message.split('\n')[0]}. Fix: it must be JSON or an ES module whose default export is { storage?, dir? }.`,
    )
  }
}

async function fromSpec(spec: CliConfig['storage'], where: string): Promise<StoreTarget> {
  if (typeof spec === 'string') return fromUrl(spec, where)
  if (typeof spec !== 'object' || spec === null)
    throw new CliError(`${where}: expected a Redis URL or { driver, …options }, got ${JSON.stringify(spec)}.`)
  if (isStorageLike(spec))
    return { options: { storage: spec as Driver | Storage }, describe: `${(spec as Driver).name ?? 'custom'} storage from the config` }
  const { driver, ...options } = spec as { driver: unknown } & Record<string, unknown>
  if (typeof driver !== 'string')
    throw new CliError(`${where}.driver: expected an unstorage driver name such as "redis" or "fs", got ${JSON.stringify(driver)}.`)
  return { options: { storage: await loadDriver(driver, options, where) }, describe: describeDriver(driver, options) }
}

function isStorageLike(value: object): boolean {
  return typeof (value as Driver).getItem === 'function' || typeof (value as Storage).getItemRaw === 'function'
}

async function fromUrl(url: string, where: string): Promise<StoreTarget> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new CliError(
      `${where} '${url}' is not a URL. Fix: use redis://HOST:PORT/DB (optionally ?base=PREFIX), or --dir DIR for a folder.`,
    )
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new CliError(
      `${where} '${url}': only redis:// and rediss:// URLs are understood. Fix: use --dir DIR for a folder, or a config file { "storage": { "driver": "<unstorage driver>", … } } for other drivers.`,
    )
  const base = parsed.searchParams.get('base') ?? undefined
  parsed.searchParams.delete('base')
  const options = { url: parsed.toString(), ...(base === undefined ? {} : { base }) }
  return { options: { storage: await loadDriver('redis', options, where) }, describe: describeDriver('redis', options) }
}

/** A Redis that is down must fail fast with a message, not retry forever. */
const REDIS_DEFAULTS = { connectTimeout: 3000, maxRetriesPerRequest: 1, retryStrategy: (times: number) => (times > 2 ? null : 200) }

async function loadDriver(name: string, options: Record<string, unknown>, where: string): Promise<Driver> {
  const path = (builtinDrivers as Record<string, string>)[name]
  if (!path)
    throw new CliError(
      `${where}: unknown unstorage driver "${name}". Fix: use one of ${Object.keys(builtinDrivers)
        .filter(n => !n.includes('-'))
        .slice(0, 12)
        .join(', ')}, … (see unstorage.unjs.io/drivers).`,
    )
  let factory: (opts: unknown) => Driver
  try {
    factory = ((await import(path)) as { default: (opts: unknown) => Driver }).default
  } catch (error) {
    throw new CliError(
      `${where}: the unstorage driver "${name}" could not be loaded (${(error as Error).message.split('\n')[0]}). Fix: install the package it needs next to @smart-cache/cli.`,
    )
  }
  if (name !== 'redis') return factory(options)
  const driver = factory({ ...REDIS_DEFAULTS, ...options })
  // The command that fails reports the error once; ioredis would also print each retry as "Unhandled error event".
  const client = driver.getInstance?.() as { on?: (event: string, listener: () => void) => void } | undefined
  client?.on?.('error', () => {})
  return driver
}

/** `redis redis://127.0.0.1:6379/0 (base app)`, with any password hidden. */
function describeDriver(name: string, options: Record<string, unknown>): string {
  let text = name
  if (typeof options.url === 'string') {
    const url = new URL(options.url)
    if (url.password) url.password = '***'
    text += ` ${url.toString()}`
  }
  if (typeof options.base === 'string') text += ` (base ${options.base})`
  return text
}
