import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'smart-cache',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // A timeout is a hang detector, not a speed check: work is bounded by run counts, and a shared
    // 2-core CI runner can be ten times slower than a laptop (as in the other packages).
    testTimeout: 60_000,
  },
})
