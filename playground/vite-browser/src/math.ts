/** Iterations before z = z² + c escapes (up to `max`). */
export function escapeTime(re: number, im: number, max: number): number {
  let x = 0
  let y = 0
  for (let i = 0; i < max; i++) {
    const xx = x * x - y * y + re
    y = 2 * x * y + im
    x = xx
    if (x * x + y * y > 4) return i
  }
  return max
}

/** Every prime <= n (Eratosthenes). */
export function primesUpTo(n: number): number[] {
  const composite = new Uint8Array(n + 1)
  const primes: number[] = []
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue
    primes.push(i)
    for (let j = i * i; j <= n; j += i) composite[j] = 1
  }
  return primes
}
