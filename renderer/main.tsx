import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/app.tsx'
import { ServicesProvider, createServices } from './services.tsx'
import { CodeDiffProvider } from './sync/code-diff.tsx'
import { RichCodeDiff } from './sync/rich-code-diff.tsx'
import { httpTransport, takeToken } from './transport/http-transport.ts'
import { ipcTransport } from './transport/ipc-transport.ts'
import './styles.css'

// Same renderer in both hosts: IPC when the desktop preload is present, HTTP in web mode.
const transport = window.edgepad ? ipcTransport(window.edgepad) : httpTransport(takeToken())

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ServicesProvider services={createServices(transport)}>
      <CodeDiffProvider value={RichCodeDiff}>
        <App />
      </CodeDiffProvider>
    </ServicesProvider>
  </StrictMode>,
)
