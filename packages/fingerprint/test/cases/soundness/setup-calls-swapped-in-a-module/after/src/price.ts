import { rate } from './config'

export function price(amount: number) {
  return amount * rate()
}
