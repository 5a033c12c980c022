/** Quiet time after the last transform before a long-lived plugin saves its caches. */
export const IDLE_SAVE_MS = 1000

/**
 * A function to call after each transform: `save` runs once the calls stop for `delay` ms. A dev
 * server is usually killed (Ctrl-C: no exit hook runs), never closed: what it computed is saved
 * while it idles, so the next start is warm. The timer never keeps the process alive.
 */
export function idleSaver(save: () => Promise<void>, delay = IDLE_SAVE_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  return () => {
    if (timer) {
      timer.refresh()
      return
    }
    timer = setTimeout(() => {
      timer = undefined
      save().catch(() => {}) // an unwritable cache only means a slower next start
    }, delay)
    timer.unref()
  }
}
