// Import from an ssh client config through the core methods: a dry run changes nothing and marks hosts
// that exist; the import stores the chosen hosts only; bad paths get a clear error.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameConfig } from '../../../../electron/core/api/cluster-test';
import { createCore } from '../../../../electron/core/core';
import { dispatch } from '../../../../electron/core/dispatch';
import { storeWith } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();

describe('ssh config import methods', () => {
  it('previews, then imports only the chosen hosts', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    writeFileSync(file, ['Host alpha', '  HostName login.alpha.example.org', '  User ops', '', 'Host gpu2', '  HostName 10.1.2.3', '  Port 2222', '  ProxyJump bastion', '', 'Host bastion', '  HostName bastion.example.org', '', 'Host pc', '  ProxyCommand nc %h %p', ''].join('\n'));
    const store = storeWith(dir, ['alpha']);
    const core = createCore({ host: 'web', store, source: 'live' });
    const preview = await dispatch(core.api, 'clusters.importPreview', { path: file });
    expect(preview).toMatchObject({
      path: file,
      candidates: expect.arrayContaining([
        expect.objectContaining({ alias: 'alpha', exists: true, problems: [] }),
        expect.objectContaining({ alias: 'gpu2', exists: false, config: expect.objectContaining({ host: '10.1.2.3', port: 2222, jump: [expect.objectContaining({ host: 'bastion.example.org', port: 22 })] }) }),
      ]),
      skipped: [expect.objectContaining({ alias: 'pc', reason: expect.stringContaining('ProxyCommand') })],
    });
    expect((await core.api['clusters.list']({})).clusters.map((c) => c.config.name)).toEqual(['alpha']);
    await expect(dispatch(core.api, 'clusters.import', { path: file, hosts: ['gpu2'] })).resolves.toEqual({ imported: ['gpu2'], skipped: [] });
    expect((await core.api['clusters.list']({})).clusters.map((c) => c.config.name)).toEqual(['alpha', 'gpu2']);
    store.close();
  });

  it('says what is wrong with the path', async () => {
    const dir = tempDir();
    const store = storeWith(dir, []);
    const core = createCore({ host: 'web', store, source: 'live' });
    await expect(core.api['clusters.importPreview']({ path: 'relative/config' })).rejects.toThrow('give the config file as an absolute path or ~/…, not "relative/config"');
    await expect(core.api['clusters.importPreview']({ path: path.join(dir, 'missing') })).rejects.toThrow(/missing/);
    await expect(dispatch(core.api, 'clusters.import', { path: '/x', hosts: [] })).rejects.toThrow('choose at least one host');
    store.close();
  });
});

describe('sameConfig', () => {
  it('ignores key order, not values', () => {
    expect(sameConfig({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 })).toBe(true);
    expect(sameConfig({ a: 1, b: [1, 2] }, { a: 1, b: [2, 1] })).toBe(false);
  });
});
