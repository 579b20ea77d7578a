import type { BrowserWindow } from 'electron'
import Store from 'electron-store'
import { z } from 'zod'

const boundsSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(640).max(10_000),
  height: z.number().int().min(480).max(10_000),
  maximized: z.boolean(),
})
export type WindowState = z.output<typeof boundsSchema>

const DEFAULT_STATE: WindowState = { width: 1400, height: 900, maximized: false }

/** Window bounds remembered across launches; a corrupt or hand-edited file falls back to defaults. */
export function windowStateStore() {
  const store = new Store<{ window: unknown }>({ name: 'window-state' })
  return {
    load(): WindowState {
      const parsed = boundsSchema.safeParse(store.get('window'))
      return parsed.success ? parsed.data : DEFAULT_STATE
    },
    track(win: BrowserWindow): void {
      const save = () => {
        const b = win.getNormalBounds()
        store.set('window', { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() })
      }
      win.on('close', save)
    },
  }
}
