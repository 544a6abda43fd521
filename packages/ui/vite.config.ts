/** Vite build of the Skein web UI into packages/ui/dist, which `skein serve` serves at `/`. */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
  worker: { format: 'es' },
});
