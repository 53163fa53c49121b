// Preemption history in Chromium over the live test bed: a preempted run of each cluster appears with
// its GPU-hours, alpha's scenario preemptor is inferred for its victim (the accounting data supports it:
// the preemptor starts on the victim's node in the same scheduling pass), the timeline has one mark per
// run, and time travel to before the preemption hides it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PreemptedRun } from '../../shared/api/methods/preemptions';
import { decodePreemptions, type PreemptionsData } from '../../renderer/src/views/preemptions/preemptions-data';
import { STATE } from '../integration/testbed';
import { SHOTS, openConsole, useLiveConsole, watchProblems } from './page-helpers';

const session = useLiveConsole();
let history: PreemptionsData;

/** The GPU-h text of a row, as a number of hours (`< 0.01` reads as 0.005). */
function hoursOf(text: string): number {
  const m = /^(< )?([\d.,]+) GPU-h$/.exec(text.trim());
  if (!m) throw new Error(`not a GPU-h figure: ${JSON.stringify(text)}`);
  return m[1] ? 0.005 : Number((m[2] as string).replace(/,/g, ''));
}

function expectGpuHours(text: string, run: PreemptedRun): void {
  const hours = run.gpuSecondsLost / 3600;
  if (run.gpuSecondsLost > 0 && hours < 0.01) expect(text.trim()).toBe('< 0.01 GPU-h');
  else expect(hoursOf(text)).toBeCloseTo(hours, 1);
}

beforeAll(async () => {
  const now = Math.floor(Date.now() / 1000);
  history = decodePreemptions(await session.live.running.core.api['preemptions.list']({ from: now - 7 * 86400, to: now + 60 }));
});

describe('preemption history', () => {
  it('lists a preempted run of each cluster with its GPU-hours lost; the timeline has a mark per run', async () => {
    const { page, problems } = await openConsole(session.browser, session.live.host.url, { width: 1600, height: 1000 });
    await page.keyboard.press('g');
    await page.keyboard.press('p');
    await page.getByTestId('preemptions').waitFor();
    expect(page.url()).toMatch(/#\/preemptions$/);
    await page.getByTestId('preemption-timeline').waitFor();
    expect(await page.getByTestId('preemption-timeline').getAttribute('data-marks')).toBe(String(history.runs.length));
    for (const cluster of ['alpha', 'beta']) {
      // The newest preempted run of the cluster, found in the view filtered to that cluster.
      const run = history.runs.find((r) => r.cluster === cluster && r.state === 'PREEMPTED');
      expect(run, `a preempted run on ${cluster} in the last 7 days`).toBeDefined();
      if (!run) continue;
      await page.goto(`${session.live.host.url}#/preemptions?cluster=${cluster}`);
      // Other runs may be newer (the table is virtualized): narrow the list to this job first.
      await page.getByRole('searchbox', { name: 'filter runs' }).fill(run.jobId);
      const row = page.getByTestId(`run-${cluster}-${run.jobId}`).first();
      await row.waitFor();
      expect(run.gpus).toBeGreaterThan(0);
      expectGpuHours(await row.getByTestId('gpu-hours-lost').innerText(), run);
      expect(await row.getByTestId('gpu-hours-lost').getAttribute('title')).toBe(`${run.gpuSecondsLost} GPU-seconds`);
      expect(await page.getByTestId(`asof-${cluster}`).innerText()).toMatch(/as of .+ old/);
      await expect(page.getByTestId(`asof-${cluster === 'alpha' ? 'beta' : 'alpha'}`).count()).resolves.toBe(0);
    }
    expect(problems).toEqual([]);
  });

  it("infers alpha's scenario preemptor for its victim, marked as inferred with the evidence", async () => {
    const scenario = JSON.parse(readFileSync(path.join(STATE, 'alpha', 'scenario.json'), 'utf8')) as { jobs: Record<string, number> };
    const victimId = String(scenario.jobs.preempted);
    const preemptorId = String(scenario.jobs.preemptor);
    const victim = history.runs.find((r) => r.cluster === 'alpha' && r.jobId === victimId && r.state === 'PREEMPTED');
    expect(victim, `alpha's preempted run of job ${victimId}`).toBeDefined();
    if (!victim) return;
    expect(victim.preemptor, `preemptor of ${victimId} (ended ${victim.endTime} on ${victim.nodesExpr})`).not.toBeNull();
    expect(victim.preemptor?.jobId).toBe(preemptorId);
    expect(victim.preemptor?.sharedNodes.length).toBeGreaterThan(0);
    expect(Math.abs(victim.preemptor?.secondsAfter ?? 999)).toBeLessThanOrEqual(5);

    const page = await session.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const problems = watchProblems(page);
    await page.goto(`${session.live.host.url}#/preemptions?cluster=alpha`);
    await page.getByRole('combobox', { name: 'state' }).selectOption('PREEMPTED');
    await page.getByRole('searchbox', { name: 'filter runs' }).fill(victimId);
    const row = page.getByTestId(`run-alpha-${victimId}`).first();
    await row.waitFor();
    const cause = row.getByTestId('inferred-preemptor');
    expect(await cause.innerText()).toContain(`inferred job ${preemptorId}`);
    expect(await cause.innerText()).toContain(victim.preemptor?.sharedNodes[0] ?? '?');
    expect(await page.getByTestId('inference-rule').innerText()).toMatch(/Inferred, not recorded by Slurm/);
    // Totals and requeue counts include the victim's account and job.
    expect(await page.getByTestId('totals-account').innerText()).toContain(victim.account);
    expect(await page.getByTestId('requeue-counts').innerText()).toContain(victimId);
    await page.getByTestId('preemption-timeline').hover({ position: { x: 5, y: 5 } });
    expect(problems).toEqual([]);
  });

  it('time travel to just before a preemption does not show it; the screenshot has both clusters', async () => {
    const run = history.runs.find((r) => r.cluster === 'beta' && r.state === 'PREEMPTED');
    if (!run) throw new Error('no preempted run on beta');
    const page = await session.browser.newPage({ viewport: { width: 1600, height: 1100 } });
    const problems = watchProblems(page);
    await page.goto(`${session.live.host.url}#/preemptions?cluster=beta&at=${run.endTime - 1}`);
    await page.getByTestId('preemption-summary').waitFor();
    const expected = decodePreemptions(await session.live.running.core.api['preemptions.list']({ from: run.endTime - 1 - 7 * 86400, to: run.endTime + 60, clusters: ['beta'], at: run.endTime - 1 }));
    expect(expected.runs.some((r) => r.endTime >= run.endTime)).toBe(false);
    if (expected.runs.length === 0) {
      await page.getByText('No preempted or requeued runs in this window').waitFor();
    } else {
      await page.getByRole('searchbox', { name: 'filter runs' }).fill(run.jobId);
      await page.getByTestId('shown-count').waitFor();
      await expect(page.getByTestId(`run-beta-${run.jobId}`).count()).resolves.toBe(expected.runs.filter((r) => r.jobId === run.jobId).length);
    }

    await page.goto(`${session.live.host.url}#/preemptions`);
    await page.getByTestId('preemption-timeline').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'preemptions.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
