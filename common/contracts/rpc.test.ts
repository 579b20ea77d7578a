import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { defineContract, method } from './contract.ts'
import { createRouter, fromService, fromWireError, toService, toWireError, type Transport } from './rpc.ts'

const greeter = defineContract('greeter', {
  greet: method(z.object({ name: z.string().min(1), times: z.number().int().default(1) }).strict()).returns<string>(),
})

const router = createRouter({
  greeter: fromService(greeter, {
    async greet({ name, times }) {
      if (name === 'boom') throw new Error('host detail /etc/secret')
      if (name === 'nobody') throw new AppError('not_found', 'no such person')
      return `hi ${name}`.repeat(times)
    },
  }),
})

/** A transport that round-trips through JSON, as IPC and HTTP do. */
const transport: Transport = {
  async call(service, methodName, input) {
    try {
      return JSON.parse(JSON.stringify(await router(service, methodName, JSON.parse(JSON.stringify(input)))))
    } catch (error) {
      throw fromWireError(JSON.parse(JSON.stringify(toWireError(error))))
    }
  },
  listen: () => () => {},
}

describe('one service over any transport', () => {
  it('calls through a typed client with defaults applied on the host', async () => {
    const client = toService(transport, greeter)
    await expect(client.greet({ name: 'ada' })).resolves.toBe('hi ada')
    await expect(client.greet({ name: 'ada', times: 2 })).resolves.toBe('hi adahi ada')
  })

  it('rejects invalid arguments with validation_failed naming the field', async () => {
    const client = toService(transport, greeter)
    await expect(client.greet({ name: '' })).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'name' }] })
    await expect(transport.call('greeter', 'greet', { name: 'a', extra: 1 })).rejects.toMatchObject({ code: 'validation_failed' })
  })

  it('accepts only listed methods and services, including inherited names', async () => {
    await expect(transport.call('greeter', 'toString', {})).rejects.toMatchObject({ code: 'not_found' })
    await expect(transport.call('greeter', '__proto__', {})).rejects.toMatchObject({ code: 'not_found' })
    await expect(transport.call('constructor', 'greet', {})).rejects.toMatchObject({ code: 'not_found' })
  })

  it('keeps AppError codes and hides unexpected errors’ messages', async () => {
    const client = toService(transport, greeter)
    await expect(client.greet({ name: 'nobody' })).rejects.toMatchObject({ code: 'not_found', message: 'no such person' })
    const error = await client.greet({ name: 'boom' }).catch((e: unknown) => e as AppError)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ code: 'internal', message: 'Internal error' })
  })
})
