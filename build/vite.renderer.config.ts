import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or eval: the renderer runs under a strict CSP in both hosts.
    modulePreload: { polyfill: false },
    sourcemap: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod 4 places /* @__PURE__ */ comments where Rollup cannot use them; harmless, and not ours.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
});
