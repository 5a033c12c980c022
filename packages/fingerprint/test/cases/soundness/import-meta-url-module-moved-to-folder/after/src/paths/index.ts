import { basename, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

export function moduleFolder() {
  return basename(dirname(fileURLToPath(import.meta.url)))
}
