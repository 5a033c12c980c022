/** Something with unsaved state, saved when the process runs out of work if nobody saved it. */
export interface Saveable {
  save: () => Promise<void>
}

const unsaved = new Set<WeakRef<Saveable>>()
let hooked = false

/**
 * Saves `target` when the event loop empties (`beforeExit`), unless it is collected first. The
 * writes started there keep the process alive until done; then the event fires again with
 * nothing left to save. Register again after each save that leaves new state behind.
 */
export function saveBeforeExit(target: Saveable): void {
  unsaved.add(new WeakRef(target))
  if (hooked) return
  hooked = true
  process.on('beforeExit', () => {
    const refs = [...unsaved]
    unsaved.clear()
    for (const ref of refs) void ref.deref()?.save()
  })
}
