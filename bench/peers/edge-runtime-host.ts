/** Vercel's edge-runtime serving one Web-standard module (passed in MODULE_CODE) on PORT. */
import { EdgeRuntime, runServer } from 'edge-runtime'

// edge-runtime evaluates scripts, not modules: turn `export default { fetch }` into a fetch listener.
const code = (process.env.MODULE_CODE ?? '').replace('export default', 'const __module =')
const runtime = new EdgeRuntime({
  initialCode: `${code}\naddEventListener('fetch', (event) => event.respondWith(__module.fetch(event.request)))`,
})
await runServer({ runtime, port: Number(process.env.PORT), host: '127.0.0.1' })
process.send?.('ready')
