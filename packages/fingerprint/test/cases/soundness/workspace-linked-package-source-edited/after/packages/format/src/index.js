export function currency(n) {
  return n.toFixed(2) + ' USD'
}
