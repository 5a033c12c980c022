import { tax } from './tax'
import './setup'
import { fee } from './fee'
import { settings } from './settings'

export function price(amount: number) {
  return amount * settings.rate + fee + tax
}
