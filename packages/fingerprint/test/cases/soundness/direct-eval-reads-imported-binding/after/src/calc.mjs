import { rate } from './rates.mjs'

export const variables = () => ({ rate })

export function evaluate(formula) {
  return eval(formula)
}
