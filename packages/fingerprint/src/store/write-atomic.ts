import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Writes `text` to `file` through a temporary file beside it and a rename: readers see the old or
 * the new file, whole, and concurrent writers (one temporary name each) never mix their bytes. A
 * failed write removes its temporary file and rejects. Shared by the engine's and the plugin's
 * caches; the runtime's store has its own (descriptors opened without following links, budgets).
 */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  await mkdir(dirname(file), { recursive: true })
  try {
    await writeFile(tmp, text)
    await rename(tmp, file)
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => {})
    throw error
  }
}
