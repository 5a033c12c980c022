import { currency } from '@acme/format'

export function total(prices: number[]) {
  return currency(prices.reduce((a, b) => a + b, 0))
}
