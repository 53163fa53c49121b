// The window's size, place and maximized state, kept in a small JSON file in the app's user-data folder
// and restored on the next start — unless the place is no longer on any screen (a monitor was unplugged),
// then the window opens centred on the primary one.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';
import { z } from 'zod';

const Size = z.number().int().min(200).max(20_000);
const Place = z.number().int().min(-100_000).max(100_000);

export const WindowState = z.object({
  width: Size,
  height: Size,
  x: Place.optional(),
  y: Place.optional(),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1440, height: 900, maximized: false };

/** Whether at least a 100×50 corner of the title bar area would be on one of the screens. */
function visible(state: WindowState, workAreas: readonly Rectangle[]): boolean {
  if (state.x === undefined || state.y === undefined) return false;
  const { x, y } = state;
  return workAreas.some((a) => x + 100 > a.x && x < a.x + a.width - 100 && y >= a.y && y < a.y + a.height - 50);
}

/** The saved state (anything unreadable: the default), without a place that is off every screen. */
export function loadWindowState(file: string, workAreas: readonly Rectangle[]): WindowState {
  let state: WindowState;
  try {
    const parsed = WindowState.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    state = parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
  } catch {
    state = DEFAULT_WINDOW_STATE;
  }
  if (!visible(state, workAreas)) {
    const { x: _x, y: _y, ...sizeOnly } = state;
    return sizeOnly;
  }
  return state;
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

/** The state to save: the normal (not maximized) bounds, so un-maximizing after a restart works. */
export function stateOf(win: Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized'>): WindowState {
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: Math.max(200, b.width), height: Math.max(200, b.height), maximized: win.isMaximized() };
}

/** Save the window's state when it closes, and (debounced) after it is moved or resized. */
export function trackWindowState(win: BrowserWindow, file: string): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    try {
      saveWindowState(file, stateOf(win));
    } catch (err) {
      console.warn(`could not save the window state to ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 1000);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', save);
}
