// `npm test`: lint, typecheck, unit, integration (real Slurm test bed) and e2e (Chromium), in that order.
// Every stage runs even when an earlier one failed, so one run shows everything that is wrong; the exit
// code is non-zero if any stage failed. The last line is the summary CI reads:
//   Summary: N passed, N failed, N skipped
// (lint and typecheck count as one check each; test stages count their tests.)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

interface Stage {
  name: string;
  command: string[];
  /** vitest JSON report to read test counts from; absent for lint/typecheck. */
  report?: string;
}

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, '.cache', 'test-results');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const vitest = (name: string, config: string): Stage => {
  const report = path.join(reports, `${name}.json`);
  return {
    name,
    command: ['npx', 'vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    report,
  };
};

const stages: Stage[] = [
  { name: 'lint', command: ['npm', 'run', '--silent', 'lint'] },
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'typecheck'] },
  vitest('unit', 'build/vitest.unit.config.ts'),
  vitest('integration', 'build/vitest.integration.config.ts'),
  { name: 'build renderer', command: ['npm', 'run', '--silent', 'build:renderer'] },
  vitest('e2e', 'build/vitest.e2e.config.ts'),
];

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
const rows: { name: string; ok: boolean; seconds: number; counts: Counts }[] = [];

for (const stage of stages) {
  console.log(`\n=== ${stage.name}: ${stage.command.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(stage.command[0] as string, stage.command.slice(1), { cwd: root, stdio: 'inherit' });
  const seconds = (Date.now() - started) / 1000;
  const ok = result.status === 0;
  let counts: Counts = { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 };
  if (stage.report) {
    try {
      const json = JSON.parse(readFileSync(stage.report, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTodoTests: number;
      };
      counts = { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests };
      // A stage that failed outside any test (setup, collection) still counts as a failure.
      if (!ok && counts.failed === 0) counts.failed = 1;
    } catch {
      counts = { passed: 0, failed: 1, skipped: 0 };
    }
  }
  rows.push({ name: stage.name, ok, seconds, counts });
}

console.log('\n=== npm test results');
for (const r of rows) {
  const c = r.counts;
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(15)} ${String(r.seconds.toFixed(1)).padStart(7)} s   ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
}
const total = rows.reduce((a, r) => ({ passed: a.passed + r.counts.passed, failed: a.failed + r.counts.failed, skipped: a.skipped + r.counts.skipped }), { passed: 0, failed: 0, skipped: 0 });
const totalSeconds = rows.reduce((a, r) => a + r.seconds, 0);
console.log(`total ${totalSeconds.toFixed(1)} s`);
console.log(`Summary: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(rows.every((r) => r.ok) ? 0 : 1);
