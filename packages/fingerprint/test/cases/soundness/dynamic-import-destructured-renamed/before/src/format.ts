export function formatNumber(n: number) {
  return n.toFixed(1)
}

export function formatDate(d: Date) {
  return d.toISOString()
}
