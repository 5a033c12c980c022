import { parentPort, workerData } from 'node:worker_threads'
import { checkFactsFile } from './facts-file.ts'

/**
 * Worker entry: checks the facts of stored answers (one stat per file reached, some
 * resolutions) on another core while the bundler starts, and posts the token of the answers
 * they vouch for, or `null`.
 */
const { file, root } = workerData as { file: string, root: string }
parentPort!.postMessage(checkFactsFile(file, root) ?? null)
