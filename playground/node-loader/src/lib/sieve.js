/** Eratosthenes: `composite[i]` is 1 when i (<= n) is not prime. */
export function sieve(n) {
  const composite = new Uint8Array(n + 1)
  composite[0] = composite[1] = 1
  for (let i = 2; i * i <= n; i++) {
    if (composite[i]) continue
    for (let j = i * i; j <= n; j += i) composite[j] = 1
  }
  return composite
}
