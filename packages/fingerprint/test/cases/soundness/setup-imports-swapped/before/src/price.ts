import './defaults'
import './overrides'
import { settings } from './settings'

export function price(amount: number) {
  return amount * settings.rate
}
