import * as crypto from 'node:crypto'

export function digest(s: string) {
  return crypto.createHash('sha256').update(s).digest('hex').slice(0, 16)
}
