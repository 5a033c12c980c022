import './imperial'
import { toMetres } from './units'

export function marathon() {
  return toMetres(26.2188, 'mi')
}
