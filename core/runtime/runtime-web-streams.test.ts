import { describe, expect, it } from 'vitest'
import { json, text, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime()

describe('streams and bodies', () => {
  it('returns a Response built from a ReadableStream', async () => {
    const result = await rt.run(`export default { fetch() {
      const enc = new TextEncoder()
      let i = 0
      const stream = new ReadableStream({ pull(c) { if (i < 3) c.enqueue(enc.encode('chunk' + i++ + ';')); else c.close() } })
      return new Response(stream, { headers: { 'content-type': 'text/plain' } })
    } }`)
    expect(result.outcome).toBe('ok')
    expect(text(result)).toBe('chunk0;chunk1;chunk2;')
  })

  it('streams through a TransformStream written after the response is returned', async () => {
    const result = await rt.run(`export default { fetch() {
      const { readable, writable } = new TransformStream()
      const writer = writable.getWriter()
      const enc = new TextEncoder()
      ;(async () => { for (const w of ['a', 'b', 'c']) { await new Promise((r) => setTimeout(r, 5)); await writer.write(enc.encode(w)) } await writer.close() })()
      return new Response(readable.pipeThrough(new TextDecoderStream()).pipeThrough(new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()) } })).pipeThrough(new TextEncoderStream()))
    } }`)
    expect(text(result)).toBe('ABC')
  })

  it('request.body is a stream in the fetch form and passes straight into a Response', async () => {
    const result = await rt.run(`export default { async fetch(request) {
      const isStream = request.body instanceof ReadableStream
      const echo = new Response(request.body, { headers: { 'x-stream': String(isStream) } })
      return new Response(await echo.text() + '|' + echo.headers.get('x-stream'))
    } }`, { method: 'POST', body: 'hello' })
    expect(text(result)).toBe('hello|true')
  })

  it('caps a streamed response at the response size limit', async () => {
    const result = await rt.run(`export default { fetch() {
      const chunk = new Uint8Array(1024 * 1024)
      return new Response(new ReadableStream({ pull(c) { c.enqueue(chunk) } }))
    } }`)
    expect(result.outcome).toBe('response_too_large')
  })

  it('reads formData (urlencoded and multipart), blob and clone', async () => {
    const result = await rt.run(`export default { async fetch(request) {
      const fd = new FormData()
      fd.append('name', 'Ada')
      fd.append('file', new File(['hello file'], 'a.txt', { type: 'text/plain' }))
      const multipart = new Request('http://x/', { method: 'POST', body: fd })
      const parsed = await multipart.clone().formData()
      const file = parsed.get('file')
      const urlencoded = await new Response('a=1&b=two+words').formData().catch((e) => e.name)
      const typed = await new Response(new URLSearchParams({ a: '1', b: 'two words' })).formData()
      const blob = await new Response('bytes!').blob()
      return Response.json({ name: parsed.get('name'), file: [file.name, file.type, await file.text()], urlencoded,
        typed: [...typed], blob: [blob.size, blob.type, await blob.text()], ct: multipart.headers.get('content-type').split(';')[0] })
    } }`)
    expect(json(result)).toEqual({ name: 'Ada', file: ['a.txt', 'text/plain', 'hello file'], urlencoded: 'TypeError', typed: [['a', '1'], ['b', 'two words']], blob: [6, 'text/plain;charset=utf-8', 'bytes!'], ct: 'multipart/form-data' })
  })
})
