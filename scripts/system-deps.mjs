#!/usr/bin/env node
// Makes sure the system programs the end-to-end tests drive are installed:
// Debian's Chromium (driven by playwright-core) and redis-server.
// Installs them with apt-get when missing and running as root; otherwise explains the fix.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const needed = [
  { pkg: 'chromium', path: '/usr/bin/chromium' },
  { pkg: 'redis-server', path: '/usr/bin/redis-server' },
]

const missing = needed.filter(n => !existsSync(n.path))
if (missing.length === 0) process.exit(0)

const names = missing.map(n => n.pkg)
if (process.getuid?.() !== 0) {
  console.error(`[smart-cache] the tests need ${names.join(' and ')}: run \`sudo apt-get install -y ${names.join(' ')}\` and try again.`)
  process.exit(1)
}

console.log(`[smart-cache] installing ${names.join(', ')} from Debian's packages…`)
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { stdio: 'inherit', env })
