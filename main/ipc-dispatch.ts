import { ipcMain, type WebContents } from 'electron'
import { IPC_CHANNELS, type BridgeReply } from '../common/contracts/bridge.ts'
import { toWireError } from '../common/contracts/rpc.ts'
import { isAppError } from '../common/errors.ts'

/**
 * One IPC handler for every service call. Only the main frame of our own window may call:
 * a sub-frame or a navigated page gets `forbidden` before any service sees the call.
 */
export function registerIpc(call: (service: string, method: string, input: unknown) => Promise<unknown>, isTrusted: (contents: WebContents, frameUrl: string) => boolean): () => void {
  ipcMain.handle(IPC_CHANNELS.call, async (event, service: unknown, method: unknown, input: unknown): Promise<BridgeReply> => {
    const frame = event.senderFrame
    if (!frame || frame !== event.sender.mainFrame || !isTrusted(event.sender, frame.url)) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the Edgepad window' } }
    }
    if (typeof service !== 'string' || typeof method !== 'string') {
      return { ok: false, error: { code: 'validation_failed', message: 'service and method must be strings' } }
    }
    try {
      return { ok: true, result: await call(service, method, input) }
    } catch (error) {
      if (!isAppError(error)) console.error('[main] service failed', error)
      return { ok: false, error: toWireError(error) }
    }
  })
  return () => ipcMain.removeHandler(IPC_CHANNELS.call)
}
