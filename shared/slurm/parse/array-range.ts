// Array task ranges as squeue prints them for pending tasks still held in one record: `5-9`, `1,3,5-7`,
// `0-99:2` (step), each optionally followed by `%N` (how many may run at once).
import { SlurmParseError } from './errors';

/** How many tasks a range names. */
export function countArrayTasks(range: string): number {
  const body = range.replace(/^\[|\]$/g, '').replace(/%\d+$/, '');
  if (body === '') throw new SlurmParseError('job-id', 'empty array task range', range);
  let count = 0;
  for (const part of body.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (!m) throw new SlurmParseError('job-id', `bad array task range element ${JSON.stringify(part)}`, range);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (to < from || step < 1) throw new SlurmParseError('job-id', `bad array task range element ${JSON.stringify(part)}`, range);
    count += Math.floor((to - from) / step) + 1;
  }
  return count;
}
