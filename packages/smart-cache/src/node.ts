import { Buffer } from 'node:buffer'
import { setBytesToKey } from './core/arg-keys.ts'
import { setDefaultStorageProvider } from './core/defaults.ts'
import { addSyncReader } from './core/sync-read.ts'
import { fsSyncReader } from './drivers/fs-read-sync.ts'
import { installNodePlatform } from './node-platform.ts'
import { createDefaultStorage, describeDefaultStorage } from './storage/node.ts'

let lastArrayBuffer: ArrayBufferLike | undefined
let lastBuffer: Buffer | undefined
// Memory-tier keys via Buffer latin1 (native, one char per byte): about twice as fast as TextDecoder.
setBytesToKey((bytes, length) => {
  if (bytes.buffer !== lastArrayBuffer) {
    lastArrayBuffer = bytes.buffer
    lastBuffer = Buffer.from(bytes.buffer)
  }
  return lastBuffer!.toString('latin1', bytes.byteOffset, bytes.byteOffset + length)
})

installNodePlatform()
setDefaultStorageProvider({ create: () => createDefaultStorage(), describe: describeDefaultStorage })
addSyncReader(fsSyncReader)

export * from './index.ts'
