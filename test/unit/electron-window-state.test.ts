import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createSettingsStore,
  DEFAULT_SETTINGS,
  debounce,
  MIN_WINDOW_SIZE,
  parseSettings,
  placeWindow,
  readSettingsFile,
  type Rect,
  type Timers,
  writeSettingsFile,
} from '../../electron/app/window-state';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 875 };
const rightMonitor: Rect = { x: 1440, y: -200, width: 2560, height: 1400 };

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-window-state-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Timers the test advances by hand. */
function manualTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; run: () => void }>();
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = next++;
      pending.set(id, { at: now + ms, run: callback });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...pending]) {
        if (timer.at <= now) {
          pending.delete(id);
          timer.run();
        }
      }
    },
    get pendingCount() {
      return pending.size;
    },
  };
}

describe('parseSettings', () => {
  it('keeps valid values and rounds coordinates', () => {
    const parsed = parseSettings({
      version: 1,
      theme: 'dark',
      window: { bounds: { x: 10.4, y: 20.6, width: 1000, height: 700 }, maximized: true },
    });
    expect(parsed).toEqual({
      version: 1,
      theme: 'dark',
      window: { bounds: { x: 10, y: 21, width: 1000, height: 700 }, maximized: true },
    });
  });

  it('falls back part by part on anything invalid', () => {
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings([1, 2])).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({ theme: 'purple' }).theme).toBe('system');
    expect(
      parseSettings({ theme: 'light', window: { bounds: { x: 0, y: 0, width: -5, height: 10 } } }),
    ).toEqual({
      version: 1,
      theme: 'light',
      window: null,
    });
    for (const bounds of [
      { x: Number.NaN, y: 0, width: 100, height: 100 },
      { x: 0, y: '0', width: 100, height: 100 },
      { x: 0, y: 0, width: Number.POSITIVE_INFINITY, height: 100 },
      { x: 1e12, y: 0, width: 100, height: 100 },
      { x: 0, y: 0, width: 0, height: 100 },
      {},
    ]) {
      expect(parseSettings({ window: { bounds } }).window, JSON.stringify(bounds)).toBeNull();
    }
    expect(
      parseSettings({ window: { bounds: { x: 0, y: 0, width: 900, height: 600 }, maximized: 'yes' } }).window
        ?.maximized,
    ).toBe(false);
  });
});

describe('settings file', () => {
  it('round-trips and survives a missing or corrupt file', () => {
    const file = path.join(tempDir(), 'nested', 'desktop-settings.json');
    expect(readSettingsFile(file)).toEqual(DEFAULT_SETTINGS);
    const settings = {
      version: 1 as const,
      theme: 'light' as const,
      window: { bounds: { x: 5, y: 6, width: 900, height: 600 }, maximized: false },
    };
    writeSettingsFile(file, settings);
    expect(readSettingsFile(file)).toEqual(settings);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['desktop-settings.json']);
    fs.writeFileSync(file, '{"theme": "dark", "window": {');
    expect(readSettingsFile(file)).toEqual(DEFAULT_SETTINGS);
  });
});

describe('placeWindow', () => {
  it('centres a first window on the primary display, within its work area', () => {
    const placed = placeWindow(null, [laptop, rightMonitor]);
    expect(placed.maximized).toBe(false);
    expect(placed.width).toBeLessThanOrEqual(laptop.width);
    expect(placed.height).toBeLessThanOrEqual(laptop.height);
    expect(placed.x).toBe(Math.round((laptop.width - placed.width) / 2));
    expect(placed.y).toBe(Math.round((laptop.height - placed.height) / 2));
  });

  it('keeps a window that is fully visible where it was', () => {
    const saved = { bounds: { x: 1600, y: 0, width: 1200, height: 800 }, maximized: false };
    expect(placeWindow(saved, [laptop, rightMonitor])).toEqual({ ...saved.bounds, maximized: false });
  });

  it('keeps the maximized flag', () => {
    const saved = { bounds: { x: 100, y: 100, width: 1000, height: 700 }, maximized: true };
    expect(placeWindow(saved, [laptop]).maximized).toBe(true);
  });

  it('pulls a partly visible window fully onto its display', () => {
    const saved = { bounds: { x: 1000, y: 500, width: 1000, height: 700 }, maximized: false };
    const placed = placeWindow(saved, [laptop]);
    expect(placed).toEqual({ x: 440, y: 175, width: 1000, height: 700, maximized: false });
  });

  it('shrinks a window larger than its display', () => {
    const saved = { bounds: { x: 1500, y: -100, width: 5000, height: 3000 }, maximized: false };
    const placed = placeWindow(saved, [laptop, rightMonitor]);
    expect(placed).toEqual({
      x: rightMonitor.x,
      y: rightMonitor.y,
      width: rightMonitor.width,
      height: rightMonitor.height,
      maximized: false,
    });
  });

  it('moves a window from a display that is gone to the primary display', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: false };
    const placed = placeWindow(saved, [laptop]);
    expect(placed.x).toBeGreaterThanOrEqual(0);
    expect(placed.y).toBeGreaterThanOrEqual(0);
    expect((placed.x ?? 0) + placed.width).toBeLessThanOrEqual(laptop.width);
    expect((placed.y ?? 0) + placed.height).toBeLessThanOrEqual(laptop.height);
    expect(placed.width).toBe(1200);
  });

  it('treats a window whose title bar is off-screen as lost', () => {
    // Only the bottom 40 px peek out at the top of the laptop screen.
    const saved = { bounds: { x: 100, y: -760, width: 1000, height: 800 }, maximized: false };
    const placed = placeWindow(saved, [laptop]);
    expect(placed.y).toBeGreaterThanOrEqual(0);
    expect(placed.x).toBe(Math.round((laptop.width - 1000) / 2));
  });

  it('never goes below the minimum size unless the screen is smaller', () => {
    const saved = { bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false };
    const placed = placeWindow(saved, [laptop]);
    expect(placed.width).toBe(MIN_WINDOW_SIZE.width);
    expect(placed.height).toBe(MIN_WINDOW_SIZE.height);
    const tiny: Rect = { x: 0, y: 0, width: 640, height: 480 };
    const onTiny = placeWindow(saved, [tiny]);
    expect(onTiny.width).toBe(640);
    expect(onTiny.height).toBe(480);
  });

  it('ignores invalid display rectangles and copes with none', () => {
    const saved = { bounds: { x: 10, y: 10, width: 1000, height: 700 }, maximized: false };
    expect(placeWindow(saved, [])).toEqual({ width: 1000, height: 700, maximized: false });
    expect(placeWindow(null, [{ x: 0, y: 0, width: Number.NaN, height: 0 }])).toEqual({
      width: 1280,
      height: 820,
      maximized: false,
    });
  });
});

describe('debounce', () => {
  it('runs once with the last value after a quiet period', () => {
    const clock = manualTimers();
    const runs: number[] = [];
    const d = debounce((v: number) => runs.push(v), 300, clock.timers);
    d.schedule(1);
    clock.advance(200);
    d.schedule(2);
    clock.advance(200);
    d.schedule(3);
    expect(runs).toEqual([]);
    expect(d.pending).toBe(true);
    clock.advance(300);
    expect(runs).toEqual([3]);
    expect(d.pending).toBe(false);
    expect(clock.pendingCount).toBe(0);
  });

  it('flushes now and cancels', () => {
    const clock = manualTimers();
    const runs: number[] = [];
    const d = debounce((v: number) => runs.push(v), 300, clock.timers);
    d.flush();
    expect(runs).toEqual([]);
    d.schedule(1);
    d.flush();
    expect(runs).toEqual([1]);
    clock.advance(1000);
    expect(runs).toEqual([1]);
    d.schedule(2);
    d.cancel();
    clock.advance(1000);
    expect(runs).toEqual([1]);
  });
});

describe('createSettingsStore', () => {
  it('updates in memory at once and writes after the delay', () => {
    const file = path.join(tempDir(), 'desktop-settings.json');
    const clock = manualTimers();
    const store = createSettingsStore(file, { delayMs: 500, timers: clock.timers });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    store.update({ theme: 'dark' });
    store.update({ window: { bounds: { x: 1, y: 2, width: 900, height: 600 }, maximized: false } });
    expect(store.get().theme).toBe('dark');
    expect(fs.existsSync(file)).toBe(false);
    clock.advance(500);
    expect(readSettingsFile(file)).toEqual(store.get());
    // A new store (the next start) reads what was saved.
    expect(createSettingsStore(file).get()).toEqual(store.get());
  });

  it('flush writes a pending change immediately', () => {
    const file = path.join(tempDir(), 'desktop-settings.json');
    const clock = manualTimers();
    const store = createSettingsStore(file, { timers: clock.timers });
    store.update({ theme: 'light' });
    store.flush();
    expect(readSettingsFile(file).theme).toBe('light');
  });

  it('validates updates too', () => {
    const store = createSettingsStore(path.join(tempDir(), 's.json'), { timers: manualTimers().timers });
    store.update({ theme: 'neon' as never });
    expect(store.get().theme).toBe('system');
  });

  it('logs instead of throwing when the file cannot be written', () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, 'x');
    const logs: string[] = [];
    const store = createSettingsStore(path.join(blocker, 'desktop-settings.json'), {
      timers: manualTimers().timers,
      log: (l) => logs.push(l),
    });
    store.update({ theme: 'dark' });
    expect(() => store.flush()).not.toThrow();
    expect(logs).toHaveLength(1);
  });
});
