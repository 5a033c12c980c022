const warned = new Set<string>()

/** Prints a `[smart-cache]` warning once per `topic` for the life of the process. */
export function warnOnce(topic: string, message: string): void {
  if (warned.has(topic)) return
  warned.add(topic)
  console.warn(message.startsWith('[smart-cache]') ? message : `[smart-cache] ${message}`)
}

/** Test helper: forget which warnings were printed. */
export function resetWarnings(): void {
  warned.clear()
}
