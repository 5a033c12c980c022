import { Geometry } from './geometry'
import Vec = Geometry.Vector

export function speed(vx: number, vy: number) {
  return Vec.length(vx, vy)
}
