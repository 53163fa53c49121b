import { describe, expect, it } from 'vitest';
import { configOf, draftOf, EMPTY_DRAFT, fieldErrors, validateDraft } from '../../../../../renderer/src/views/settings/cluster-form-model';

describe('cluster form model', () => {
  it('round-trips a stored configuration through the form', () => {
    const config = {
      name: 'beta',
      host: '10.0.0.5',
      port: 2222,
      user: 'ops',
      auth: { kind: 'key' as const, identityFile: '/home/ops/.ssh/id_ed25519', hasPassphrase: true },
      jump: [{ host: 'bastion', port: 22, user: 'me', identityFile: null }],
      knownHostsFiles: ['/etc/ssh/a', '~/b'],
      poll: { queue: 60, accounting: 300, fairshare: 900 },
      enabled: false,
    };
    expect(configOf(draftOf(config))).toEqual(config);
    expect(validateDraft(draftOf(config)).ok).toBe(true);
  });

  it('shows a mistyped number against its field instead of dropping it', () => {
    const d = { ...EMPTY_DRAFT, name: 'x', host: 'h', user: 'u', port: '22a', pollQueue: '' };
    expect(fieldErrors(validateDraft(d))).toEqual({ port: expect.any(String), 'poll.queue': expect.any(String) });
  });

  it('a jump host without a user goes as the cluster user; blank key file means none', () => {
    const d = { ...EMPTY_DRAFT, name: 'x', host: 'h', user: 'u', jump: [{ host: 'j', port: '22', user: '', identityFile: ' ' }] };
    expect(configOf(d)).toMatchObject({ jump: [{ host: 'j', port: 22, user: 'u', identityFile: null }], auth: { kind: 'agent' } });
  });
});
