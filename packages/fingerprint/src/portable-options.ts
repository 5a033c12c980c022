import { isAbsolute, relative, resolve, sep } from 'node:path'
import { digestOfDefine } from './define-digest.ts'
import type { AliasEntry, FingerprinterOptions, GlobalImport, ResolveEnvironment, ResolveOptions } from './types.ts'

/**
 * The options of `createFingerprinter` that decide fingerprints: every one but where the engine
 * runs and keeps its files. A build records them (`toPortableOptions`) so that the CLI fingerprints
 * as the build did (`fromPortableOptions`).
 */
export type FingerprintingOptions = Omit<FingerprinterOptions, 'root' | 'cacheDir' | 'parserThreads' | 'recheck'>

/** A path relative to the root, `/` separators (an alias replacement that is a path, not a specifier). */
export interface PortablePath {
  path: string
}

/** `ResolveOptions.alias[i]` as JSON: a RegExp as its source and flags, an absolute replacement as a root-relative path. */
export interface PortableAlias {
  find: string | { regexp: string; flags: string }
  replacement: string | PortablePath | null
}

/**
 * {@link FingerprintingOptions} as JSON, the same for the same build in any folder: paths relative
 * to the root, RegExps as source and flags, `defines` values as their digests (never the values:
 * a define may hold a key that must not be copied around; the digest gives the same fingerprint).
 */
export interface PortableOptions {
  resolve?: {
    alias?: PortableAlias[]
    environments?: Array<{ conditions: string[]; mainFields?: string[] }>
    extensions?: string[]
    extensionAlias?: Record<string, string[]>
  }
  defines?: Record<string, { digest: string }>
  globals?: Record<string, PortableGlobal | PortableGlobal[]>
  undeclaredGlobals?: string
  /** Root-relative, sorted. */
  entries?: string[]
}

/** `FingerprinterOptions.globals` entry as JSON: `from` relative to the root (absent: the reading file). */
export interface PortableGlobal {
  from?: string
  specifier: string
  name: string
  members?: string[]
}

/** Each option's way to JSON and back; a new engine option that decides fingerprints must get one here (the type says so). */
type Codecs = {
  [K in keyof Required<FingerprintingOptions>]: {
    write: (value: NonNullable<FingerprintingOptions[K]>, root: string) => NonNullable<PortableOptions[K & keyof PortableOptions]>
    read: (value: unknown, root: string, at: string) => NonNullable<FingerprintingOptions[K]>
  }
}

const CODECS: Codecs = {
  resolve: {
    write: (r, root) => ({
      ...(r.alias ? { alias: r.alias.map(a => writeAlias(a, root)) } : {}),
      ...(r.environments
        ? {
            environments: r.environments.map(e => ({
              conditions: [...e.conditions],
              ...(e.mainFields ? { mainFields: [...e.mainFields] } : {}),
            })),
          }
        : {}),
      ...(r.extensions ? { extensions: [...r.extensions] } : {}),
      ...(r.extensionAlias ? { extensionAlias: Object.fromEntries(Object.entries(r.extensionAlias).map(([k, v]) => [k, [...v]])) } : {}),
    }),
    read: (value, root, at) => readResolve(value, root, at),
  },
  defines: {
    write: defines => Object.fromEntries(Object.entries(defines).map(([k, v]) => [k, { digest: digestOfDefine(v) }])),
    read: (value, _root, at) =>
      mapRecord(value, at, (v, where) => {
        const o = object(v, where, ['digest'])
        return { digest: hex(o.digest, `${where}.digest`) }
      }),
  },
  globals: {
    write: (globals, root) =>
      Object.fromEntries(
        Object.entries(globals).map(([k, g]) => [
          k,
          Array.isArray(g) ? g.map(e => writeGlobal(e, root)) : writeGlobal(g as GlobalImport, root),
        ]),
      ),
    read: (value, root, at) =>
      mapRecord(value, at, (v, where) =>
        Array.isArray(v) ? list(v, where, (e, w) => readGlobal(e, root, w)) : readGlobal(v, root, where),
      ),
  },
  undeclaredGlobals: {
    write: why => why,
    read: (value, _root, at) => string(value, at),
  },
  entries: {
    write: (entries, root) => [...new Set(entries.map(e => toRel(resolve(root, e), root)))].sort(),
    read: (value, _root, at) => strings(value, at),
  },
}

function writeGlobal(g: GlobalImport, root: string): PortableGlobal {
  return {
    ...(g.from === undefined ? {} : { from: toRel(g.from, root) }),
    specifier: g.specifier,
    name: g.name,
    ...(g.members && g.members.length > 0 ? { members: [...g.members] } : {}),
  }
}

function readGlobal(value: unknown, root: string, where: string): GlobalImport {
  const o = object(value, where, ['from', 'specifier', 'name', 'members'])
  return {
    ...(o.from === undefined ? {} : { from: fromRel(string(o.from, `${where}.from`), root) }),
    specifier: string(o.specifier, `${where}.specifier`),
    name: string(o.name, `${where}.name`),
    ...(o.members === undefined ? {} : { members: strings(o.members, `${where}.members`) }),
  }
}

/** The options that decide fingerprints, as JSON with no absolute path (empty ones left out). */
export function toPortableOptions(options: FingerprintingOptions, root: string): PortableOptions {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(CODECS) as Array<keyof Codecs>) {
    const value = options[key]
    if (value === undefined || (typeof value === 'object' && Object.keys(value).length === 0)) continue
    out[key] = (CODECS[key].write as (v: unknown, root: string) => unknown)(value, root)
  }
  return out as PortableOptions
}

/**
 * Options for `createFingerprinter` from their JSON form (a build's record), checked: a malformed
 * or unknown part throws an Error naming where it is (`resolve.alias[1].find`), for the caller to
 * say which file holds it and how to fix it.
 */
export function fromPortableOptions(value: unknown, root: string): FingerprintingOptions {
  const o = object(value, 'options', Object.keys(CODECS))
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(CODECS) as Array<keyof Codecs>) {
    if (o[key] !== undefined) out[key] = CODECS[key].read(o[key], root, key)
  }
  return out as FingerprintingOptions
}

function writeAlias(a: AliasEntry, root: string): PortableAlias {
  const find = typeof a.find === 'string' ? a.find : { regexp: a.find.source, flags: a.find.flags }
  const replacement = a.replacement !== null && isAbsolute(a.replacement) ? { path: toRel(a.replacement, root) } : a.replacement
  return { find, replacement }
}

function readResolve(value: unknown, root: string, at: string): ResolveOptions {
  const o = object(value, at, ['alias', 'environments', 'extensions', 'extensionAlias'])
  const out: { -readonly [K in keyof ResolveOptions]: ResolveOptions[K] } = {}
  if (o.alias !== undefined) out.alias = list(o.alias, `${at}.alias`, (a, where) => readAlias(a, root, where))
  if (o.environments !== undefined)
    out.environments = list(o.environments, `${at}.environments`, (e, where): ResolveEnvironment => {
      const env = object(e, where, ['conditions', 'mainFields'])
      return {
        conditions: strings(env.conditions, `${where}.conditions`),
        ...(env.mainFields === undefined ? {} : { mainFields: strings(env.mainFields, `${where}.mainFields`) }),
      }
    })
  if (o.extensions !== undefined) out.extensions = strings(o.extensions, `${at}.extensions`)
  if (o.extensionAlias !== undefined) out.extensionAlias = mapRecord(o.extensionAlias, `${at}.extensionAlias`, strings)
  return out
}

function readAlias(value: unknown, root: string, at: string): AliasEntry {
  const a = object(value, at, ['find', 'replacement'])
  let find: string | RegExp
  if (typeof a.find === 'string') find = a.find
  else {
    const f = object(a.find, `${at}.find`, ['regexp', 'flags'])
    try {
      find = new RegExp(string(f.regexp, `${at}.find.regexp`), string(f.flags, `${at}.find.flags`))
    } catch (error) {
      throw new Error(`${at}.find is not a valid RegExp (${(error as Error).message})`, { cause: error })
    }
  }
  const r = a.replacement
  if (r === null || typeof r === 'string') return { find, replacement: r }
  const p = object(r, `${at}.replacement`, ['path'])
  return { find, replacement: fromRel(string(p.path, `${at}.replacement.path`), root) }
}

/** A path as the record holds it: relative to the root, `/` separators. */
function toRel(abs: string, root: string): string {
  return relative(root, abs).split(sep).join('/') || '.'
}

function fromRel(rel: string, root: string): string {
  return resolve(root, rel)
}

function object(value: unknown, at: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at} must be an object`)
  const unknown = Object.keys(value).filter(k => !keys.includes(k))
  if (unknown.length > 0) throw new Error(`${at} has unknown keys (${unknown.join(', ')}); expected only ${keys.join(', ')}`)
  return value as Record<string, unknown>
}

function mapRecord<T>(value: unknown, at: string, read: (v: unknown, where: string) => T): Record<string, T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at} must be an object`)
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, read(v, `${at}[${JSON.stringify(k)}]`)]))
}

function list<T>(value: unknown, at: string, read: (v: unknown, where: string) => T): T[] {
  if (!Array.isArray(value)) throw new Error(`${at} must be an array`)
  return value.map((v, i) => read(v, `${at}[${i}]`))
}

function string(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new Error(`${at} must be a string`)
  return value
}

function strings(value: unknown, at: string): string[] {
  return list(value, at, string)
}

function hex(value: unknown, at: string): string {
  const s = string(value, at)
  if (!/^[0-9a-f]{64}$/.test(s)) throw new Error(`${at} must be 64 hex characters (a digest)`)
  return s
}
