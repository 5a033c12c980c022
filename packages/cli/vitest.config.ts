import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: '@smart-cache/cli',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
  },
})
