/** Steps for `n` to reach 1 under the Collatz map. */
export function collatzLength(n: number): number {
  let steps = 1
  for (let x = n; x !== 1; steps++) x = x % 2 === 0 ? x / 2 : 3 * x + 1
  return steps
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
