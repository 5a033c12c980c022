import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Writes `text` to `file` through a temporary file and a rename: readers see the old or the new file, whole. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  await mkdir(dirname(file), { recursive: true })
  await writeFile(tmp, text)
  await rename(tmp, file)
}
