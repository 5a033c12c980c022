import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const defaults = require('./defaults.json')

export function settings(overrides) {
  return { ...defaults, ...overrides }
}
