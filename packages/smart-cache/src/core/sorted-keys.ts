/** Recently seen key lists (as `Object.keys` gave them) and their sorted copies: objects of one shape sort once. */
const SHAPES = 8
const shapeIn: (string[] | undefined)[] = Array.from({ length: SHAPES }, () => undefined)
const shapeOut: string[][] = Array.from({ length: SHAPES }, () => [])
let shapeNext = 0

/**
 * `keys` sorted (a new array, or a cached one: never mutate it). Object keys are internalized
 * strings, so comparing a list with a cached one is a pointer comparison per key.
 */
export function sortedKeys(keys: string[]): string[] {
  const n = keys.length
  if (n < 2) return keys
  for (let s = 0; s < SHAPES; s++) {
    const known = shapeIn[s]
    if (known === undefined || known.length !== n) continue
    let i = 0
    while (i < n && known[i] === keys[i]) i++
    if (i === n) return shapeOut[s]!
  }
  const sorted = sortKeys(keys.slice())
  shapeIn[shapeNext] = keys
  shapeOut[shapeNext] = sorted
  shapeNext = (shapeNext + 1) % SHAPES
  return sorted
}

/** Sorts by UTF-16 code units (same order as `Array.prototype.sort()`); insertion sort for the usual few keys. */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort()
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!
    let j = i - 1
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!
      j--
    }
    keys[j + 1] = k
  }
  return keys
}
