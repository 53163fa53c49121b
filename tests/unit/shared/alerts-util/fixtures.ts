// Real nvidia-smi captures (tests/fixtures/nvidia-smi-h200, an H200 idle and under load) and Slurm outputs
// of the test bed (tests/fixtures/slurm/<version>).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../../fixtures');

export function smiFixture(name: string): string {
  return readFileSync(path.join(root, 'nvidia-smi-h200', name), 'utf8');
}

export function slurmFixture(version: '22.05' | '24.11', name: string): string {
  return readFileSync(path.join(root, 'slurm', version, name), 'utf8');
}
