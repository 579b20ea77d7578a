import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{common,core,server,main,cli,bench,scripts,web}/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'e2e/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
