import { Blake3Js, type Blake3Hasher } from './blake3-js.ts'
import { blake3Small, SMALL_MAX } from './blake3-small.ts'
import { warnOnce } from './warn.ts'

/**
 * BLAKE3 for the runtime (issue 18): one WebAssembly instance of hash-wasm's BLAKE3, loaded
 * lazily, and BLAKE3 in JavaScript (same digests) until it is there.
 *
 * - Only hash-wasm's BLAKE3 module is imported (its index pulls every algorithm of the package
 *   into a bundle), and only when an input is larger than {@link SMALL_MAX}: small keys and
 *   entries are hashed by `blake3Small` (plain JavaScript, faster than crossing into
 *   WebAssembly for them), so a process that reads small entries never compiles it.
 * - One instance serves every module: a caller takes it for one uninterrupted init…digest with
 *   {@link acquireHasher} and gives it back with {@link releaseHasher}; a nested caller (a
 *   `[cacheKey]()` hashing while an argument is being streamed) gets a JavaScript hasher.
 * - If the WebAssembly cannot load (a CSP without 'wasm-unsafe-eval'), BLAKE3 in JavaScript
 *   goes on serving, slower for large inputs, with one warning.
 */
interface Blake3Module {
  createBLAKE3(bits?: number, key?: Uint8Array): Promise<Blake3Hasher>
}

let wasm: Blake3Hasher | undefined
let wasmInUse = false
let failed = false
let pending: Promise<void> | undefined
let blake3Mod: Promise<Blake3Module> | undefined
const js = new Blake3Js()
let jsInUse = false

/** hash-wasm's BLAKE3 module alone (a CommonJS bundle: its exports are the default export under Node). */
export function blake3Module(): Promise<Blake3Module> {
  blake3Mod ??= import('hash-wasm/dist/blake3.umd.min.js').then(m => ((m as { default?: Blake3Module }).default ?? m) as Blake3Module)
  return blake3Mod
}

/** Loads the WebAssembly BLAKE3 once; resolves when it is there or has failed (then warns once). Never rejects. */
export function loadHashers(): Promise<void> {
  pending ??= blake3Module()
    .then(m => m.createBLAKE3())
    .then(
      hasher => {
        wasm = hasher
      },
      (error: unknown) => {
        failed = true
        warnOnce(
          'no-blake3',
          `[smart-cache] BLAKE3 (WebAssembly, hash-wasm) failed to load (${error instanceof Error ? error.message : String(error)}); ` +
            "BLAKE3 in JavaScript is used instead (same keys, slower for large arguments and entries). Fix: allow WebAssembly (CSP 'wasm-unsafe-eval').",
        )
      },
    )
  return pending
}

/** Whether large inputs would wait for nothing: the WebAssembly BLAKE3 is loaded, or failed to load. */
export function hashersSettled(): boolean {
  return wasm !== undefined || failed
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
  if (!wasm) void loadHashers()
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
  const digest = blake3Bytes([utf8.encode(text)])
  let out = ''
  for (const b of digest) out += b.toString(16).padStart(2, '0')
  return out
}
