import { setDefaultStorageProvider } from './core/defaults.ts'
import { createDefaultStorage, describeDefaultStorage } from './storage/browser.ts'

setDefaultStorageProvider({ create: createDefaultStorage, describe: describeDefaultStorage })

export * from './index.ts'
