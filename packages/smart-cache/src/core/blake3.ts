import { Blake3Js, type Blake3Hasher } from './blake3-js.ts'
import { blake3Small, SMALL_MAX } from './blake3-small.ts'
import { toHex } from './hex.ts'

/**
 * BLAKE3 for the runtime: BLAKE3 in JavaScript, and in Node one WebAssembly instance
 * of hash-wasm's BLAKE3, loaded lazily (same digests).
 *
 * - The WebAssembly comes from a loader the Node entry installs ({@link setBlake3Loader}): the
 *   browser build has no loader, so no WebAssembly in its bundle (it would add 21 kB; BLAKE3 in
 *   JavaScript hashes 1 MiB in a few milliseconds, `pnpm bench blake3`).
 * - Only hash-wasm's BLAKE3 module is imported (its index pulls every algorithm of the package
 *   into a bundle), and only when an input is larger than {@link SMALL_MAX}: small keys and
 *   entries are hashed by `blake3Small` (plain JavaScript, faster than crossing into
 *   WebAssembly for them), so a process that reads small entries never compiles it.
 * - One instance serves every module: a caller takes it for one uninterrupted init…digest with
 *   {@link acquireHasher} and gives it back with {@link releaseHasher}; a nested caller (a
 *   `[cacheKey]()` hashing while an argument is being streamed) gets a JavaScript hasher.
 * - If the WebAssembly cannot load (a CSP without 'wasm-unsafe-eval'), BLAKE3 in JavaScript
 *   goes on serving, with one warning.
 */

/** hash-wasm's BLAKE3 module. */
export interface Blake3Module {
  createBLAKE3(bits?: number, key?: Uint8Array): Promise<Blake3Hasher>
}

let loader: (() => Promise<Blake3Module>) | undefined

let wasm: Blake3Hasher | undefined
let wasmInUse = false
let failed = false
let pending: Promise<void> | undefined
let blake3Mod: Promise<Blake3Module> | undefined
const js = new Blake3Js()
let jsInUse = false

/** Installed by the Node entries: loads hash-wasm's BLAKE3, and warns once if it cannot (see `blake3-wasm.ts`). Without one, BLAKE3 is JavaScript only. */
export function setBlake3Loader(load: () => Promise<Blake3Module>): void {
  loader = load
}

/** A keyed BLAKE3-256 hasher (entry signing): the WebAssembly one where there is a loader, else JavaScript. */
export async function keyedHasher(key: Uint8Array): Promise<Blake3Hasher> {
  if (loader) {
    blake3Mod ??= loader()
    try {
      return await (await blake3Mod).createBLAKE3(256, key)
    } catch {} // no WebAssembly (the loader warned): the same MACs in JavaScript
  }
  return new Blake3Js(key)
}

/** Loads the WebAssembly BLAKE3 once, if there is a loader; resolves when it is there or has failed (then warns once). Never rejects. */
export function loadHashers(): Promise<void> {
  if (!loader) return Promise.resolve()
  blake3Mod ??= loader()
  pending ??= blake3Mod
    .then(m => m.createBLAKE3())
    .then(
      hasher => {
        wasm = hasher
      },
      () => {
        failed = true // warned by the loader
      },
    )
  return pending
}

/** Whether large inputs would wait for nothing: the WebAssembly BLAKE3 is loaded, failed to load, or there is none. */
export function hashersSettled(): boolean {
  return wasm !== undefined || failed || !loader
}

/**
 * A hasher, initialised, for one uninterrupted use; give it back with {@link releaseHasher}.
 * Starts loading the WebAssembly BLAKE3 (used from the next call on once loaded).
 */
export function acquireHasher(): Blake3Hasher {
  if (wasm && !wasmInUse) {
    wasmInUse = true
    return wasm.init()
  }
  if (!wasm && loader) void loadHashers()
  if (!jsInUse) {
    jsInUse = true
    return js.init()
  }
  return new Blake3Js()
}

/** Gives back a hasher from {@link acquireHasher}. */
export function releaseHasher(hasher: Blake3Hasher | undefined): void {
  if (hasher === wasm) wasmInUse = false
  else if (hasher === js) jsInUse = false
}

/** BLAKE3-256 of `parts` (concatenated): in JavaScript up to {@link SMALL_MAX} bytes in all, else by the shared hasher. Returns a fresh array. */
export function blake3Bytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0
  for (const p of parts) total += p.length
  if (total <= SMALL_MAX) {
    const joined = parts.length === 1 ? parts[0]! : concatInto(scratch, parts)
    return blake3Small(joined).slice()
  }
  const h = acquireHasher()
  try {
    for (const p of parts) h.update(p)
    return h.digest('binary')
  } finally {
    releaseHasher(h)
  }
}

const scratch = new Uint8Array(SMALL_MAX)

function concatInto(target: Uint8Array, parts: readonly Uint8Array[]): Uint8Array {
  let at = 0
  for (const p of parts) {
    target.set(p, at)
    at += p.length
  }
  return target.subarray(0, at)
}

const utf8 = new TextEncoder()

/** BLAKE3-256 of a UTF-8 string, as 64 hex chars. */
export function blake3Hex(text: string): string {
  return toHex(blake3Bytes([utf8.encode(text)]))
}
