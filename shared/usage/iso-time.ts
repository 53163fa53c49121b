// ISO-8601 times with the zone's offset (`2026-10-25T02:30:00+01:00`), as exports print them: the wall
// time a reader in that zone expects, and still one exact instant for any parser.
import { formatSlurmTime } from '../slurm/parse/time';

export function isoWithOffset(epochSeconds: number, timeZone: string): string {
  const local = formatSlurmTime(epochSeconds, timeZone);
  const offset = Math.round((Date.parse(`${local}Z`) / 1000 - Math.floor(epochSeconds)) / 60);
  if (offset === 0) return `${local}Z`;
  const a = Math.abs(offset);
  return `${local}${offset < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
