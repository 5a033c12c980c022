import env from './env'

export function mode() {
  return `mode: ${env}`
}
