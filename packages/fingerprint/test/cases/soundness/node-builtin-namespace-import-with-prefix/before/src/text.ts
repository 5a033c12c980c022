import * as util from 'util'

export function inspectAll(xs: unknown[]) {
  return xs.map(x => util.inspect(x)).join(' | ')
}
