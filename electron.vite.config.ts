import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

const root = import.meta.dirname

export default defineConfig({
  main: { build: { rollupOptions: { input: { index: resolve(root, 'main/index.ts') } } } },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    build: { chunkSizeWarningLimit: 20_000, rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } } },
  },
})
