// Read a captured Slurm output from tests/fixtures/slurm/<version>/ (see the README there).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../../../fixtures/slurm');

export function fixture(version: '22.05' | '24.11', file: string): string {
  return readFileSync(path.join(root, version, file), 'utf8');
}
