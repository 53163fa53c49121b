// The application menu: Electron's standard roles (so copy/paste, zoom, full screen, hide and quit work as
// on any app of the platform), developer tools only in an unpackaged build, and File > Show Data File,
// which shows the cache database in the file manager (for a backup or a bug report).
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Unpackaged (development) builds get reload and the developer tools. */
  development: boolean;
  showDataFile: () => void;
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    ...(options.development ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(mac ? [{ label: options.appName, role: 'appMenu' } as const] : []),
    { label: 'File', submenu: [{ label: 'Show Data File', click: () => options.showDataFile() }, { type: 'separator' }, mac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  ];
}
