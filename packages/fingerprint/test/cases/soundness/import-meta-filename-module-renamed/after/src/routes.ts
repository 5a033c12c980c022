import { route } from './pages'

export function routeOf() {
  return route()
}
