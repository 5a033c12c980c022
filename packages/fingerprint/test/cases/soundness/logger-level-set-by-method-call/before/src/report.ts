import { logger } from './logger'

logger.setLevel('info')

export function visibleLevels() {
  return (['debug', 'info', 'warn', 'error'] as const).filter(l => logger.enabled(l)).join(',')
}
