import type { EdgepadBridge } from '../../common/contracts/bridge.ts'
import { fromWireError, type Transport } from '../../common/contracts/rpc.ts'

export function ipcTransport(bridge: EdgepadBridge): Transport {
  return {
    async call(service, method, input) {
      const reply = await bridge.call(service, method, input)
      if (!reply.ok) throw fromWireError(reply.error)
      return reply.result
    },
    listen: (event, listener) => bridge.listen(event, listener),
  }
}
