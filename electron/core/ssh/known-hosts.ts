// Parse OpenSSH known_hosts files and decide whether a presented host key is trusted, unknown, changed or
// revoked. Handles hashed entries (|1|salt|hash), [host]:port, wildcard and negated patterns, and the
// @revoked marker, as OpenSSH does (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
import { createHash, createHmac } from 'node:crypto';

export interface KnownHostEntry {
  marker: 'revoked' | 'cert-authority' | null;
  /** Comma-separated host patterns as written, or one hashed entry. */
  patterns: string[];
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  key: Buffer;
  /** Where the entry came from, for error messages: "file:line". */
  source: string;
}

export function parseKnownHosts(text: string, sourceName = 'known_hosts'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: OpenSSH ignores the line too
    }
    const [hosts, keyType, keyB64] = fields;
    if (!hosts || !keyType || !keyB64) return;
    const key = Buffer.from(keyB64, 'base64');
    if (key.length === 0) return;
    let hashed: KnownHostEntry['hashed'] = null;
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|');
      if (!salt || !hash) return;
      hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    }
    entries.push({
      marker,
      patterns: hashed ? [] : hosts.split(','),
      hashed,
      keyType,
      key,
      source: `${sourceName}:${index + 1}`,
    });
  });
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function lookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = lookupName(host, port);
  if (entry.hashed) {
    const digest = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return digest.equals(entry.hashed.hash);
  }
  let matched = false;
  for (const pattern of entry.patterns) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (globToRegExp(body).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) throw new Error('host key blob too short');
  const len = blob.readUInt32BE(0);
  if (len > blob.length - 4) throw new Error('host key blob malformed');
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's SHA256 fingerprint: "SHA256:" + unpadded base64 of the key blob's SHA-256. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export type HostKeyVerdict =
  | { status: 'trusted'; fingerprint: string; source: string }
  | { status: 'unknown'; fingerprint: string; keyType: string; otherKeyTypes: string[] }
  | { status: 'changed'; fingerprint: string; knownFingerprints: string[]; sources: string[] }
  | { status: 'revoked'; fingerprint: string; source: string };

/**
 * Judge a presented host key against known_hosts entries. A revoked key is refused whatever else matches;
 * a known host presenting a different key of the same type is "changed" (possible man-in-the-middle).
 */
export function judgeHostKey(entries: readonly KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const fingerprint = fingerprintSha256(blob);
  const keyType = keyTypeOfBlob(blob);
  const matching = entries.filter((e) => e.marker !== 'cert-authority' && entryMatchesHost(e, host, port));
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(blob));
  if (revoked) return { status: 'revoked', fingerprint, source: revoked.source };
  const plain = matching.filter((e) => e.marker === null);
  const same = plain.find((e) => e.key.equals(blob));
  if (same) return { status: 'trusted', fingerprint, source: same.source };
  const sameType = plain.filter((e) => e.keyType === keyType);
  if (sameType.length > 0) {
    return {
      status: 'changed',
      fingerprint,
      knownFingerprints: sameType.map((e) => fingerprintSha256(e.key)),
      sources: sameType.map((e) => e.source),
    };
  }
  return { status: 'unknown', fingerprint, keyType, otherKeyTypes: [...new Set(plain.map((e) => e.keyType))] };
}
