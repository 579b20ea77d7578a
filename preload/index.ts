import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_CHANNELS, type BridgeReply, type EdgepadBridge } from '../common/contracts/bridge.ts'

// The renderer gets exactly two functions; no ipcRenderer, no Node, no channel names.
const bridge: EdgepadBridge = {
  call: (service, method, input) => ipcRenderer.invoke(IPC_CHANNELS.call, service, method, input) as Promise<BridgeReply>,
  listen(event, listener) {
    const handler = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(IPC_CHANNELS.event, handler)
    return () => ipcRenderer.off(IPC_CHANNELS.event, handler)
  },
}

contextBridge.exposeInMainWorld('edgepad', bridge)
