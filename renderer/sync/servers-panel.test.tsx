// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SyncServer } from '../../common/contracts/sync-contract.ts'
import { AppError } from '../../common/errors.ts'
import { ServersPanel } from './servers-panel.tsx'
import { SERVER, renderWithSync } from './sync.test-helper.tsx'

afterEach(cleanup)

describe('ServersPanel', () => {
  it('adds a server after its connection test and shows the version and user', async () => {
    const user = userEvent.setup()
    let servers: SyncServer[] = []
    const check = { ok: true, serverVersion: '0.1.0', user: { id: 'u1', name: 'ada', role: 'user' as const }, error: null }
    const addServer = vi.fn(async () => {
      servers = [SERVER]
      return { server: SERVER, check }
    })
    renderWithSync(<ServersPanel />, { listServers: vi.fn(async () => servers), addServer })
    expect(await screen.findByText(/No servers yet/)).toBeTruthy()
    await user.type(screen.getByLabelText('Server URL'), 'http://127.0.0.1:8787')
    await user.type(screen.getByLabelText('Token'), 'ep_secret')
    await user.click(screen.getByRole('button', { name: 'Test and add' }))
    expect(addServer).toHaveBeenCalledWith({ url: 'http://127.0.0.1:8787', token: 'ep_secret' })
    expect((await screen.findByTestId('servers-note')).textContent).toBe('Added prod. Connected: Edgepad 0.1.0 as ada (user)')
    expect(screen.getByTestId('server-identity').textContent).toBe('Edgepad 0.1.0 · as ada')
  })

  it('keeps the form when the connection test fails, and tests and removes a configured server', async () => {
    const user = userEvent.setup()
    const removeServer = vi.fn(async () => ({ removed: true as const }))
    const testServer = vi.fn(async () => ({ ok: false, serverVersion: null, user: null, error: { code: 'unauthorized', message: 'token refused' } }))
    renderWithSync(<ServersPanel />, { addServer: vi.fn(async () => Promise.reject(new AppError('unavailable', 'connect ECONNREFUSED'))), testServer, removeServer })
    await user.type(screen.getByLabelText('Server URL'), 'http://127.0.0.1:1')
    await user.type(screen.getByLabelText('Token'), 'x')
    await user.click(screen.getByRole('button', { name: 'Test and add' }))
    expect((await screen.findByRole('alert')).textContent).toBe('Could not add the server: connect ECONNREFUSED')
    expect((screen.getByLabelText('Server URL') as HTMLInputElement).value).toBe('http://127.0.0.1:1')

    await user.click(screen.getByRole('button', { name: 'Test prod' }))
    expect((await screen.findByTestId('server-check')).textContent).toBe('Failed: token refused')
    await user.click(screen.getByRole('button', { name: 'Remove prod' }))
    await user.click(screen.getByRole('button', { name: 'Remove' }))
    expect(removeServer).toHaveBeenCalledWith({ serverId: 's1' })
  })
})
