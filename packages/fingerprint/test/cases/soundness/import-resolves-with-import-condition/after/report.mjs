import { money } from '#format'

export function report(total) {
  return `total: ${money(total)}`
}
