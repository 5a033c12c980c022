const levels = ['debug', 'info', 'warn', 'error'] as const
type Level = typeof levels[number]

export class Logger {
  private threshold = 0
  setLevel(level: Level) { this.threshold = levels.indexOf(level) }
  enabled(level: Level) { return levels.indexOf(level) >= this.threshold }
}

export const logger = new Logger()
