import { DateBadge } from 'ui-kit'

export function badge(ts: number) {
  return DateBadge(ts)
}
