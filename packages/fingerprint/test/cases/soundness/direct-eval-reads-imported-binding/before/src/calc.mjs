import { rate } from './rates.mjs'

export function evaluate(formula) {
  return eval(formula)
}
