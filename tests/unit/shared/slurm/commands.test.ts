import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  SACCT_ENDED_STATES,
  sacctCommand,
  sacctFields,
  sacctmgrUserCommand,
  scontrolJobsCommand,
  scontrolNodesCommand,
  sinfoNodesCommand,
  sprioCommand,
  squeueCommand,
  sshareCommand,
} from '../../../../shared/slurm/commands';
import { SlurmArgumentError } from '../../../../shared/slurm/parse/job-id';
import { shellCommand } from '../../../../shared/slurm/quote';
import { parseSlurmVersion } from '../../../../shared/slurm/version';

const V2205 = parseSlurmVersion('slurm-wlm 22.05.8');
const V2411 = parseSlurmVersion('24.11.5');

/** The argv a remote POSIX shell would hand to the program, via a real /bin/sh. */
function throughShell(argv: string[], env: Record<string, string>): string[] {
  const line = shellCommand(['printf', '%s\\n', ...argv.slice(1)], env);
  return execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' }).split('\n').slice(0, -1);
}

describe('command builders', () => {
  it('ask every command for epoch times, and survive the remote shell unchanged', () => {
    for (const cmd of [squeueCommand(), scontrolNodesCommand(), sinfoNodesCommand(), sshareCommand(), sprioCommand(V2205)]) {
      expect(cmd.env).toEqual({ SLURM_TIME_FORMAT: '%s' });
      expect(throughShell(cmd.argv, {})).toEqual(cmd.argv.slice(1));
    }
  });

  it('put the only free-text field last in squeue and sinfo formats', () => {
    expect(squeueCommand().argv.at(-1)?.split(',').at(-1)).toBe('Name:0|');
    expect(sinfoNodesCommand().argv.at(-1)?.split(',').at(-1)).toBe('Reason:0|');
  });

  it('choose sacct fields by what the version has, JobName last', () => {
    expect(sacctFields(V2205)).not.toContain('Restarts');
    expect(sacctFields(V2411)).toContain('Restarts');
    expect(sacctFields(parseSlurmVersion('23.11.4'), ['JobID', 'Restarts'])).toContain('Restarts');
    expect(sacctFields(V2411, ['JobID', 'State'])).not.toContain('Restarts');
    expect(sacctFields(V2411).at(-1)).toBe('JobName');
  });

  it('window sacct in the cluster zone', () => {
    const start = Date.parse('2025-07-01T00:00:00Z') / 1000;
    const argv = sacctCommand(sacctFields(V2411), { start, end: start + 3600, timeZone: 'Europe/Berlin' }).argv;
    expect(argv.slice(0, 5)).toEqual(['sacct', '-a', '-D', '-X', '-P']);
    expect(argv.slice(-4)).toEqual(['-S', '2025-07-01T02:00:00', '-E', '2025-07-01T03:00:00']);
    expect(() => sacctCommand(['JobID;id'], { start, end: start, timeZone: 'UTC' })).toThrow(RangeError);
    expect(() => sacctCommand(['JobID'], { start, end: start - 1, timeZone: 'UTC' })).toThrow(RangeError);
  });

  it('narrow sacct to runs that ended in the window, or to validated job ids', () => {
    const w = { start: 1_700_000_000, end: 1_700_000_600, timeZone: 'UTC' };
    const ended = sacctCommand(['JobID'], w, { states: SACCT_ENDED_STATES }).argv;
    expect(ended.slice(ended.indexOf('-s'), ended.indexOf('-s') + 2)).toEqual(['-s', SACCT_ENDED_STATES.join(',')]);
    expect(ended.slice(-4, -3)).toEqual(['-S']);
    expect(SACCT_ENDED_STATES).toEqual(expect.arrayContaining(['REQUEUED', 'PREEMPTED', 'CANCELLED', 'OUT_OF_MEMORY', 'NODE_FAIL']));
    expect(SACCT_ENDED_STATES).not.toContain('RUNNING');
    expect(SACCT_ENDED_STATES).not.toContain('PENDING');
    const byId = sacctCommand(['JobID'], w, { jobs: ['123', '124_5'] }).argv;
    expect(byId.slice(byId.indexOf('-j'), byId.indexOf('-j') + 2)).toEqual(['-j', '123,124_5']);
    expect(byId).not.toContain('-s');
    expect(() => sacctCommand(['JobID'], w, { jobs: ['123,-a'] })).toThrow(SlurmArgumentError);
    expect(() => sacctCommand(['JobID'], w, { jobs: ['123+1'] })).toThrow(SlurmArgumentError);
    expect(() => sacctCommand(['JobID'], w, { jobs: [] })).toThrow(RangeError);
    expect(() => sacctCommand(['JobID'], w, { states: ['R;x'] })).toThrow(RangeError);
    expect(sacctCommand(['JobID'], w).argv).not.toContain('-s');
  });

  it('ask sprio for the account only where sprio has %o', () => {
    expect(sprioCommand(V2205).argv.at(-1)).toBe('%i|%u|%r|%Y|%A|%F|%J|%P|%Q|%S|%T');
    expect(sprioCommand(V2411).argv.at(-1)).toBe('%i|%u|%o|%r|%Y|%A|%F|%J|%P|%Q|%S|%T');
  });

  it('validate user-given values before they reach argv', () => {
    expect(sacctmgrUserCommand('opscoord').argv).toEqual(['sacctmgr', '-n', '-P', 'show', 'user', 'opscoord', 'withassoc', 'withcoord', 'format=User,DefaultAccount,AdminLevel,Coordinators,Account']);
    expect(() => sacctmgrUserCommand('-a')).toThrow(SlurmArgumentError);
    expect(() => sacctmgrUserCommand("x'; rm -rf ~")).toThrow(SlurmArgumentError);
    expect(scontrolJobsCommand('123_4').argv.at(-1)).toBe('123_4');
    expect(() => scontrolJobsCommand('123 456')).toThrow(SlurmArgumentError);
  });
});
