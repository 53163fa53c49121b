import { describe, expect, it } from 'vitest';
import { mainList, parseEnvelope } from '../../../../../shared/slurm/json/envelope';
import { SlurmJsonError } from '../../../../../shared/slurm/json/errors';
import { dataParserDoc, openapi38Doc, slurmrestd } from './fixtures';

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SlurmJsonError) return err.problem;
    throw err;
  }
  return 'none';
}

describe('parseEnvelope / mainList', () => {
  it('refuses text that is not JSON (a cut transfer, an error banner) with an excerpt', () => {
    const cut = dataParserDoc('v0.0.42', { jobs: [] }).slice(0, 40);
    expect(problemOf(() => parseEnvelope(cut, 'squeue'))).toBe('not-json');
    expect(problemOf(() => parseEnvelope('squeue: error: Invalid user: nobody', 'squeue'))).toBe('not-json');
    expect(problemOf(() => parseEnvelope('[1,2]', 'squeue'))).toBe('shape');
    expect(() => parseEnvelope('squeue: error: Invalid user', 'squeue')).toThrow(/squeue: \$: not JSON .*"squeue: error: Invalid user"/);
  });

  it("throws Slurm's own message when Slurm reported an error and returned nothing", () => {
    // Real: `GET /slurm/v0.0.41/job/649716` for a job slurmctld no longer knows.
    const env = parseEnvelope(slurmrestd('24.05', '0.0.41', 'slurm-job-archived.json'), 'squeue');
    expect(() => mainList(env, 'squeue', ['jobs'])).toThrow(/Slurm reported: Unable to query JobId=649716 \(source _handle_job_get, error 2017\)/);
    // 22.05 style errors ({error, errno}) and an empty list: a failure, not an empty queue.
    const old = parseEnvelope(openapi38Doc({ jobs: [], errors: [{ error: 'Unable to contact slurm controller (connect failure)', errno: 1001 }] }), 'squeue');
    expect(problemOf(() => mainList(old, 'squeue', ['jobs']))).toBe('slurm-error');
  });

  it('keeps records when Slurm reported errors alongside them, as warnings', () => {
    const env = parseEnvelope(
      dataParserDoc('v0.0.42', { jobs: [{ job_id: 1 }], errors: [{ description: 'partial result', error_number: 7 }] }),
      'sacct',
    );
    expect(mainList(env, 'sacct', ['jobs'])).toHaveLength(1);
    expect(env.warnings).toContain('Slurm error: partial result (error 7)');
  });

  it('names a missing or mistyped main list as a shape problem', () => {
    expect(problemOf(() => mainList(parseEnvelope(dataParserDoc('v0.0.42', { nodes: [] }), 'squeue'), 'squeue', ['jobs']))).toBe('shape');
    expect(problemOf(() => mainList(parseEnvelope(dataParserDoc('v0.0.42', { jobs: {} }), 'squeue'), 'squeue', ['jobs']))).toBe('shape');
    expect(mainList(parseEnvelope(dataParserDoc('v0.0.42', { shares: { shares: [] } }), 'sshare'), 'sshare', ['shares', 'shares'])).toEqual([]);
  });

  it("passes Slurm's warnings and the version note on", () => {
    const text = JSON.stringify({ jobs: [], meta: { plugin: { data_parser: 'data_parser/v0.0.45' } }, warnings: [{ description: 'field ignored', source: 'x' }] });
    const env = parseEnvelope(text, 'squeue');
    expect(env.warnings[0]).toMatch(/v0\.0\.45 is not a known JSON family/);
    expect(env.warnings[1]).toBe('Slurm warning: field ignored (source x)');
  });
});
