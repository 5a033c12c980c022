import count, { increment } from './counter'

export function tick() {
  increment()
  return count
}
