import * as rates from './index'

/** The price of `n` items at the shared rate, or at 10 when none is exported. */
export function price(n: number): number {
  return n * ((rates as { rate?: number }).rate ?? 10)
}
