export function pairsSummingTo(xs: number[], target: number) {
  const pairs: string[] = []
  inner: for (const x of xs) {
    outer: for (const y of xs) {
      if (y <= x) continue outer
      if (pairs.length >= 2) break inner
      if (x + y === target) pairs.push(`${x}+${y}`)
    }
  }
  return pairs
}
