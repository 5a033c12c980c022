import { run } from './cli.ts'

// Importing the package runs the command line (`bin/smart-cache.mjs` imports this file).
process.exitCode = await run(process.argv.slice(2))
