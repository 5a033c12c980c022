import type { CAC } from 'cac'
import { registerExplain } from './explain.ts'
import { registerFingerprint } from './fingerprint.ts'

/** Every command registers itself on the cac instance; add a file in this folder and a line here. */
export const commands: Array<(cli: CAC) => void> = [
  registerFingerprint,
  registerExplain,
]
