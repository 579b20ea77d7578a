/// <reference types="vite/client" />
import type { EdgepadBridge } from '../common/contracts/bridge.ts'

declare global {
  interface Window {
    /** Present only inside the desktop app (set by the preload). */
    edgepad?: EdgepadBridge
  }
}
