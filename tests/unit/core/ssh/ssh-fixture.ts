// Shared set-up for the SSH unit tests: temp directories with key files and known_hosts, a cluster config
// pointing at a TestSshServer, a recording reconnect scheduler, and small in-memory ports.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_POLL, type ClusterAuth, type ClusterConfig, type JumpHost } from '../../../../shared/model/cluster';
import type { HostKeyAnswer, HostKeyPrompt, HostKeyQuestion, SecretPrompt, SecretRequest, SecretStore } from '../../../../electron/core/ports';
import type { Scheduler } from '../../../../electron/core/ssh/backoff';
import type { TestKey, TestSshServer } from './ssh-test-server';

export class TempDir {
  readonly path = mkdtempSync(path.join(os.tmpdir(), 'clusterops-ssh-'));
  write(name: string, text: string, mode = 0o600): string {
    const file = path.join(this.path, name);
    writeFileSync(file, text, { mode });
    return file;
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export function knownHostsLine(server: TestSshServer, key: TestKey = server.hostKey, marker = ''): string {
  return `${marker ? `${marker} ` : ''}[127.0.0.1]:${server.port} ${key.public.trim().split(' ').slice(0, 2).join(' ')}\n`;
}

export function clusterFor(server: TestSshServer, opts: { user?: string; auth: ClusterAuth; knownHostsFiles?: string[]; jump?: JumpHost[] }): ClusterConfig {
  return {
    name: 'unit',
    host: '127.0.0.1',
    port: server.port,
    user: opts.user ?? 'ops',
    auth: opts.auth,
    jump: opts.jump ?? [],
    knownHostsFiles: opts.knownHostsFiles ?? [],
    poll: { ...DEFAULT_POLL },
    enabled: true,
  };
}

/** Records every reconnect delay asked for and fires it after delay × scale ms of real time. */
export class RecordingScheduler implements Scheduler {
  readonly delays: number[] = [];
  constructor(private readonly scale = 0.001) {}
  setTimeout(fn: () => void, ms: number): unknown {
    this.delays.push(ms);
    return setTimeout(fn, ms * this.scale);
  }
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout);
  }
}

/** Never fires: the connection stays offline until the test calls connect(). */
export class ParkedScheduler implements Scheduler {
  readonly delays: number[] = [];
  setTimeout(_fn: () => void, ms: number): unknown {
    this.delays.push(ms);
    return ms;
  }
  clearTimeout(): void {}
}

export class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(name: string) {
    return this.values.get(name) ?? null;
  }
  async set(name: string, value: string) {
    this.values.set(name, value);
  }
  async delete(name: string) {
    this.values.delete(name);
  }
}

export class ScriptedSecretPrompt implements SecretPrompt {
  readonly asked: SecretRequest[] = [];
  constructor(private readonly answers: ({ value: string; remember: boolean } | null)[]) {}
  async ask(request: SecretRequest) {
    this.asked.push(request);
    return this.answers.shift() ?? null;
  }
}

export class ScriptedHostKeyPrompt implements HostKeyPrompt {
  readonly asked: HostKeyQuestion[] = [];
  constructor(private readonly answer: HostKeyAnswer) {}
  async ask(question: HostKeyQuestion) {
    this.asked.push(question);
    return this.answer;
  }
}

export const noKnownHostsDefaults: string[] = [];
