import { now } from './time'

export class Clock {
  stamp(at = now()) {
    function now() { return -1 }
    return `t=${at} local=${now()}`
  }
}
