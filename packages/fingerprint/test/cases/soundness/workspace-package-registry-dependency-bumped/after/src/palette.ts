import { swatch } from '@acme/ui'

export function palette(levels: number[]) {
  return levels.map(swatch).join('')
}
