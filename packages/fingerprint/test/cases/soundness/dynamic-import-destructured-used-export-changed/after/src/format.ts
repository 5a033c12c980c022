export function formatNumber(n: number) {
  return n.toFixed(2)
}

export function formatDate(d: Date) {
  return d.toISOString()
}
