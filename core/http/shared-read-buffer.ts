import { Socket } from 'node:net'

/** One per process: a read's bytes are copied out of it before the next read can land. */
const shared = Buffer.allocUnsafe(64 * 1024)

/** The private fields of net.Socket this relies on (Node 24; the test beside this file checks them). */
interface Wrapped {
  _handle: { readStop(): number; reading?: boolean } | null
}

/**
 * Re-wraps a connection that has read nothing yet so that its reads land in one shared buffer
 * (net's `onread` option) and reach 'data' listeners as small copies, instead of each read
 * allocating a fresh 64 KB ArrayBuffer that lives until a scavenge sweeps it.
 *
 * Why: our HTTP/1.1 path listens to 'data', and node:http, which reads into a buffer of its own,
 * never paid this. On a minimal keep-alive server under wrk on this machine, per-read buffers cost
 * ~4 µs of CPU per request (18-21 against 14-15 µs) and 3-4 times the scavenge time. A copy of a
 * small read comes out of Buffer's pool instead.
 *
 * The socket stays a plain net.Socket for everyone else: node:http, once it is handed the
 * connection, consumes the handle and parses from its own buffer; pause() and resume() stop and
 * start reading as before. Returns `socket` itself when it cannot be re-wrapped safely (it has
 * buffered or read bytes, or it has no handle).
 */
export function withSharedReadBuffer(socket: Socket): Socket {
  const old = socket as unknown as Wrapped
  const handle = old._handle
  if (!handle || socket.destroyed || socket.readableLength > 0 || socket.bytesRead > 0) return socket
  // The IPC hand-off started reading; nothing has been read before this turn ends.
  handle.reading = false
  handle.readStop()
  old._handle = null
  const wrapped: Socket = new Socket({
    handle,
    readable: true,
    writable: true,
    onread: {
      buffer: shared,
      // Returns nothing: `false` would pause the socket.
      callback: (bytes: number, buffer: Uint8Array): void => {
        wrapped.emit('data', Buffer.from(buffer.subarray(0, bytes)))
      },
    },
    // `handle` is net's private option for wrapping a handle it already has (as its own servers do).
  } as unknown as ConstructorParameters<typeof Socket>[0])
  // Whoever watched the original for its end (child_process counts the connections a parent sent
  // for that parent's server.close()) still sees it.
  wrapped.once('close', (hadError: boolean) => socket.emit('close', hadError))
  return wrapped
}
