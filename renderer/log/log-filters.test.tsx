// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { logQuerySchema } from '../../common/model/invocation-log.ts'
import { EMPTY_FILTERS, LogFilters, toLogQuery } from './log-filters.tsx'

afterEach(cleanup)

describe('LogFilters', () => {
  it('applies the filters on submit, not on every key', async () => {
    const user = userEvent.setup()
    const onApply = vi.fn()
    render(<LogFilters value={EMPTY_FILTERS} onApply={onApply} />)
    await user.type(screen.getByLabelText('Search log'), 'greeting ada')
    await user.selectOptions(screen.getByLabelText('Outcome'), 'runtime_error')
    await user.selectOptions(screen.getByLabelText('Method filter'), 'POST')
    await user.type(screen.getByLabelText('Status from'), '500')
    expect(onApply).not.toHaveBeenCalled()
    await user.click(screen.getByRole('button', { name: 'Apply' }))
    expect(onApply).toHaveBeenCalledWith({ ...EMPTY_FILTERS, text: 'greeting ada', outcome: 'runtime_error', method: 'POST', statusMin: '500' })
  })

  it('Clear resets the form and applies the empty filters', async () => {
    const user = userEvent.setup()
    const onApply = vi.fn()
    render(<LogFilters value={{ ...EMPTY_FILTERS, text: 'x' }} onApply={onApply} />)
    await user.click(screen.getByRole('button', { name: 'Clear' }))
    expect(onApply).toHaveBeenCalledWith(EMPTY_FILTERS)
    expect((screen.getByLabelText('Search log') as HTMLInputElement).value).toBe('')
  })

  it('turns a filter state into a query the store accepts, leaving blanks out', () => {
    const query = toLogQuery('fn-1', { ...EMPTY_FILTERS, text: '  ada ', outcome: 'timeout', statusMin: '200', pathPrefix: '/api' })
    expect(query).toEqual({ functionId: 'fn-1', text: 'ada', outcomes: ['timeout'], statusMin: 200, pathPrefix: '/api', limit: 200 })
    expect(logQuerySchema.safeParse(query).success).toBe(true)
    expect(toLogQuery('fn-1', EMPTY_FILTERS)).toEqual({ functionId: 'fn-1', limit: 200 })
  })
})
