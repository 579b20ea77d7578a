import type { Page } from '@playwright/test'
import { startEdgepadServer, type EdgepadServer } from './edgepad-server.ts'
import { expect, test } from './web-app-fixture.ts'

// One line: typed newlines would pick up Monaco's auto-indent.
const CODE = "export default (request) => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: `${env.GREETING}, ${request.query.name ?? 'world'}!` })"

let server: EdgepadServer
test.beforeEach(async () => {
  server = await startEdgepadServer()
})
test.afterEach(async () => {
  await server.stop()
})

async function addServer(page: Page, token: string) {
  await page.getByRole('button', { name: 'Servers' }).click()
  const servers = page.getByRole('dialog', { name: 'Servers' })
  await servers.getByLabel('Server URL').fill(server.url)
  await servers.getByLabel('Token').fill(token)
  await servers.getByRole('button', { name: 'Test and add' }).click()
  await expect(servers.getByTestId('servers-note')).toContainText('Connected')
  await servers.getByRole('button', { name: 'Close Servers' }).click()
}

async function createFunction(page: Page, name: string) {
  await page.getByRole('button', { name: 'New function' }).click()
  const form = page.getByRole('form', { name: 'New function' })
  await form.getByLabel('Name').fill(name)
  await form.getByRole('button', { name: 'Create' }).click()
  await expect(page.getByTestId('function-title')).toHaveText(name)
}

const editorValue = (page: Page) => page.evaluate(() => (window as unknown as { __edgepadEditor: { getValue(): string } }).__edgepadEditor.getValue())

test('add a server, publish a function, call it at its public URL and by Host header, see the calls in the remote log', async ({ page, app, context }, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`) })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin })
  const token = await server.userToken('ada')
  await page.goto(app.url)

  // Server connection from the status bar: tested before it is stored, shows version and user.
  await page.getByRole('button', { name: 'Servers' }).click()
  const servers = page.getByRole('dialog', { name: 'Servers' })
  await servers.getByLabel('Server URL').fill(server.url)
  await servers.getByLabel('Token').fill(token)
  await servers.getByRole('button', { name: 'Test and add' }).click()
  await expect(servers.getByTestId('servers-note')).toContainText(/Connected: Edgepad \S+ as ada/)
  await expect(servers.getByTestId('server-item')).toContainText('as ada')
  await servers.getByRole('button', { name: 'Close Servers' }).click()

  // A function reading an env var, routed under a subdomain of the server's base domain.
  await page.getByRole('button', { name: 'New function' }).click()
  const form = page.getByRole('form', { name: 'New function' })
  await form.getByLabel('Name').fill('hello')
  await form.getByRole('button', { name: 'Create' }).click()
  await expect(page.getByTestId('function-title')).toHaveText('hello')
  await page.locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(CODE)
  await expect.poll(() => editorValue(page)).toBe(CODE)
  await page.keyboard.press('ControlOrMeta+S')
  await expect(page.getByTestId('save-note')).toHaveText('Saved as version 2')
  await page.getByRole('tab', { name: 'Settings' }).click()
  await page.getByLabel('Route subdomain').fill('hello')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByText('Settings saved')).toBeVisible()
  await page.getByLabel('Variable name').fill('GREETING')
  await page.getByLabel('Variable value').fill('Hello')
  await page.getByRole('button', { name: 'Set variable' }).click()
  await expect(page.getByTestId('env-table')).toContainText('GREETING')

  // Publish with the shortcut while Monaco has focus: the editor must not swallow it.
  await page.getByRole('tab', { name: 'Editor' }).click()
  await page.locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+Shift+P')
  const publish = page.getByRole('dialog', { name: 'Publish hello' })
  await expect(publish.getByTestId('publish-target')).toHaveText('The function does not exist on this server yet: publishing creates it.')
  await expect(publish.getByTestId('monaco-diff')).toBeVisible()
  await expect(publish.getByTestId('diff-summary')).toContainText('+1 −0 lines')
  await expect(publish.getByRole('table', { name: 'Config changes' })).toContainText('Route subdomain')
  await expect(publish.getByTestId('missing-env-warning')).toContainText('env.GREETING')
  await shot('publish-preview')
  await publish.getByRole('checkbox', { name: 'Send value of GREETING' }).check()
  await expect(publish.getByTestId('missing-env-warning')).toHaveCount(0)
  await publish.getByRole('button', { name: 'Publish', exact: true }).click()
  await expect(publish.getByTestId('publish-status')).toHaveText(/^Published: remote version v\d+ is active\.$/)
  const urls = await publish.getByTestId('public-url').allTextContents()
  expect(urls).toHaveLength(2)
  expect(urls[0]).toMatch(new RegExp(`^${server.url}/fn/[\\w-]+$`))
  expect(urls[1]).toBe(`http://hello.${server.baseDomain}/`)
  await publish.getByRole('button', { name: 'Copy as curl' }).click()
  await expect(publish.getByRole('button', { name: 'Copy as curl' })).toHaveText('Copied')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`curl -i '${urls[0]}'`)
  await shot('publish-result')
  await publish.getByRole('button', { name: 'Close Publish hello' }).click()

  // The published function answers at its public URL and through Host-header routing.
  const direct = await fetch(`${urls[0]}?name=ada`)
  expect(direct.status).toBe(200)
  expect(await direct.text()).toBe('Hello, ada!')
  const routed = await server.getWithHost(`hello.${server.baseDomain}`, '/?name=grace')
  expect(routed).toEqual({ status: 200, body: 'Hello, grace!' })

  // Publishing again without changes is a no-op that says so.
  await page.getByRole('button', { name: 'Publish', exact: true }).click()
  await expect(publish.getByTestId('publish-unchanged')).toBeVisible()
  await expect(publish.getByRole('button', { name: 'Publish', exact: true })).toBeDisabled()
  await publish.getByRole('button', { name: 'Cancel' }).click()

  // Both calls in the remote log (the same log view, switched to Remote); none locally.
  await page.getByRole('tab', { name: 'Log' }).click()
  await expect(page.getByText('No invocations match.')).toBeVisible()
  await page.getByRole('radio', { name: 'Remote' }).check()
  await expect(page.getByTestId('log-row')).toHaveCount(2)
  await page.getByTestId('log-row').first().click()
  // The server's log redacts env values, as the local one does.
  await expect(page.getByTestId('detail-response-body')).toHaveText('[REDACTED], grace!')

  await shot('remote-log')
  await page.getByRole('tab', { name: 'Metrics' }).click()
  await expect(page.getByTestId('metrics-count')).toContainText('2 invocations')

  await page.getByRole('tab', { name: 'Remote' }).click()
  await expect(page.getByTestId('remote-version')).toHaveCount(1)
  await expect(page.getByTestId('remote-version')).toContainText('active')

  // A second version, then roll back to the first from the versions list.
  await page.getByRole('tab', { name: 'Editor' }).click()
  await page.locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(CODE.replace('!`', '?`'))
  await page.getByRole('button', { name: 'Publish', exact: true }).click()
  await expect(publish.getByTestId('diff-summary')).toContainText('+1 −1 lines')
  await publish.getByRole('button', { name: 'Publish', exact: true }).click()
  await expect(publish.getByTestId('publish-status')).toHaveText(/^Published: remote version v2 is active\.$/)
  await publish.getByRole('button', { name: 'Close Publish hello' }).click()
  expect(await (await fetch(`${urls[0]}?name=ada`)).text()).toBe('Hello, ada?')
  await page.getByRole('tab', { name: 'Remote' }).click()
  await expect(page.getByTestId('remote-version')).toHaveCount(2)
  await shot('remote-versions')
  await page.getByRole('button', { name: 'Roll back to v1' }).click()
  await page.getByRole('alertdialog', { name: 'Confirm rollback to v1' }).getByRole('button', { name: 'Activate' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'v1 is active' })).toBeVisible()
  await expect.poll(async () => (await fetch(`${urls[0]}?name=ada`)).text()).toBe('Hello, ada!')

  expect(app.foreignRequests).toEqual([])
})

test('a publish while the server is down is queued, shown as pending, and can be cancelled', async ({ page, app }) => {
  const token = await server.userToken('ada')
  await page.goto(app.url)
  await addServer(page, token)
  await createFunction(page, 'offline')

  await server.stop()
  await page.getByRole('button', { name: 'Publish', exact: true }).click()
  const publish = page.getByRole('dialog', { name: 'Publish offline' })
  await expect(publish.getByTestId('publish-offline')).toBeVisible()
  await publish.getByRole('button', { name: 'Queue publish' }).click()
  await expect(publish.getByTestId('publish-status')).toContainText('queued')
  await publish.getByRole('button', { name: 'Close Publish offline' }).click()

  await expect(page.getByTestId('pending-publishes')).toHaveText('1 pending publish')
  await page.getByRole('tab', { name: 'Remote' }).click()
  await expect(page.getByRole('region', { name: 'Queued publishes of this function' }).getByTestId('queue-item')).toContainText('pending')
  await page.getByTestId('pending-publishes').click()
  const queue = page.getByRole('dialog', { name: 'Pending publishes' })
  await expect(queue.getByTestId('queue-item')).toContainText('offline')
  await queue.getByRole('button', { name: 'Cancel publish of offline' }).click()
  await expect(queue.getByText('No queued publishes.')).toBeVisible()
  await expect(page.getByTestId('pending-publishes')).toHaveText('No pending publishes')
  expect(app.foreignRequests).toEqual([])
})

test('a remote edited elsewhere is a conflict: both sides are shown and the remote can be pulled into local', async ({ page, app }) => {
  const token = await server.userToken('ada')
  await page.goto(app.url)
  await addServer(page, token)
  await createFunction(page, 'shared')
  await page.getByRole('button', { name: 'Publish', exact: true }).click()
  const publish = page.getByRole('dialog', { name: 'Publish shared' })
  await publish.getByRole('button', { name: 'Publish', exact: true }).click()
  await expect(publish.getByTestId('publish-status')).toContainText('Published')
  const url = (await publish.getByTestId('public-url').first().textContent())!
  await publish.getByRole('button', { name: 'Close Publish shared' }).click()

  // Someone else changes the remote function through the API.
  const remoteCode = "export default () => 'edited on the server'"
  const remoteId = url.split('/fn/')[1]!
  const patched = await fetch(`${server.url}/api/edge-functions/${remoteId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: remoteCode }),
  })
  expect(patched.status).toBe(200)

  await page.getByRole('button', { name: 'Publish', exact: true }).click()
  const conflict = publish.getByTestId('conflict-view')
  await expect(conflict.getByTestId('conflict-remote')).toHaveText(remoteCode)
  await expect(conflict.getByTestId('conflict-local')).toContainText("request.query.name ?? 'world'")
  await expect(conflict.getByRole('alert')).toContainText('last synced at v1')
  await conflict.getByRole('button', { name: 'Pull remote into local' }).click()
  await expect(publish.getByTestId('publish-pulled')).toContainText('Pulled remote v2')
  await publish.getByRole('button', { name: 'Close Publish shared' }).click()
  await expect.poll(() => editorValue(page)).toBe(remoteCode)

  // Now in sync: publishing again changes nothing.
  await page.getByRole('button', { name: 'Publish', exact: true }).click()
  await expect(publish.getByTestId('publish-unchanged')).toBeVisible()
  expect(app.foreignRequests).toEqual([])
})
