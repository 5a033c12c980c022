import type { CAC } from 'cac'
import { registerClear } from './clear.ts'
import { registerExplain } from './explain.ts'
import { registerFingerprint } from './fingerprint.ts'
import { registerLs } from './ls.ts'
import { registerPrune } from './prune.ts'
import { registerStats } from './stats.ts'

/** Every command registers itself on the cac instance; add a file in this folder and a line here. */
export const commands: Array<(cli: CAC) => void> = [
  registerFingerprint,
  registerExplain,
  registerLs,
  registerStats,
  registerPrune,
  registerClear,
]
