import { shade } from 'color-math'

export function swatch(v) {
  return `<i style="color:${shade(v)}"></i>`
}
