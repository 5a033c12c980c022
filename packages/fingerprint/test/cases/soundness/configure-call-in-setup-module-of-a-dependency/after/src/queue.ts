import './retry-setup'
import { schedule } from './retry'

export function delays() {
  return schedule()
}
