import { SingleBar } from 'cli-progress'

/** Advances by a count; `stop()` clears the line. A no-op when not shown. */
export interface Progress {
  tick(n: number): void
  stop(): void
}

/** Below this many items the work is too quick for a bar to help. */
export const PROGRESS_THRESHOLD = 500

/**
 * A progress bar on stderr, only when stderr is a terminal and there are at least
 * {@link PROGRESS_THRESHOLD} items (so pipes, CI logs and `--json` output stay clean).
 */
export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total < PROGRESS_THRESHOLD) return { tick() {}, stop() {} }
  const bar = new SingleBar({ stream, format: `${label} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: true })
  bar.start(total, 0)
  return { tick: n => bar.increment(n), stop: () => bar.stop() }
}
