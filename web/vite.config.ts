import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));
// `npm run dev:web` forwards API calls to a running Goldsmith (its default port).
const apiTarget = process.env['GOLDSMITH_URL'] ?? 'http://127.0.0.1:7780';

// The server serves this build at /console/ (src/http/console/console-routes.ts).
export default defineConfig({
  root: webDir,
  base: '/console/',
  plugins: [react()],
  server: { proxy: { '/v1': { target: apiTarget } } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Cloudscape is large; one warning per build would only be noise.
    chunkSizeWarningLimit: 4096,
  },
});
