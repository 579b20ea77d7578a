import type { WireError } from './rpc.ts'

/** What a call answers across IPC: an envelope, because Electron flattens rejected errors to strings. */
export type BridgeReply = { ok: true; result: unknown } | { ok: false; error: WireError }

/** The whole surface the desktop preload exposes to the renderer (`window.edgepad`). */
export interface EdgepadBridge {
  call(service: string, method: string, input: unknown): Promise<BridgeReply>
  listen(event: string, listener: (payload: unknown) => void): () => void
}

/** The two IPC channels; only main and preload use them, UI code never writes channel strings. */
export const IPC_CHANNELS = { call: 'edgepad:call', event: 'edgepad:event' } as const
