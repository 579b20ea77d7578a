import path from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { findElectronBinary } from '../scripts/electron-binary.ts'

const exe = findElectronBinary()

test.describe('desktop app', () => {
  test.skip(!exe, 'Electron binary not installed (node_modules/electron/path.txt and dist/ are missing; it cannot be downloaded here)')

  test('opens the IDE window with the preload bridge and no Node in the page', async () => {
    // executablePath always given: Playwright must never require('electron'), which starts a download.
    const app = await electron.launch({ executablePath: exe!, args: [path.resolve(import.meta.dirname, '../out/main/index.js')] })
    try {
      const window = await app.firstWindow()
      await expect(window.getByRole('button', { name: 'New function' })).toBeVisible()
      expect(await window.evaluate(() => typeof (window as unknown as { edgepad?: unknown }).edgepad)).toBe('object')
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
    } finally {
      await app.close()
    }
  })
})
