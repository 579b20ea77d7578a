// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { QueueItem } from '../../common/contracts/sync-contract.ts'
import { QueueList } from './queue-list.tsx'
import { renderWithSync } from './sync.test-helper.tsx'

afterEach(cleanup)

const item = (patch: Partial<QueueItem>): QueueItem => ({
  id: 'q1',
  functionId: 'f1',
  functionName: 'hello',
  serverId: 's1',
  serverName: 'prod',
  state: 'pending',
  attempts: 2,
  nextAttemptAt: Date.now() + 30_000,
  lastError: 'connect ECONNREFUSED',
  sendEnvVars: ['API_KEY'],
  remoteFunctionId: null,
  remoteVersion: null,
  createdAt: 0,
  updatedAt: 0,
  ...patch,
})

describe('QueueList', () => {
  it('lists pending publishes with their retry state and cancels one', async () => {
    const user = userEvent.setup()
    let items = [item({}), item({ id: 'q2', functionName: 'other', state: 'delivering', nextAttemptAt: null })]
    const cancelQueued = vi.fn(async ({ id }: { id: string }) => {
      items = items.filter((i) => i.id !== id)
      return item({ id, state: 'cancelled' })
    })
    const listQueue = vi.fn(async () => items)
    renderWithSync(<QueueList />, { listQueue, cancelQueued })

    const rows = await screen.findAllByTestId('queue-item')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.textContent).toMatch(/hello→ prodpending · 2 attempts · next attempt in (29|30)s/)
    expect(rows[0]!.textContent).toContain('sends API_KEY')
    expect(rows[1]!.textContent).toContain('sending now…')
    // Only pending items can be cancelled: one being delivered is already on its way.
    expect(within(rows[1]!).queryByRole('button', { name: /Cancel/ })).toBeNull()

    await user.click(screen.getByRole('button', { name: 'Cancel publish of hello' }))
    expect(cancelQueued).toHaveBeenCalledWith({ id: 'q1' })
    expect(await screen.findAllByTestId('queue-item')).toHaveLength(1)
  })

  it('shows finished items (delivered, conflict) on request', async () => {
    const user = userEvent.setup()
    const listQueue = vi.fn(async ({ includeFinished }: { includeFinished?: boolean }) =>
      includeFinished ? [item({ state: 'delivered', remoteVersion: 7, nextAttemptAt: null }), item({ id: 'q2', state: 'conflict', nextAttemptAt: null })] : [],
    )
    renderWithSync(<QueueList />, { listQueue })
    expect(await screen.findByText('No queued publishes.')).toBeTruthy()
    await user.click(screen.getByRole('checkbox', { name: 'Show finished' }))
    expect(await screen.findByText('delivered as v7')).toBeTruthy()
    expect(screen.getByText(/changed on the server meanwhile/)).toBeTruthy()
    expect(listQueue).toHaveBeenLastCalledWith({ includeFinished: true })
  })
})
