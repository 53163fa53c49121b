import { describe, expect, it } from 'vitest';
import { SlurmJsonError } from '../../../../../shared/slurm/json/errors';
import { detectJsonVersion } from '../../../../../shared/slurm/json/version';
import { slurmrestd } from './fixtures';

const detect = (doc: unknown) => detectJsonVersion(doc, 'squeue');

describe('detectJsonVersion', () => {
  it('reads data_parser versions from real slurmrestd output, whatever the release', () => {
    const cases: [string, string, string, string][] = [
      ['24.05', '0.0.41', 'slurm-partitions.json', '24.05.3'],
      // --json=v0.0.41 on a 24.11 server prints v0.0.41: the parser decides the shape, not the release.
      ['24.11', '0.0.41', 'slurm-nodes.json', '24.11.5'],
      ['24.11', '0.0.42', 'slurm-nodes.json', '24.11.5'],
      ['25.05', '0.0.43', 'slurm-nodes.json', '25.05.4'],
      ['25.11', '0.0.44', 'slurm-node-drain.json', '25.11.0'],
    ];
    for (const [release, parser, file, slurmRelease] of cases) {
      const v = detect(JSON.parse(slurmrestd(release, parser, file)));
      expect(v.family.id).toBe(`v${parser}`);
      expect(v.match).toBe('exact');
      expect(v.parser).toBe(`data_parser/v${parser}`);
      expect(v.slurmRelease).toBe(slurmRelease);
      expect(v.note).toBeNull();
    }
  });

  it('reads 22.05 meta: openapi plugin type and "Slurm" with numeric versions', () => {
    const v = detect({ meta: { plugin: { type: 'openapi/dbv0.0.38', name: 'Slurm OpenAPI DB v0.0.38' }, Slurm: { version: { major: 22, micro: 8, minor: 5 }, release: '22.05.8' } } });
    expect(v.family.id).toBe('v0.0.38');
    expect(v.family.release).toBe('22.05');
    expect(v.parserNumber).toBe(38);
    expect(v.slurmRelease).toBe('22.05.8');
  });

  it('reads a version newer than every known family with the nearest one, and says so', () => {
    const v = detect({ meta: { plugin: { data_parser: 'data_parser/v0.0.46' }, slurm: { version: { major: '26', minor: '11', micro: '0' }, release: '26.11.0' } } });
    expect(v.family.id).toBe('v0.0.44');
    expect(v.match).toBe('nearest');
    expect(v.parserNumber).toBe(46);
    expect(v.note).toMatch(/data_parser\/v0\.0\.46 is not a known JSON family; read as v0\.0\.44 \(Slurm 25\.11\)/);
  });

  it('reads an older openapi (21.08 v0.0.37) as 22.05 and says so', () => {
    const v = detect({ meta: { plugin: { type: 'openapi/v0.0.37' }, Slurm: { version: { major: 21, minor: 8, micro: 8 }, release: '21.08.8' } } });
    expect(v.family.id).toBe('v0.0.38');
    expect(v.match).toBe('nearest');
  });

  it('falls back to the release when no parser is named', () => {
    expect(detect({ meta: { plugin: { type: '', data_parser: '' }, slurm: { version: { major: '23', minor: '02', micro: '7' } } } })).toMatchObject({
      family: { id: 'v0.0.39' },
      match: 'release',
      slurmRelease: '23.02.7',
    });
    const future = detect({ meta: { slurm: { release: '26.05.1', version: { major: '26', minor: '05', micro: '1' } } } });
    expect(future.family.id).toBe('v0.0.44');
    expect(future.note).toMatch(/nearest known to Slurm 26\.05\.1/);
  });

  it('refuses documents it cannot place, with a typed error', () => {
    for (const doc of [null, [], 'x', {}, { meta: null }, { meta: { plugin: { type: 'openapi/slurmctld' } } }, { meta: { plugin: 7 } }]) {
      expect(() => detect(doc)).toThrow(SlurmJsonError);
    }
    try {
      detect({ meta: {} });
    } catch (err) {
      expect(err).toBeInstanceOf(SlurmJsonError);
      expect((err as SlurmJsonError).problem).toBe('no-version');
      expect((err as SlurmJsonError).path).toBe('$.meta');
    }
  });
});
