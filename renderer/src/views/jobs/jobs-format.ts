// How the Jobs table writes a job's values: the way Slurm admins read them in squeue.

/** Slurm's own duration notation (`D-HH:MM:SS`, `HH:MM:SS`, `MM:SS`), `UNLIMITED` for none. */
export function slurmDuration(seconds: number | null): string {
  if (seconds === null) return 'UNLIMITED';
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}-${two(h)}:${two(m)}:${two(sec)}`;
  if (h > 0) return `${two(h)}:${two(m)}:${two(sec)}`;
  return `${two(m)}:${two(sec)}`;
}

/** `4 × a100`, `2` for GPUs of any type, `—` for none. */
export function gpuLabel(gpus: number, type: string | null): string {
  if (gpus === 0) return '—';
  return type ? `${gpus} × ${type}` : String(gpus);
}
