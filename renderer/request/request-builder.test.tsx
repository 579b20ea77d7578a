// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_REQUEST, type RequestSpec } from '../../common/ide/request-spec.ts'
import { RequestBuilder } from './request-builder.tsx'

afterEach(cleanup)

function Harness({ onRun, copy, initial = DEFAULT_REQUEST }: { onRun: (spec: RequestSpec) => void; copy?: (text: string) => Promise<void>; initial?: RequestSpec }) {
  const [spec, setSpec] = useState(initial)
  return <RequestBuilder value={spec} onChange={setSpec} onRun={() => onRun(spec)} running={false} baseUrl="http://127.0.0.1:8787/fn/x" copy={copy} />
}

describe('RequestBuilder', () => {
  it('builds a POST with query, header and JSON body and runs it', async () => {
    const user = userEvent.setup()
    const onRun = vi.fn()
    render(<Harness onRun={onRun} />)
    await user.selectOptions(screen.getByLabelText('Method'), 'POST')
    await user.clear(screen.getByLabelText('Path'))
    await user.type(screen.getByLabelText('Path'), '/items')
    await user.click(screen.getByRole('button', { name: '+ Add query param' }))
    await user.type(screen.getByLabelText('Query params 1 name'), 'page')
    await user.type(screen.getByLabelText('Query params 1 value'), '2')
    await user.click(screen.getByRole('button', { name: '+ Add header' }))
    await user.type(screen.getByLabelText('Headers 1 name'), 'x-key')
    await user.type(screen.getByLabelText('Headers 1 value'), 'abc')
    await user.click(screen.getByRole('radio', { name: 'JSON' }))
    // userEvent treats { and [ as key descriptors; doubling escapes them.
    await user.type(screen.getByLabelText('Body'), '{{"n":1}')
    await user.click(screen.getByRole('button', { name: 'Run' }))
    expect(onRun).toHaveBeenCalledWith({
      method: 'POST',
      path: '/items',
      query: [{ name: 'page', value: '2', enabled: true }],
      headers: [{ name: 'x-key', value: 'abc', enabled: true }],
      bodyType: 'json',
      body: '{"n":1}',
    })
  })

  it('refuses to run an invalid JSON body and says why', async () => {
    const user = userEvent.setup()
    const onRun = vi.fn()
    render(<Harness onRun={onRun} initial={{ ...DEFAULT_REQUEST, method: 'POST', bodyType: 'json', body: '' }} />)
    await user.type(screen.getByLabelText('Body'), '{{"n":')
    expect(screen.getByRole('alert').textContent).toMatch(/not valid JSON/)
    expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(true)
    await user.type(screen.getByLabelText('Body'), '1}')
    expect(screen.queryByRole('alert')).toBeNull()
    expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(false)
  })

  it('copies the request as curl', async () => {
    const user = userEvent.setup()
    const copy = vi.fn(async () => {})
    render(<Harness onRun={() => {}} copy={copy} initial={{ ...DEFAULT_REQUEST, path: '/hi', query: [{ name: 'name', value: 'ada', enabled: true }] }} />)
    await user.click(screen.getByRole('button', { name: 'Copy as curl' }))
    expect(copy).toHaveBeenCalledWith(`curl -X GET 'http://127.0.0.1:8787/fn/x/hi?name=ada'`)
    expect(screen.getByRole('button', { name: 'Copied' })).toBeTruthy()
  })
})
