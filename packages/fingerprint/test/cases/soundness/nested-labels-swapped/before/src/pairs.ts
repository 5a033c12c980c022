export function pairsSummingTo(xs: number[], target: number) {
  const pairs: string[] = []
  outer: for (const x of xs) {
    inner: for (const y of xs) {
      if (y <= x) continue inner
      if (pairs.length >= 2) break outer
      if (x + y === target) pairs.push(`${x}+${y}`)
    }
  }
  return pairs
}
