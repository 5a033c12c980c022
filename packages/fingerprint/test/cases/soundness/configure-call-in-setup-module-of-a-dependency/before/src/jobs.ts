import { delays } from './queue'

export function plan() {
  return delays().map(ms => `${ms}ms`).join(', ')
}
