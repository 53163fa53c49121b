// Native dialogs: the host-key question (the HostKeyPrompt port) and the save dialog for exports.
import path from 'node:path';
import type { BrowserWindow, Dialog, MessageBoxOptions, SaveDialogOptions } from 'electron';
import type { z } from 'zod';
import type { SaveFileRequest, SaveFileResult } from '../../shared/api/methods/dialogs';
import { HOST_KEY_PROMPT_TIMEOUT_MS } from '../core/runtime/host-key-broker';
import type { HostKeyAnswer, HostKeyPrompt, HostKeyQuestion } from '../core/ports';

type Parent = () => BrowserWindow | null;

/** Button order of the host-key dialog; Reject is first, the default and what Escape picks. */
export const HOST_KEY_BUTTONS: readonly { label: string; answer: HostKeyAnswer }[] = [
  { label: 'Reject', answer: 'reject' },
  { label: 'Accept Once', answer: 'accept-once' },
  { label: 'Accept and Remember', answer: 'accept-and-pin' },
];

export function hostKeyMessage(q: HostKeyQuestion, timeoutMs: number): MessageBoxOptions {
  const where = q.role === 'target' ? `the login host of cluster ${q.cluster}` : `jump host ${q.role.jump + 1} on the way to cluster ${q.cluster}`;
  const hostPort = q.port === 22 ? q.host : `[${q.host}]:${q.port}`;
  const known = q.otherKeyTypes.length > 0 ? `\n\nKeys of other types are already known for this host (${q.otherKeyTypes.join(', ')}): it added a ${q.keyType} key, it did not change one.` : '';
  return {
    type: 'warning',
    title: 'Unknown host key',
    message: `${hostPort} presented a ${q.keyType} key that is not known yet`,
    detail:
      `This is ${where}.\n\nSHA-256 fingerprint:\n${q.fingerprint}\n\n` +
      `Compare it with the fingerprint your cluster's administrators publish (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host) before accepting.${known}\n\n` +
      `Without an answer within ${Math.round(timeoutMs / 1000)} s the key is rejected.`,
    buttons: HOST_KEY_BUTTONS.map((b) => b.label),
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

/**
 * Asks with a message box over the console window, one question at a time. A question not answered in
 * time is rejected (fail closed: nobody looked at the key) and its box closed; one that expired while
 * waiting for an earlier box is rejected without being shown.
 */
export class DialogHostKeyPrompt implements HostKeyPrompt {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly open = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly dialog: Pick<Dialog, 'showMessageBox'>,
    private readonly parent: Parent,
    private readonly timeoutMs = HOST_KEY_PROMPT_TIMEOUT_MS,
  ) {}

  ask(question: HostKeyQuestion): Promise<HostKeyAnswer> {
    const deadline = Date.now() + this.timeoutMs;
    const answer = this.queue.then(() => this.show(question, deadline));
    this.queue = answer.catch(() => undefined);
    return answer;
  }

  /** The app is quitting: close the open box and reject every question, asked or queued. */
  close(): void {
    this.closed = true;
    for (const c of this.open) c.abort();
  }

  private async show(question: HostKeyQuestion, deadline: number): Promise<HostKeyAnswer> {
    const left = deadline - Date.now();
    if (left <= 0 || this.closed) return 'reject';
    const controller = new AbortController();
    this.open.add(controller);
    const timer = setTimeout(() => controller.abort(), left);
    try {
      const options = { ...hostKeyMessage(question, this.timeoutMs), signal: controller.signal };
      const parent = this.parent();
      const { response } = parent && !parent.isDestroyed() ? await this.dialog.showMessageBox(parent, options) : await this.dialog.showMessageBox(options);
      if (controller.signal.aborted) return 'reject';
      return HOST_KEY_BUTTONS[response]?.answer ?? 'reject';
    } catch {
      return 'reject';
    } finally {
      clearTimeout(timer);
      this.open.delete(controller);
    }
  }
}

export function saveDialogOptions(request: z.output<typeof SaveFileRequest>, documentsDir: string): SaveDialogOptions {
  return {
    ...(request.title ? { title: request.title } : {}),
    defaultPath: path.join(documentsDir, request.defaultName),
    filters: request.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

/** dialogs.saveFile in the desktop app: the path the user chose, or null when they cancelled. */
export async function showSaveFile(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  parent: Parent,
  documentsDir: string,
  request: z.output<typeof SaveFileRequest>,
): Promise<SaveFileResult> {
  const options = saveDialogOptions(request, documentsDir);
  const win = parent();
  const result = win && !win.isDestroyed() ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return { available: true, path: result.canceled || !result.filePath ? null : result.filePath };
}
