import { moduleFolder } from './paths'

export function logPrefix() {
  return `[${moduleFolder()}]`
}
