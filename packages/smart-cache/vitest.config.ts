import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'smart-cache',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
  },
})
