import { promises as fsp } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'

/**
 * Temp files of the atomic filesystem driver: `<target>.<pid>.<n>.sc-tmp`, renamed over the target
 * once written. A process killed mid-write (SIGKILL, power loss) leaves its temp file behind, so
 * writers sweep each folder they write to (at most once per {@link SWEEP_INTERVAL_MS}): temp files
 * of processes that no longer exist on this host, or older than {@link STALE_TEMP_MS}, are removed.
 * Removing a live writer's temp file (another host on a network folder) only makes that write fail,
 * which the runtime counts as a storage error; it never changes a value.
 */
export const TMP_SUFFIX = '.sc-tmp'
/** Temp files older than this are removed whoever wrote them. */
export const STALE_TEMP_MS = 10 * 60_000
/** A folder is swept again after this long. */
export const SWEEP_INTERVAL_MS = 60_000

const TEMP_NAME = /\.(\d+)\.[0-9a-z]+\.sc-tmp$/
const swept = new Map<string, number>()
let counter = 0

/** A fresh temp path beside `path`. */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${(counter++).toString(36)}${TMP_SUFFIX}`
}

/** Sweeps `dir` unless it was swept recently by this process. Never throws; returns how many files were removed. */
export async function sweepTempFiles(dir: string, now = Date.now()): Promise<number> {
  const last = swept.get(dir)
  if (last !== undefined && now - last < SWEEP_INTERVAL_MS) return 0
  if (swept.size > 10_000) swept.clear()
  swept.set(dir, now)
  let removed = 0
  const names = await fsp.readdir(dir).catch(() => [] as string[])
  for (const name of names) {
    if (name.endsWith(TMP_SUFFIX) && (await isStale(join(dir, name), name, now))) {
      removed += await fsp.rm(join(dir, name), { force: true }).then(
        () => 1,
        () => 0,
      )
    }
  }
  return removed
}

/** A temp file is stale when its writer (by the pid in its name) is gone from this host, or it is older than {@link STALE_TEMP_MS}. */
export async function isStale(path: string, name: string, now: number): Promise<boolean> {
  const pid = Number(TEMP_NAME.exec(name)?.[1])
  if (pid && pid !== process.pid && !isAlive(pid)) return true
  const stat = await fsp.lstat(path).catch(() => undefined)
  return stat !== undefined && now - stat.mtimeMs > STALE_TEMP_MS
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Test helper: forget which folders were swept. */
export function resetSweeps(): void {
  swept.clear()
}
