import { fee } from './fee'
import { tax } from './tax'
import './setup'
import { settings } from './settings'

export function price(amount: number) {
  return amount * settings.rate + fee + tax
}
