// Property tests on the real outputs: every line of every fixture, truncated at every point, and
// randomly mutated, must give a typed error for that record or a well-formed record, never an exception
// of another kind, and never disturb the records around it.
import { describe, expect, it } from 'vitest';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { parseSacct } from '../../../../../shared/slurm/parse/sacct';
import { parseSacctmgrUser } from '../../../../../shared/slurm/parse/sacctmgr-user';
import { parseScontrolConfig } from '../../../../../shared/slurm/parse/scontrol-config';
import { parseScontrolJobs } from '../../../../../shared/slurm/parse/scontrol-job';
import { parseScontrolNodes } from '../../../../../shared/slurm/parse/scontrol-node';
import { parseScontrolPartitions } from '../../../../../shared/slurm/parse/scontrol-partition';
import { parseScontrolReservations } from '../../../../../shared/slurm/parse/scontrol-reservation';
import { parseSdiag } from '../../../../../shared/slurm/parse/sdiag';
import { parseSinfoNodes } from '../../../../../shared/slurm/parse/sinfo';
import { parseSprio, sprioColumns } from '../../../../../shared/slurm/parse/sprio';
import { parseSqueue } from '../../../../../shared/slurm/parse/squeue';
import { parseSshare } from '../../../../../shared/slurm/parse/sshare';
import type { ParseResult } from '../../../../../shared/slurm/parse/result';
import { fixture } from './fixture-files';
import { mutations, rng } from './fuzz';

const TZ = { timeZone: 'UTC' };
type Lines = (text: string) => ParseResult<unknown>;

/** How many records a file's lines hold: one per line, except sinfo (one row per node and partition). */
const perLine = (lines: string[]): number => lines.length;
const perNode = (lines: string[]): number => new Set(lines.map((l) => l.split('|')[0])).size;

const LINE_PARSERS: [string, Lines, (lines: string[]) => number][] = [
  ['scontrol-node.txt', (t) => parseScontrolNodes(t, TZ), perLine],
  ['scontrol-partition.txt', (t) => parseScontrolPartitions(t), perLine],
  ['scontrol-job.txt', (t) => parseScontrolJobs(t), perLine],
  ['scontrol-reservation.txt', (t) => parseScontrolReservations(t, TZ), perLine],
  ['squeue.txt', (t) => parseSqueue(t, TZ), perLine],
  ['sinfo-node.txt', (t) => parseSinfoNodes(t, TZ), perNode],
];

/** Either the parser rejects the damaged line with a SlurmParseError, or it returns; anything else fails. */
function survive(parse: () => unknown, what: string): void {
  try {
    parse();
  } catch (err) {
    if (!(err instanceof SlurmParseError)) throw new Error(`${what}: ${String(err)}`);
  }
}

describe.each(['22.05', '24.11'] as const)('fuzzing the %s fixtures', (version) => {
  it.each(LINE_PARSERS)('%s: each damaged line is rejected alone, the others still parse', (file, parse, records) => {
    const lines = fixture(version, file).split('\n').filter((l) => l.trim() !== '');
    const whole = parse(lines.join('\n'));
    expect(whole.errors).toEqual([]);
    const next = rng(lines.length);
    // A damaged line in the middle of the real output: the records around it are unaffected.
    const sample = lines.slice(0, 12);
    for (const [i, line] of sample.entries()) {
      for (const damaged of mutations(line, next, 15).filter((_, k) => k % Math.max(1, Math.floor(line.length / 40)) === 0)) {
        const text = [...lines.slice(0, i), damaged, ...lines.slice(i + 1)].join('\n');
        let result: ParseResult<unknown> | undefined;
        survive(() => (result = parse(text)), `${file} line ${i + 1}`);
        // At most the damaged record is lost (as an error, or merged into a neighbour by sinfo).
        if (result) expect(result.items.length + result.errors.length, `${file} line ${i + 1}`).toBeGreaterThanOrEqual(records(lines) - 1);
      }
    }
  });

  it('sacct.txt: truncated anywhere, the complete rows before the cut are all read', () => {
    const text = fixture(version, 'sacct.txt');
    const full = parseSacct(text, TZ).items.length;
    for (let cut = 0; cut < text.length; cut += 97) {
      survive(() => {
        const r = parseSacct(text.slice(0, cut), TZ);
        const completeRows = text.slice(0, cut).split('\n').length - 2;
        expect(r.items.length + r.summary.skippedSteps).toBeGreaterThanOrEqual(Math.min(full, completeRows));
      }, `cut at ${cut}`);
    }
  });

  it('whole-output parsers (sshare, sprio, sdiag, config, sacctmgr) survive truncation and mutation', () => {
    const next = rng(7);
    const cases: [string, (t: string) => unknown][] = [
      ['sshare.txt', parseSshare],
      ['sprio.txt', (t) => parseSprio(t, sprioColumns(version === '24.11'))],
      ['sdiag.txt', parseSdiag],
      ['scontrol-config.txt', parseScontrolConfig],
      ['sacctmgr-user-opscoord.txt', parseSacctmgrUser],
    ];
    for (const [file, parse] of cases) {
      const text = fixture(version, file);
      for (let cut = 0; cut < text.length; cut += Math.max(1, Math.floor(text.length / 200))) survive(() => parse(text.slice(0, cut)), `${file} cut ${cut}`);
      const lines = text.split('\n');
      for (let i = 0; i < Math.min(lines.length, 20); i++) {
        for (const damaged of mutations(lines[i] as string, next, 10)) survive(() => parse([...lines.slice(0, i), damaged, ...lines.slice(i + 1)].join('\n')), `${file} line ${i + 1}`);
      }
    }
  });
});
