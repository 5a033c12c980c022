import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { money } = require('#format')

export function report(total) {
  return `total: ${money(total)}`
}
