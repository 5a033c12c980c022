const warmed = new Set<string>()
warmed.add('en-US')

export function price(n: number) {
  return `$${n.toFixed(2)}`
}
