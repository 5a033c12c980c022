import { basename } from 'node:path'

export function route() {
  return '/' + basename(import.meta.filename).replace(/\.[jt]s$/, '')
}
