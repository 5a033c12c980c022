import { currency } from './config'

export function format(amount: number, code = currency) {
  var currency = code.toLowerCase()
  return `${amount.toFixed(2)} ${code} (${currency})`
}
