export { type DepRow, packDeps, type PackedDeps, unpackDeps } from './store/dep-table.ts'
export { createFingerprinter } from './engine/facade.ts'
export { defineDigest } from './define-digest.ts'
export {
  type FingerprintingOptions,
  fromPortableOptions,
  type PortableGlobal,
  type PortableOptions,
  toPortableOptions,
} from './portable-options.ts'
export { FingerprintError } from './errors.ts'
export { ENGINE_VERSION } from './version.ts'
export { writeAtomic } from './store/write-atomic.ts'
export type {
  AliasEntry,
  BindingFingerprint,
  DefineDigest,
  DependencyInfo,
  EngineWarning,
  ExplainNode,
  Fingerprinter,
  FingerprinterOptions,
  GlobalImport,
  ResolveEnvironment,
  ResolveOptions,
} from './types.ts'
