// The Notifier port on Electron's Notification: one desktop notification per new or re-opened alert.
// Clicking it brings the console window to the front and tells the page, on the shell's `alert.open`
// channel, to open that alert.
import type { BrowserWindow, Notification, NotificationConstructorOptions } from 'electron';
import { shellEventChannel } from '../../shared/api/ipc';
import type { AlertNotice, Notifier } from '../core/ports';

type NotificationClass = {
  new (options: NotificationConstructorOptions): Notification;
  isSupported(): boolean;
};

export function notificationOptions(notice: AlertNotice): NotificationConstructorOptions {
  return {
    title: `${notice.cluster}: ${notice.title}`,
    body: notice.body,
    urgency: notice.severity === 'critical' ? 'critical' : notice.severity === 'warning' ? 'normal' : 'low',
    silent: notice.severity === 'info',
    timeoutType: notice.severity === 'critical' ? 'never' : 'default',
  };
}

/** Bring the window to the front and ask its page to open the alert. */
export function openAlertInWindow(win: BrowserWindow | null, alertId: number): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  win.webContents.send(shellEventChannel('alert.open'), { alertId });
}

export class ElectronNotifier implements Notifier {
  /** Shown notifications stay referenced until closed: a collected one no longer delivers its click. */
  private readonly shown = new Set<Notification>();

  constructor(
    private readonly NotificationImpl: NotificationClass,
    private readonly onClick: (alertId: number) => void,
  ) {}

  notify(notice: AlertNotice): void {
    if (!this.NotificationImpl.isSupported()) return;
    const n = new this.NotificationImpl(notificationOptions(notice));
    this.shown.add(n);
    n.on('click', () => {
      this.shown.delete(n);
      this.onClick(notice.alertId);
    });
    n.on('close', () => this.shown.delete(n));
    n.show();
  }
}
