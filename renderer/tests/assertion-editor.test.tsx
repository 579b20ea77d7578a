// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Assertion } from '../../common/ide/test-case.ts'
import { AssertionEditor } from './assertion-editor.tsx'

afterEach(cleanup)

function Harness({ spy, snapshotBody = null }: { spy: (a: Assertion[]) => void; snapshotBody?: string | null }) {
  const [assertions, setAssertions] = useState<Assertion[]>([])
  return (
    <AssertionEditor
      assertions={assertions}
      snapshotBody={snapshotBody}
      onChange={(next) => {
        spy(next)
        setAssertions(next)
      }}
    />
  )
}

describe('AssertionEditor', () => {
  it('adds status, JSON path and duration assertions and lists them', async () => {
    const user = userEvent.setup()
    const spy = vi.fn()
    render(<Harness spy={spy} />)
    await user.type(screen.getByLabelText('Status'), '201')
    await user.click(screen.getByRole('button', { name: 'Add assertion' }))
    await user.selectOptions(screen.getByLabelText('Assertion kind'), 'json_path_equals')
    await user.type(screen.getByLabelText('JSON path'), '$.name')
    await user.type(screen.getByLabelText('Expected JSON'), '"pear"')
    await user.click(screen.getByRole('button', { name: 'Add assertion' }))
    await user.selectOptions(screen.getByLabelText('Assertion kind'), 'duration_max')
    await user.type(screen.getByLabelText('Max ms'), '500')
    await user.click(screen.getByRole('button', { name: 'Add assertion' }))
    expect(spy).toHaveBeenLastCalledWith([
      { kind: 'status_equals', value: 201 },
      { kind: 'json_path_equals', path: '$.name', value: '"pear"' },
      { kind: 'duration_max', ms: 500 },
    ])
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['status = 201 ×', '$.name = "pear" ×', 'duration ≤ 500 ms ×'])
  })

  it('rejects an out-of-range status with the schema’s message and adds nothing', async () => {
    const user = userEvent.setup()
    const spy = vi.fn()
    render(<Harness spy={spy} />)
    await user.type(screen.getByLabelText('Status'), '42')
    await user.click(screen.getByRole('button', { name: 'Add assertion' }))
    expect(screen.getByRole('alert').textContent).toMatch(/value/)
    expect(spy).not.toHaveBeenCalled()
  })

  it('takes the snapshot from the last run’s body, and refuses before any run', async () => {
    const user = userEvent.setup()
    const spy = vi.fn()
    const { rerender } = render(<Harness spy={spy} />)
    await user.selectOptions(screen.getByLabelText('Assertion kind'), 'snapshot')
    await user.click(screen.getByRole('button', { name: 'Add assertion' }))
    expect(screen.getByRole('alert').textContent).toMatch(/Run the request first/)
    rerender(<Harness spy={spy} snapshotBody="Hello, ada!" />)
    await user.click(screen.getByRole('button', { name: 'Add assertion' }))
    expect(spy).toHaveBeenLastCalledWith([{ kind: 'snapshot', value: 'Hello, ada!' }])
  })
})
