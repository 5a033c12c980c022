import { createRequire } from 'node:module'

const req = createRequire(import.meta.url)
const meta = req('./meta.cjs') as { name: string, version: string }

export function banner() {
  return `${meta.name} v${meta.version}`
}
