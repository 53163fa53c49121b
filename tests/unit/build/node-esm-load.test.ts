// Every core and host module must load in plain Node (ESM), not only under vitest's transform: Node's
// ESM loader sees only the named exports its lexer finds in CommonJS packages (ssh2 exports `Client`
// that way but not `utils`), so `import { utils } from 'ssh2'` passes every vitest test and then crashes
// the CLI. This test imports each module in a real Node process through tsx, as `npm start` does.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
/** Entry points that start something when imported. */
const ENTRY_POINTS = new Set(['electron/host/start.ts', 'electron/host/cli/bin.ts']);

function modules(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.d.ts'))
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    // Worker-thread entry files refuse to load outside a worker; the ingest tests start them as workers.
    .filter((f) => !ENTRY_POINTS.has(f) && !f.endsWith('-worker.ts'))
    .sort();
}

it('loads every electron/core and electron/host module in plain Node', () => {
  const files = [...modules('electron/core'), ...modules('electron/host')];
  expect(files.length).toBeGreaterThan(10);
  const script = `for (const f of ${JSON.stringify(files)}) { try { await import('./' + f); } catch (e) { console.error(f + ': ' + e.message); process.exitCode = 1; } }`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  expect(result.stderr.trim()).toBe('');
  expect(result.status).toBe(0);
}, 90_000);
