// Reads the JSON fixtures: real slurmrestd responses (tests/fixtures/slurmrestd/<release>/<parser>/) and
// our own test-bed captures (tests/fixtures/slurm/<release>/json/).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

export function slurmrestd(release: string, parser: string, file: string): string {
  return readFileSync(path.join(ROOT, 'slurmrestd', release, parser, file), 'utf8');
}

export function testbed(release: '22.05' | '24.11', file: string): string {
  return readFileSync(path.join(ROOT, 'slurm', release, 'json', file), 'utf8');
}

export function testbedText(release: '22.05' | '24.11', file: string): string {
  return readFileSync(path.join(ROOT, 'slurm', release, file), 'utf8');
}

/** A minimal data_parser document around `body`, for tests of one field's encodings. */
export function dataParserDoc(parser: string, body: Record<string, unknown>): string {
  return JSON.stringify({
    errors: [],
    warnings: [],
    ...body,
    meta: { plugin: { type: '', name: '', data_parser: `data_parser/${parser}` }, slurm: { version: { major: '24', minor: '11', micro: '5' }, release: '24.11.5' } },
  });
}

/** A minimal openapi v0.0.38 (22.05) document around `body`. */
export function openapi38Doc(body: Record<string, unknown>, type = 'openapi/v0.0.38'): string {
  return JSON.stringify({ errors: [], ...body, meta: { plugin: { type, name: 'Slurm OpenAPI v0.0.38' }, Slurm: { version: { major: 22, minor: 5, micro: 8 }, release: '22.05.8' } } });
}
