// The SecretStore port on Electron's safeStorage (Keychain on macOS, DPAPI on Windows, the desktop's
// secret service or KWallet on Linux). Each secret is one file, mode 0600 in a 0700 folder, named by a
// hash of the secret's name, holding the ciphertext tagged with its scheme. Where safeStorage cannot really
// encrypt — no key available, or Linux's `basic_text` backend, which "encrypts" with a hard-coded key —
// the store refuses to keep anything and says to use ssh-agent instead: a secret is never written in a
// form anyone can read back.
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import type { SecretStore } from '../core/ports';

export const SECRET_SCHEME = 'electron-safeStorage-v1';

const SecretFile = z.object({ scheme: z.string(), data: z.string() });

export class SecretStoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreUnavailableError';
  }
}

type Storage = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'>;

export interface SafeSecretStoreOptions {
  safeStorage: Storage;
  /** Folder of the secret files (created 0700). */
  dir: string;
  /** Default process.platform: the backend is only known (and only can be basic_text) on Linux. */
  platform?: NodeJS.Platform;
}

const USE_AGENT =
  'Passwords and key passphrases are not stored on this machine. Load your key into ssh-agent instead (ssh-add ~/.ssh/id_ed25519) ' +
  "and set the cluster's authentication to ssh-agent.";

export class SafeSecretStore implements SecretStore {
  private readonly storage: Storage;
  private readonly dir: string;
  private readonly platform: NodeJS.Platform;

  constructor(options: SafeSecretStoreOptions) {
    this.storage = options.safeStorage;
    this.dir = options.dir;
    this.platform = options.platform ?? process.platform;
  }

  /** Why secrets cannot be kept here, or null when safeStorage really encrypts. */
  async unavailableReason(): Promise<string | null> {
    if (this.platform === 'linux') {
      const backend = this.storage.getSelectedStorageBackend();
      if (backend === 'basic_text') {
        return `No system keyring is available (Electron's safeStorage would use its "basic_text" backend, whose key is the same on every machine). ${USE_AGENT}`;
      }
    }
    if (!(await this.storage.isAsyncEncryptionAvailable())) {
      return `The system keyring cannot encrypt (safeStorage reports encryption unavailable). ${USE_AGENT}`;
    }
    return null;
  }

  private async requireEncryption(): Promise<void> {
    const reason = await this.unavailableReason();
    if (reason !== null) throw new SecretStoreUnavailableError(reason);
  }

  private fileOf(name: string): string {
    return path.join(this.dir, `${createHash('sha256').update(name).digest('hex')}.json`);
  }

  async get(name: string): Promise<string | null> {
    let text: string;
    try {
      text = await readFile(this.fileOf(name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    await this.requireEncryption();
    const parsed = SecretFile.safeParse(JSON.parse(text));
    if (!parsed.success || parsed.data.scheme !== SECRET_SCHEME) {
      throw new Error(`the stored secret for ${name} is in an unknown format (${parsed.success ? parsed.data.scheme : 'not a secret file'}); delete it and enter it again`);
    }
    const { result, shouldReEncrypt } = await this.storage.decryptStringAsync(Buffer.from(parsed.data.data, 'base64'));
    if (shouldReEncrypt) await this.set(name, result); // the keyring rotated its key
    return result;
  }

  async set(name: string, value: string): Promise<void> {
    await this.requireEncryption();
    const ciphertext = await this.storage.encryptStringAsync(value);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    const file = this.fileOf(name);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify({ scheme: SECRET_SCHEME, data: ciphertext.toString('base64') }), { mode: 0o600, flag: 'w' });
    await chmod(temp, 0o600); // mode applies only when the file is created
    await rename(temp, file);
  }

  async delete(name: string): Promise<void> {
    await rm(this.fileOf(name), { force: true });
  }
}
