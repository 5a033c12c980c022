export { createFingerprinter, ENGINE_VERSION } from './engine.ts'
export { FingerprintError } from './errors.ts'
export type {
  BindingFingerprint,
  DependencyInfo,
  EngineWarning,
  ExplainNode,
  Fingerprinter,
  FingerprinterOptions,
} from './types.ts'
