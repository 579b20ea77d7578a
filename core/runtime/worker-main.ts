/**
 * Entry of a runtime worker process (plain Node, so isolated-vm's prebuilt binary loads). It owns
 * the isolates; the supervisor in the host process owns it, and replaces it if it dies or wedges.
 */
import type { Socket } from 'node:net'
import type { FunctionSpec } from '../../common/model/invocation.ts'
import { egressPolicySchema } from './egress/egress-policy.ts'
import { Executor } from './executor.ts'
import { writeFrameSync } from './frame-channel.ts'
import { createMessageBatcher, unbatch, type Batch } from './message-batcher.ts'
import type { FromWorker, ToWorker } from './worker-protocol.ts'

const send = createMessageBatcher<FromWorker>((message) => process.send?.(message))

/** Specs the supervisor sent, kept apart from isolates so an evicted function can come back without a round trip. */
const specs = new Map<string, FunctionSpec>()
const MAX_SPECS = 5000

function rememberSpec(key: string, spec: FunctionSpec): void {
  specs.delete(key)
  specs.set(key, spec)
  if (specs.size > MAX_SPECS) specs.delete(specs.keys().next().value!)
}

const executor = await Executor.create({
  maxWarm: Number(process.env.EDGEPAD_MAX_WARM) || undefined,
  idleMs: Number(process.env.EDGEPAD_IDLE_MS) || undefined,
  spareSandboxes: process.env.EDGEPAD_SPARE_SANDBOXES ? Number(process.env.EDGEPAD_SPARE_SANDBOXES) : undefined,
  egress: egressPolicySchema.parse(JSON.parse(process.env.EDGEPAD_EGRESS_POLICY ?? '{"allowPrivateNetworks":false}')),
})

/** The front reports on the side channel (fd 4, see frame-channel.ts); a host that stopped reading it is gone. */
const SIDE_FD = 4
function toHost(message: unknown): void {
  try {
    writeFrameSync(SIDE_FD, message)
  } catch (error) {
    process.stderr.write(`edgepad worker: the host stopped reading (${(error as Error).message}); exiting\n`)
    process.exit(0)
  }
}
/** Batched per turn: one write for everything a turn reports. */
const sendFront = createMessageBatcher<unknown>(toHost)

/** The server's HTTP front, loaded on its first message: the IDE's workers never have one. */
let front: Promise<{ receive(message: never, handle?: Socket): void }> | null = null

process.on('message', (message: ToWorker | Batch<ToWorker>, socket?: Socket) => unbatch(message, (m) => handle(m, socket)))

function handle(message: ToWorker, socket?: Socket): void {
  switch (message.type) {
    case 'invoke': {
      if (message.spec) rememberSpec(message.key, message.spec)
      const spec = specs.get(message.key)
      if (!spec) return send({ type: 'missing-spec', id: message.id })
      const { id } = message
      void executor
        .run(spec, message.request, message.key, (final) => {
          if (final.background) send({ type: 'final', id, result: final })
        })
        .then((result) => send({ type: 'result', id, result }))
      return
    }
    case 'check':
      void executor.check(message.spec).then((result) => send({ type: 'result', id: message.id, result }))
      return
    case 'stats': {
      const memory = process.memoryUsage()
      send({ type: 'stats', id: message.id, stats: { ...executor.stats(), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, pid: process.pid } })
      return
    }
    case 'front':
      front ??= import('../http/worker-front.ts').then(({ createWorkerFront }) =>
        createWorkerFront(executor, sendFront, toHost, (error) => process.stderr.write(`edgepad worker front: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)),
      )
      // Promise callbacks run in order, so the front sees its messages in the order they came.
      void front.then((f) => f.receive(message.message as never, socket))
      return
    case 'shutdown':
      executor.close()
      process.exit(0)
  }
}

// The supervisor going away means nobody will read our results.
process.on('disconnect', () => process.exit(0))
// Beats stop only while guest code holds this thread; the supervisor uses that to spot a wedged worker.
setInterval(() => process.send?.({ type: 'beat' }), Number(process.env.EDGEPAD_HEARTBEAT_MS) || 250)
send({ type: 'ready', pid: process.pid })
