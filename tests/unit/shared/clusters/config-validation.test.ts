import { describe, expect, it } from 'vitest';
import { describeErrors, validateClusterConfig } from '../../../../shared/clusters/config-validation';

const good = {
  name: 'alpha',
  host: 'login.alpha.example.org',
  port: 22,
  user: 'ops',
  auth: { kind: 'key', identityFile: '~/.ssh/id_ed25519', hasPassphrase: false },
  jump: [{ host: 'bastion.example.org', port: 2222, user: 'me', identityFile: null }],
  knownHostsFiles: ['/etc/ssh/extra_known_hosts'],
  poll: { queue: 60, accounting: 300, fairshare: 900 },
  enabled: true,
};

describe('validateClusterConfig', () => {
  it('accepts a complete configuration (IPv6 host, key auth, one jump host)', () => {
    expect(validateClusterConfig({ ...good, host: 'fe80::1%eth0' })).toEqual({ ok: true, config: { ...good, host: 'fe80::1%eth0' } });
  });

  it('names each bad field with a message a person can act on', () => {
    const r = validateClusterConfig({ ...good, name: 'bad name', host: '', port: 70000, poll: { queue: 5, accounting: 300, fairshare: 900 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
    expect(byField).toEqual({
      name: 'letters, digits, . _ - only; at most 64; starts with a letter or digit',
      host: 'a host is needed',
      port: 'from 1 to 65535',
      'poll.queue': 'at least 15 s',
    });
    expect(describeErrors(r.errors)).toContain('port: from 1 to 65535');
  });

  it('refuses option injection and relative key paths', () => {
    const r = validateClusterConfig({ ...good, host: '-oProxyCommand=sh', auth: { kind: 'key', identityFile: 'id_rsa', hasPassphrase: false } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field).sort()).toEqual(['auth.identityFile', 'host']);
  });

  it('refuses a secret smuggled into the config and unknown fields', () => {
    const r = validateClusterConfig({ ...good, auth: { kind: 'password', password: 'hunter2' } });
    expect(r.ok).toBe(false);
    expect(validateClusterConfig({ ...good, extra: 1 }).ok).toBe(false);
  });

  it('refuses a jump chain through the login host itself', () => {
    const r = validateClusterConfig({ ...good, jump: [{ host: 'LOGIN.alpha.example.org', port: 22, user: 'me', identityFile: null }] });
    expect(r).toEqual({ ok: false, errors: [{ field: 'jump.0.host', message: 'LOGIN.alpha.example.org:22 is already on the way (a loop)' }] });
  });

  it('refuses a non-number port from a form field', () => {
    const r = validateClusterConfig({ ...good, port: Number.NaN });
    expect(r.ok).toBe(false);
  });
});
