// How the CLI answers the SSH layer's questions: host keys (an unknown key is accepted only if its
// fingerprint was given with --accept-host-key, or the person at the terminal says so; in cron nothing is
// asked and the key is refused with its fingerprint in the error) and key passphrases / passwords (asked
// on the terminal, never stored by the CLI).
import type { HostKeyAnswer, HostKeyPrompt, HostKeyQuestion, SecretPrompt, SecretRequest } from '../../core/ports';
import type { CliIo } from './context';

export function cliHostKeyPrompt(io: CliIo, acceptFingerprints: readonly string[]): HostKeyPrompt {
  return {
    async ask(q: HostKeyQuestion): Promise<HostKeyAnswer> {
      if (acceptFingerprints.includes(q.fingerprint)) return 'accept-and-pin';
      const where = q.role === 'target' ? `${q.host}:${q.port}` : `${q.host}:${q.port} (jump host ${q.role.jump + 1})`;
      if (!io.readLine) return 'reject';
      io.stderr(
        `The authenticity of ${where} for cluster ${q.cluster} can't be established.\n` +
          `${q.keyType} key fingerprint is ${q.fingerprint}.\n` +
          (q.otherKeyTypes.length ? `(The host is known with other key types: ${q.otherKeyTypes.join(', ')}.)\n` : ''),
      );
      const answer = (await io.readLine('Trust this key and remember it (yes/no/once)? '))?.trim().toLowerCase();
      if (answer === 'yes' || answer === 'y') return 'accept-and-pin';
      if (answer === 'once') return 'accept-once';
      return 'reject';
    },
  };
}

export function cliSecretPrompt(io: CliIo): SecretPrompt {
  return {
    async ask(request: SecretRequest) {
      if (!io.readLine) return null;
      const prompt =
        request.kind === 'key-passphrase'
          ? `${request.retry ? 'Wrong passphrase. ' : ''}Passphrase for ${request.identityFile} (cluster ${request.cluster}): `
          : `${request.retry ? 'Wrong password. ' : ''}Password for ${request.user}@${request.host}:${request.port} (cluster ${request.cluster}): `;
      const value = await io.readLine(prompt, { secret: true });
      return value === null ? null : { value, remember: false };
    },
  };
}
