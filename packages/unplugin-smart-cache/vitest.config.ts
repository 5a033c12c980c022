import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'unplugin-smart-cache',
    include: ['test/**/*.test.ts'],
  },
})
