// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../common/errors.ts'
import { PublishDialog } from './publish-dialog.tsx'
import { FN, SERVER, conflictOf, preview, renderWithSync, result } from './sync.test-helper.tsx'

afterEach(cleanup)

const dialog = (props: Partial<Parameters<typeof PublishDialog>[0]> = {}) => (
  <PublishDialog fn={FN} defaultServerId={null} onClose={() => {}} onPulled={() => {}} onManageServers={() => {}} {...props} />
)

describe('PublishDialog', () => {
  it('shows the code diff, config and env changes, warns about a missing variable until its value is sent', async () => {
    const user = userEvent.setup()
    const publish = vi.fn(async () => result({ publicUrls: ['http://127.0.0.1:8787/fn/r1', 'http://hello.example.test/'] }))
    const copy = vi.fn(async () => {})
    const { sync } = renderWithSync(dialog({ copy }), { previewPublish: vi.fn(async () => preview()), publish })

    expect(await screen.findByTestId('diff-summary')).toHaveProperty('textContent', '+1 −1 lines')
    const diff = screen.getByRole('figure', { name: 'Code diff (remote → local)' })
    expect([...diff.querySelectorAll('[data-kind]')].map((l) => l.textContent)).toEqual(['  a', '- b', '+ b2', '  c'])
    expect(within(screen.getByRole('table', { name: 'Config changes' })).getByText('Timeout (ms)').closest('tr')!.textContent).toBe('Timeout (ms)100005000')
    expect(screen.getByText('added (not on the server)')).toBeTruthy()
    expect(screen.getByText('removed locally, kept on the server')).toBeTruthy()
    expect(screen.getByTestId('missing-env-warning').textContent).toContain('env.API_KEY')

    await user.click(screen.getByRole('checkbox', { name: 'Send value of API_KEY' }))
    expect(screen.queryByTestId('missing-env-warning')).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Publish' }))
    expect(publish).toHaveBeenCalledWith({ functionId: 'f1', serverId: 's1', sendEnvVars: ['API_KEY'], onConflict: 'cancel', expectedRemoteVersion: 3 })
    expect(sync.previewPublish).toHaveBeenCalledWith({ functionId: 'f1', serverId: SERVER.id })

    expect(await screen.findByTestId('publish-status')).toHaveProperty('textContent', 'Published: remote version v4 is active.')
    expect(screen.getAllByTestId('public-url').map((u) => u.textContent)).toEqual(['http://127.0.0.1:8787/fn/r1', 'http://hello.example.test/'])
    await user.click(screen.getByRole('button', { name: 'Copy http://hello.example.test/' }))
    await user.click(screen.getByRole('button', { name: 'Copy as curl' }))
    expect(copy.mock.calls).toEqual([['http://hello.example.test/'], ["curl -i 'http://127.0.0.1:8787/fn/r1'"]])
  })

  it('says an unchanged function is a no-op and offers nothing to publish unless a value is sent', async () => {
    const user = userEvent.setup()
    renderWithSync(dialog(), { previewPublish: vi.fn(async () => preview({ unchanged: true, code: { local: 'x', remote: 'x', diff: '' }, configChanges: [], envVarsMissingRemotely: [] })) })
    expect((await screen.findByTestId('publish-unchanged')).textContent).toMatch(/^Unchanged: .*v3/)
    expect(screen.getByText('Code unchanged.')).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Publish' }) as HTMLButtonElement).disabled).toBe(true)
    await user.click(screen.getByRole('checkbox', { name: 'Send value of GREETING' }))
    expect(screen.queryByTestId('publish-unchanged')).toBeNull()
    expect((screen.getByRole('button', { name: 'Publish' }) as HTMLButtonElement).disabled).toBe(false)
  })

  it('on conflict shows both sides; overwrite republishes with onConflict=overwrite', async () => {
    const user = userEvent.setup()
    const publish = vi.fn(async () => result({ remoteVersion: 6 }))
    renderWithSync(dialog(), { previewPublish: vi.fn(async () => preview({ conflict: conflictOf('remote code') })), publish })
    expect(await screen.findByLabelText('Local code')).toHaveProperty('textContent', 'local code')
    expect(screen.getByLabelText('Remote code').textContent).toBe('remote code')
    expect(screen.getByRole('alert').textContent).toMatch(/active version is v5.*last synced at v3/)
    expect(within(screen.getByRole('table', { name: 'Config differences' })).getByText('remote: 2000')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Overwrite remote' }))
    expect(publish).toHaveBeenCalledWith(expect.objectContaining({ onConflict: 'overwrite', sendEnvVars: [] }))
    expect(await screen.findByTestId('publish-status')).toHaveProperty('textContent', 'Published: remote version v6 is active.')
  })

  it('pull remote into local hands the pulled function back and names remote-only variables', async () => {
    const user = userEvent.setup()
    const onPulled = vi.fn()
    const pulled = { ...FN, code: 'remote code', activeVersion: 3 }
    const pull = vi.fn(async () => ({ function: pulled, versionCreated: true, link: { remoteVersion: 5 }, envVarsOnlyRemote: ['OLD'] }))
    renderWithSync(dialog({ onPulled }), { previewPublish: vi.fn(async () => preview({ conflict: conflictOf('remote code') })), pull })
    await user.click(await screen.findByRole('button', { name: 'Pull remote into local' }))
    expect(pull).toHaveBeenCalledWith({ functionId: 'f1', serverId: 's1' })
    expect(onPulled).toHaveBeenCalledWith(pulled)
    expect((await screen.findByTestId('publish-pulled')).textContent).toMatch(/Pulled remote v5 .*local version 3.*OLD/)
  })

  it('a conflict reported by publish itself (the remote moved after the preview) switches to the conflict view', async () => {
    const user = userEvent.setup()
    const publish = vi.fn(async () => result({ status: 'conflict', conflict: conflictOf('moved'), remoteVersion: null }))
    renderWithSync(dialog(), { previewPublish: vi.fn(async () => preview()), publish })
    await user.click(await screen.findByRole('button', { name: 'Publish' }))
    expect((await screen.findByLabelText('Remote code')).textContent).toBe('moved')
  })

  it('when the server is unreachable it offers to queue, and says the publish is queued', async () => {
    const user = userEvent.setup()
    const publish = vi.fn(async () => result({ status: 'queued', remoteVersion: null, publicUrls: [], curl: null }))
    renderWithSync(dialog(), { previewPublish: vi.fn(async () => Promise.reject(new AppError('unavailable', 'connect ECONNREFUSED'))), publish })
    expect((await screen.findByTestId('publish-offline')).textContent).toContain('ECONNREFUSED')
    await user.click(screen.getByRole('button', { name: 'Queue publish' }))
    expect(publish).toHaveBeenCalledWith({ functionId: 'f1', serverId: 's1', sendEnvVars: [], onConflict: 'cancel' })
    expect((await screen.findByTestId('publish-status')).textContent).toMatch(/queued/)
  })

  it('with no server configured it points to adding one', async () => {
    const user = userEvent.setup()
    const onManageServers = vi.fn()
    renderWithSync(dialog({ onManageServers }), { listServers: vi.fn(async () => []) })
    await user.click(await screen.findByRole('button', { name: 'Add a server…' }))
    expect(onManageServers).toHaveBeenCalled()
  })
})
