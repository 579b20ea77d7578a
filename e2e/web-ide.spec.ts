import fs from 'node:fs'
import path from 'node:path'
import type { Page, TestInfo } from '@playwright/test'
import { expect, test } from './web-app-fixture.ts'

// One line: typed newlines would pick up Monaco's auto-indent, as they do for a person typing.
const CODE = `export default (request) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: (console.log('greeting', request.query.name), { hello: request.query.name ?? 'world', greeting: env.GREETING }) })`

/** Into the test output always; into docs/screenshots (the README's) when EDGEPAD_SCREENSHOTS=docs. */
async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`)
  await page.screenshot({ path: file })
  if (process.env.EDGEPAD_SCREENSHOTS === 'docs') {
    const docs = path.resolve(import.meta.dirname, '../docs/screenshots')
    fs.mkdirSync(docs, { recursive: true })
    fs.copyFileSync(file, path.join(docs, `${name}.png`))
  }
}

test('create from a template, edit, set env, run, test, log, replay, metrics', async ({ page, app }, testInfo) => {
  await page.goto(app.url)
  await expect(page.getByText('No functions yet. Create one from a template.')).toBeVisible()

  // Create from a template.
  await page.getByRole('button', { name: 'New function' }).click()
  const form = page.getByRole('form', { name: 'New function' })
  await form.getByLabel('Name').fill('hello')
  await form.getByLabel('Template').selectOption({ label: 'Hello world' })
  await form.getByRole('button', { name: 'Create' }).click()
  await expect(page.getByTestId('function-title')).toHaveText('hello')
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('Hello')

  // Edit in Monaco (insertText: Monaco's auto-closing would mangle typed brackets), then Ctrl+S.
  await page.locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(CODE)
  await expect.poll(() => page.evaluate(() => (window as unknown as { __edgepadEditor: { getValue(): string } }).__edgepadEditor.getValue())).toBe(CODE)
  await expect(page.getByTestId('dirty-indicator')).toBeVisible()
  await page.keyboard.press('ControlOrMeta+S')
  await expect(page.getByTestId('save-note')).toHaveText('Saved as version 2')
  await expect(page.getByTestId('dirty-indicator')).toHaveCount(0)

  // Env var: stored, masked, revealed on click.
  await page.getByRole('tab', { name: 'Settings' }).click()
  await page.getByLabel('Variable name').fill('GREETING')
  await page.getByLabel('Variable value').fill('hi there')
  await page.getByRole('button', { name: 'Set variable' }).click()
  await expect(page.getByTestId('env-table')).toContainText('••••••••')
  await page.getByRole('button', { name: 'Reveal GREETING' }).click()
  await expect(page.getByTestId('env-table')).toContainText('hi there')
  await screenshot(page, testInfo, 'settings')

  // Run with a query param: response, console and metrics.
  await page.getByRole('tab', { name: 'Editor' }).click()
  await page.getByRole('button', { name: '+ Add query param' }).click()
  await page.getByLabel('Query params 1 name').fill('name')
  await page.getByLabel('Query params 1 value').fill('ada')
  await page.getByTestId('run-button').click()
  await expect(page.getByTestId('response-status')).toHaveText('200')
  await expect(page.getByTestId('response-body')).toContainText('"hello": "ada"')
  await expect(page.getByTestId('response-body')).toContainText('"greeting": "hi there"')
  await expect(page.getByTestId('console-lines')).toContainText('greeting ada')
  await screenshot(page, testInfo, 'editor')

  // Save the request as a test case with a duration assertion; run all.
  await page.getByRole('tab', { name: 'Tests' }).click()
  await page.getByLabel('Test case name').fill('greets ada')
  await page.getByLabel('Status', { exact: true }).fill('200')
  await page.getByRole('button', { name: 'Add assertion' }).click()
  await page.getByLabel('Assertion kind').selectOption('duration_max')
  await page.getByLabel('Max ms').fill('5000')
  await page.getByRole('button', { name: 'Add assertion' }).click()
  await page.getByLabel('Assertion kind').selectOption('json_path_equals')
  await page.getByLabel('JSON path').fill('$.hello')
  await page.getByLabel('Expected JSON').fill('"ada"')
  await page.getByRole('button', { name: 'Add assertion' }).click()
  await page.getByRole('button', { name: 'Save test case' }).click()
  await expect(page.getByTestId('test-case')).toHaveCount(1)
  await page.getByRole('button', { name: 'Run all' }).click()
  await expect(page.getByTestId('tests-summary')).toHaveText('1/1 passed')
  await expect(page.getByTestId('test-case')).toContainText('✓ duration ≤ 5000 ms')
  await screenshot(page, testInfo, 'tests')

  // The log holds both runs; filters go to the store; replay loads the request builder.
  await page.getByRole('tab', { name: 'Log' }).click()
  await expect(page.getByTestId('log-row')).toHaveCount(2)
  await page.getByLabel('Method filter').selectOption('POST')
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page.getByText('No invocations match.')).toBeVisible()
  await page.getByLabel('Method filter').selectOption('GET')
  await page.getByLabel('Search log').fill('greeting')
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page.getByTestId('log-row')).toHaveCount(2)
  await page.getByTestId('log-row').first().click()
  await expect(page.getByTestId('detail-response-body')).toContainText('"hello":"ada"')
  await screenshot(page, testInfo, 'log')
  await page.getByRole('button', { name: 'Replay' }).click()
  await expect(page.getByLabel('Query params 1 value')).toHaveValue('ada')
  await expect(page.getByLabel('Path')).toHaveValue('/')

  // Metrics update live: one more run while the chart is open.
  await page.getByRole('tab', { name: 'Metrics' }).click()
  await expect(page.getByTestId('metrics-count')).toContainText('2 invocations')
  for (const chart of ['chart-invocations', 'chart-latency', 'chart-outcomes', 'chart-cpu', 'chart-memory']) {
    await expect(page.getByTestId(chart).locator('canvas')).toBeVisible()
  }
  await page.keyboard.press('ControlOrMeta+Enter')
  await expect(page.getByTestId('metrics-count')).toContainText('3 invocations')
  await screenshot(page, testInfo, 'metrics')

  // Unsaved changes survive a reload of the window.
  await page.getByRole('tab', { name: 'Editor' }).click()
  await page.locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.insertText('// draft\n')
  await expect(page.getByTestId('dirty-indicator')).toBeVisible()
  await page.reload()
  await expect(page.getByTestId('function-title')).toContainText('hello')
  await expect(page.getByTestId('dirty-indicator')).toBeVisible()
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('// draft')

  expect(app.foreignRequests).toEqual([])
})

test('the API refuses calls without the token', async ({ page, app }) => {
  const response = await page.request.post(`${app.origin}/rpc/functions/list`, { data: {} })
  expect(response.status()).toBe(401)
  const ok = await page.request.post(`${app.origin}/rpc/functions/list`, { data: {}, headers: { authorization: `Bearer ${new URL(app.url).searchParams.get('token')}` } })
  expect(await ok.json()).toEqual({ result: [] })
})
