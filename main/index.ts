import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, session, shell } from 'electron'
import { IPC_CHANNELS } from '../common/contracts/bridge.ts'
import type { IdeCore } from '../core/ide/open-ide.ts'
import { RENDERER_CSP } from '../common/contracts/content-security-policy.ts'
import { registerIpc } from './ipc-dispatch.ts'
import { openDesktopServices } from './services.ts'
import { windowStateStore } from './window-state.ts'

// out/main/index.js → the repository (or app) root.
const appRoot = path.resolve(import.meta.dirname, '../..')
const rendererIndex = path.resolve(import.meta.dirname, '../renderer/index.html')
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex).href

let win: BrowserWindow | null = null
let ide: IdeCore | null = null

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  // A failed start (say, the bundled Node is missing) is shown to the user, not left in a log.
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error(error)
      dialog.showErrorBox('Edgepad could not start', error instanceof Error ? error.message : String(error))
      app.exit(1)
    })
}

const isOurPage = (url: string) => url.startsWith(rendererUrl.replace(/index\.html$/, '')) || url === rendererUrl

async function start() {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ide = await openDesktopServices(appRoot, (event, payload) => win?.webContents.send(IPC_CHANNELS.event, event, payload))
  registerIpc(ide.call, (_contents, frameUrl) => isOurPage(frameUrl))

  const state = windowStateStore()
  const bounds = state.load()
  win = new BrowserWindow({
    ...bounds,
    show: false,
    title: 'Edgepad',
    backgroundColor: '#16181d',
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  state.track(win)
  if (bounds.maximized) win.maximize()
  win.once('ready-to-show', () => win?.show())
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOurPage(url)) event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to docs open in the user's browser; the app never opens a second window.
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.on('closed', () => (win = null))
  await win.loadURL(rendererUrl)
}

app.on('window-all-closed', () => app.quit())
let quitting = false
app.on('before-quit', (event) => {
  if (quitting || !ide) return
  // Flush the invocation log and stop the isolate workers before exiting.
  event.preventDefault()
  quitting = true
  void ide.close().finally(() => app.quit())
})
