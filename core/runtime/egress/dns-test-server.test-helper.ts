import { createSocket, type Socket } from 'node:dgram'
import dnsPacket from 'dns-packet'

export type Answers = (name: string, type: 'A' | 'AAAA', queryCount: number) => string[]

/** A real DNS server on 127.0.0.1 for tests: answers A/AAAA queries from a function, counts queries. */
export async function startDnsServer(answers: Answers): Promise<{ address: string; queries: Map<string, number>; close(): Promise<void> }> {
  const socket: Socket = createSocket('udp4')
  const queries = new Map<string, number>()
  socket.on('message', (message, remote) => {
    const query = dnsPacket.decode(message)
    const question = query.questions?.[0]
    if (!question || (question.type !== 'A' && question.type !== 'AAAA')) return
    const key = `${question.name}/${question.type}`
    const count = (queries.get(key) ?? 0) + 1
    queries.set(key, count)
    const records = answers(question.name, question.type, count)
    const reply = dnsPacket.encode({
      id: query.id,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: query.questions,
      answers: records.map((data) => ({ type: question.type, class: 'IN', name: question.name, ttl: 1, data })) as dnsPacket.Answer[],
    })
    socket.send(reply, remote.port, remote.address)
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address()
  return { address: `127.0.0.1:${port}`, queries, close: () => new Promise((resolve) => socket.close(() => resolve())) }
}
