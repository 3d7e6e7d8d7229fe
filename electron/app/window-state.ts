import fs from 'node:fs';
import path from 'node:path';

/**
 * Desktop-only settings (window bounds, theme override) in a small JSON file next to the
 * database in userData. They belong to this machine's screen, not to the data, so they are
 * not in the database and never sync. Everything read back is validated: a hand-edited or
 * half-written file falls back to defaults rather than placing the window off-screen.
 */
export const SETTINGS_FILE_NAME = 'desktop-settings.json';
export const SETTINGS_VERSION = 1;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type ThemeSource = 'system' | 'light' | 'dark';
export const THEME_SOURCES: readonly ThemeSource[] = ['system', 'light', 'dark'];

export interface WindowState {
  /** The normal (restored) bounds, also when the window was maximized. */
  bounds: Rect;
  maximized: boolean;
}

export interface DesktopSettings {
  version: typeof SETTINGS_VERSION;
  window: WindowState | null;
  theme: ThemeSource;
}

export const DEFAULT_SETTINGS: DesktopSettings = { version: SETTINGS_VERSION, window: null, theme: 'system' };
export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 820 } as const;
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const;
/** How much of the window (from its top-left, where the title bar is) must stay on a screen. */
const MIN_VISIBLE = { width: 120, height: 60 } as const;
const COORDINATE_LIMIT = 1_000_000;

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A rectangle with finite, sane coordinates and a positive size, rounded; else null. */
export function parseRect(value: unknown): Rect | null {
  if (value === null || typeof value !== 'object') return null;
  const { x, y, width, height } = value as Record<string, unknown>;
  if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(width) || !isFiniteNumber(height))
    return null;
  if (Math.abs(x) > COORDINATE_LIMIT || Math.abs(y) > COORDINATE_LIMIT) return null;
  if (width < 1 || height < 1 || width > COORDINATE_LIMIT || height > COORDINATE_LIMIT) return null;
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
}

export function parseWindowState(value: unknown): WindowState | null {
  if (value === null || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  const bounds = parseRect(record.bounds);
  if (!bounds) return null;
  return { bounds, maximized: record.maximized === true };
}

export function parseTheme(value: unknown): ThemeSource {
  return typeof value === 'string' && (THEME_SOURCES as readonly string[]).includes(value)
    ? (value as ThemeSource)
    : 'system';
}

/** Never throws: each invalid part falls back to its default on its own. */
export function parseSettings(value: unknown): DesktopSettings {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ...DEFAULT_SETTINGS };
  const record = value as Record<string, unknown>;
  return {
    version: SETTINGS_VERSION,
    window: parseWindowState(record.window),
    theme: parseTheme(record.theme),
  };
}

export function readSettingsFile(file: string): DesktopSettings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
  try {
    return parseSettings(JSON.parse(text));
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export function writeSettingsFile(file: string, settings: DesktopSettings): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, 'utf8');
  fs.renameSync(temporary, file);
}

function intersectionArea(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

export interface WindowPlacement {
  width: number;
  height: number;
  /** Absent: let the OS centre the window. */
  x?: number;
  y?: number;
  maximized: boolean;
}

function centredIn(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return {
    x: area.x + Math.round((area.width - w) / 2),
    y: area.y + Math.round((area.height - h) / 2),
    width: w,
    height: h,
  };
}

function sizeWithin(area: Rect, width: number, height: number): { width: number; height: number } {
  // Never smaller than the minimum unless the screen itself is smaller.
  return {
    width: clamp(width, Math.min(MIN_WINDOW_SIZE.width, area.width), area.width),
    height: clamp(height, Math.min(MIN_WINDOW_SIZE.height, area.height), area.height),
  };
}

/**
 * Where to open the window. `workAreas` are the displays' work areas (screen.getAllDisplays()
 * mapped to workArea), the primary display first. A saved window is kept where it was when
 * enough of it is on some display, shrunk to fit that display and pulled fully inside it; a
 * window left on a display that is gone opens centred on the primary display instead.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[]): WindowPlacement {
  const areas = workAreas.map(parseRect).filter((area): area is Rect => area !== null);
  const primary = areas[0];
  if (!primary) {
    const size = saved?.bounds ?? DEFAULT_WINDOW_SIZE;
    return { width: size.width, height: size.height, maximized: saved?.maximized ?? false };
  }
  if (!saved) {
    const width = Math.min(DEFAULT_WINDOW_SIZE.width, Math.round(primary.width * 0.9));
    const height = Math.min(DEFAULT_WINDOW_SIZE.height, Math.round(primary.height * 0.9));
    return { ...centredIn(primary, width, height), maximized: false };
  }

  const { bounds } = saved;
  let best: Rect | null = null;
  let bestArea = 0;
  for (const area of areas) {
    // Judge by the top strip: a window whose title bar is off-screen cannot be moved back.
    const titleBar = {
      x: bounds.x,
      y: bounds.y,
      width: bounds.width,
      height: Math.min(bounds.height, MIN_VISIBLE.height),
    };
    const overlap = intersectionArea(titleBar, area);
    const visible =
      overlap.width >= Math.min(MIN_VISIBLE.width, bounds.width) &&
      overlap.height >= Math.min(MIN_VISIBLE.height, bounds.height);
    const size = overlap.width * overlap.height;
    if (visible && size > bestArea) {
      best = area;
      bestArea = size;
    }
  }
  if (!best) {
    const size = sizeWithin(primary, bounds.width, bounds.height);
    return { ...centredIn(primary, size.width, size.height), maximized: saved.maximized };
  }
  const size = sizeWithin(best, bounds.width, bounds.height);
  return {
    x: clamp(bounds.x, best.x, best.x + best.width - size.width),
    y: clamp(bounds.y, best.y, best.y + best.height - size.height),
    width: size.width,
    height: size.height,
    maximized: saved.maximized,
  };
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending save must not keep the process alive on its own (flush() runs on quit).
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Debounced<T> {
  /** Remember `value` and run after `delayMs` of quiet; a later call replaces it. */
  schedule(value: T): void;
  /** Run now with the pending value, if any. */
  flush(): void;
  cancel(): void;
  readonly pending: boolean;
}

export function debounce<T>(
  run: (value: T) => void,
  delayMs: number,
  timers: Timers = realTimers,
): Debounced<T> {
  let handle: unknown = null;
  let pendingValue: { value: T } | null = null;
  const fire = () => {
    handle = null;
    const next = pendingValue;
    pendingValue = null;
    if (next) run(next.value);
  };
  return {
    schedule(value) {
      pendingValue = { value };
      if (handle !== null) timers.clearTimeout(handle);
      handle = timers.setTimeout(fire, delayMs);
    },
    flush() {
      if (handle !== null) timers.clearTimeout(handle);
      fire();
    },
    cancel() {
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
      pendingValue = null;
    },
    get pending() {
      return pendingValue !== null;
    },
  };
}

export interface SettingsStore {
  get(): DesktopSettings;
  /** Changes the settings now and writes them after a quiet period. */
  update(patch: Partial<Omit<DesktopSettings, 'version'>>): DesktopSettings;
  /** Writes a pending change immediately (on close and quit). */
  flush(): void;
}

export interface SettingsStoreOptions {
  delayMs?: number;
  timers?: Timers;
  log?: (message: string) => void;
}

export function createSettingsStore(file: string, options: SettingsStoreOptions = {}): SettingsStore {
  const log = options.log ?? (() => {});
  let current = readSettingsFile(file);
  const saver = debounce<DesktopSettings>(
    (settings) => {
      try {
        writeSettingsFile(file, settings);
      } catch (error) {
        // Losing a window position is not worth an error dialog.
        log(`[kontor] could not save ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    options.delayMs ?? 400,
    options.timers,
  );
  return {
    get: () => current,
    update(patch) {
      current = parseSettings({ ...current, ...patch });
      saver.schedule(current);
      return current;
    },
    flush: () => saver.flush(),
  };
}
