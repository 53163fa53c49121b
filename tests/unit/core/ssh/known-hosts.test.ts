import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  entryMatchesHost,
  fingerprintSha256,
  judgeHostKey,
  keyTypeOfBlob,
  parseKnownHosts,
} from '../../../../electron/core/ssh/known-hosts';

const dir = new URL('../../../fixtures/ssh/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const blob = (name: string) => Buffer.from(read(name).split(' ')[1] as string, 'base64');
const entries = parseKnownHosts(read('known_hosts_hashed'), 'fixture');
const [k1, k2, k3] = [blob('k1.pub'), blob('k2.pub'), blob('k3.pub')];

describe('known_hosts written by OpenSSH', () => {
  it('parses every entry, skipping comments', () => {
    expect(entries).toHaveLength(7);
    expect(entries.filter((e) => e.hashed)).toHaveLength(5);
    expect(entries.at(-1)?.marker).toBe('revoked');
  });

  it('computes the same SHA256 fingerprints as ssh-keygen -l', () => {
    expect(fingerprintSha256(k1)).toBe('SHA256:HPVPnCEfY6CfGqvr/Efo3Mrsocn2F6GA4fBbSr7vXQo');
    expect(fingerprintSha256(k3)).toBe('SHA256:vMQE5Z3HhXEm1wDqwhSaorxZ1VuFwr8sXZjWGCl4NlI');
    expect(keyTypeOfBlob(k3)).toBe('ssh-rsa');
  });

  it('matches hashed names, hashed [host]:port names and both names of one line', () => {
    expect(judgeHostKey(entries, 'cluster1.example.org', 22, k1).status).toBe('trusted');
    expect(judgeHostKey(entries, '10.1.2.3', 22, k1).status).toBe('trusted');
    expect(judgeHostKey(entries, 'login.example.org', 2222, k2).status).toBe('trusted');
    expect(judgeHostKey(entries, 'hashedport.example.org', 2200, k1).status).toBe('trusted');
    // The port is part of the name: the same host on port 22 is not known.
    expect(judgeHostKey(entries, 'login.example.org', 22, k2).status).toBe('unknown');
  });

  it('honours wildcards and negated patterns', () => {
    expect(judgeHostKey(entries, 'gpu01.hpc.example.org', 22, k1).status).toBe('trusted');
    expect(judgeHostKey(entries, 'bad.hpc.example.org', 22, k1).status).toBe('unknown');
    const wildcard = entries.find((e) => e.patterns.length > 0);
    expect(wildcard && entryMatchesHost(wildcard, 'GPU01.HPC.example.org', 22)).toBe(true);
  });

  it('reports a changed key of the same type with both fingerprints', () => {
    const verdict = judgeHostKey(entries, 'hashed.example.org', 22, k1);
    expect(verdict).toMatchObject({
      status: 'changed',
      fingerprint: 'SHA256:HPVPnCEfY6CfGqvr/Efo3Mrsocn2F6GA4fBbSr7vXQo',
      knownFingerprints: ['SHA256:t78gvJvCTmAE68CxdRTB2HG6e2xu8lExmNvKpi860Iw'],
    });
  });

  it('refuses a revoked key even for a host it otherwise does not know', () => {
    expect(judgeHostKey(entries, 'anything.example.org', 22, k3)).toMatchObject({ status: 'revoked', source: 'fixture:8' });
  });

  it('ignores malformed lines instead of failing the whole file', () => {
    const parsed = parseKnownHosts('garbage\n@bogus host ssh-ed25519 AAAA\nhost ssh-ed25519\n', 'x');
    expect(parsed).toEqual([]);
  });
});
