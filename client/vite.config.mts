import { resolve } from 'node:path'
import react from '@vitejs/plugin-react-swc'
import { defineConfig } from 'vite'

// Two surfaces, one build: the learner app (/app, inside LMS iframes) and Jalon Orga (/orga).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, '../dist/client'),
    emptyOutDir: true,
    rollupOptions: {
      input: { app: resolve(import.meta.dirname, 'app/index.html'), orga: resolve(import.meta.dirname, 'orga/index.html') },
    },
  },
  server: {
    port: 5173,
    // In development the API runs on :3000 (npm run dev starts both).
    proxy: Object.fromEntries(['/api', '/lti', '/healthz', '/static', '/.well-known'].map((p) => [p, 'http://localhost:3000'])),
  },
})
