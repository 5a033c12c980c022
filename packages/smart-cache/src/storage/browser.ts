import type { Storage } from 'unstorage'
import indexedbDriver from 'unstorage/drivers/indexedb'
import { driverStorage } from './driver-storage.ts'

/** IndexedDB database and object store used by the browser default. */
export const BROWSER_DB = { dbName: 'smart-cache', storeName: 'values' }

/** The browser default storage: unstorage's `indexedb` driver (idb-keyval), without unstorage's `createStorage` (see {@link driverStorage}). */
export function createDefaultStorage(): Storage {
  return driverStorage(indexedbDriver(BROWSER_DB))
}

/** Where the default storage lives, for messages. */
export function describeDefaultStorage(): string {
  return `IndexedDB "${BROWSER_DB.dbName}"/"${BROWSER_DB.storeName}"`
}
