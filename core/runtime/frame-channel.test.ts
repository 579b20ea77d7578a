import { spawn } from 'node:child_process'
import type { Readable } from 'node:stream'
import { serialize } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { createFrameReader, rest } from './frame-channel.ts'

const frameOf = (message: unknown) => {
  const body = serialize(message)
  const header = Buffer.alloc(4)
  header.writeUInt32BE(body.byteLength)
  return Buffer.concat([header, body])
}

describe('side-channel frames', () => {
  it('reads frames whatever the chunking: split headers, several frames per chunk, one byte at a time', () => {
    const messages = [{ type: 'rows', payload: new Uint8Array(70_000).fill(7) }, { type: 'synced', id: 1 }, 'x'.repeat(3), { ids: ['a', 'b'] }]
    const stream = Buffer.concat(messages.map(frameOf))
    for (const size of [1, 3, 4, 5, 1000, 65_536, stream.byteLength]) {
      const got: unknown[] = []
      const read = createFrameReader()
      for (let i = 0; i < stream.byteLength; i += size) got.push(...read(stream.subarray(i, i + size)))
      expect(got).toEqual(messages)
    }
  })

  it('resumes a partial write where it stopped: mid-header, at the boundary, mid-body', () => {
    const parts = [Buffer.from('abcd'), Buffer.from('efghij')]
    for (let written = 0; written <= 10; written++) expect(Buffer.concat(rest(parts, written)).toString()).toBe('abcdefghij'.slice(written))
    expect(rest(parts, 10)).toEqual([])
  })

  it('refuses a frame length no message has (a corrupt stream)', () => {
    const read = createFrameReader()
    expect(() => read(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(/corrupt/)
  })

  it("delivers what a worker wrote even though that worker's event loop never runs again", async () => {
    // IPC would hold these in the child's user-space queue forever: its loop is blocked below.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { writeFrameSync } from ${JSON.stringify(new URL('./frame-channel.ts', import.meta.url).href)}
         for (let i = 0; i < 8; i++) writeFrameSync(4, { i, payload: new Uint8Array(600_000).fill(i) })
         for (;;) {}`,
      ],
      { stdio: ['ignore', 'inherit', 'inherit', 'ignore', 'pipe'] },
    )
    try {
      const got: { i: number; payload: Uint8Array }[] = []
      const read = createFrameReader()
      await new Promise<void>((resolve, reject) => {
        ;(child.stdio[4] as Readable).on('data', (chunk: Buffer) => {
          got.push(...(read(chunk) as { i: number; payload: Uint8Array }[]))
          if (got.length === 8) resolve()
        })
        child.once('exit', (code) => reject(new Error(`the writer exited early (${code})`)))
      })
      expect(got.map((m) => [m.i, m.payload.byteLength, m.payload[599_999]])).toEqual(Array.from({ length: 8 }, (_, i) => [i, 600_000, i]))
    } finally {
      child.kill('SIGKILL')
    }
  })
})
