import type { Storage } from 'unstorage'
import type { AtomicFsInstance } from './drivers/fs.ts'
import type { TempFiles } from './drivers/fs-litter.ts'

/** The store's view of temp files of interrupted writes: those of smart-cache's filesystem driver, none elsewhere. */
export interface StoreTemps {
  count(): Promise<TempFiles>
  sweep(): Promise<{ files: number; bytes: number }>
}

const NONE: StoreTemps = {
  count: async () => ({ files: 0, bytes: 0, stale: 0, staleBytes: 0 }),
  sweep: async () => ({ files: 0, bytes: 0 }),
}

export function tempFilesOf(storage: Storage): StoreTemps {
  const { driver } = storage.getMount('')
  if (driver.name !== 'smart-cache-fs' || typeof driver.getInstance !== 'function') return NONE
  const fs = driver.getInstance() as AtomicFsInstance
  return { count: () => fs.countTempFiles(), sweep: () => fs.removeStaleTempFiles() }
}
