// IPC channel names shared by main.ts and preload.ts. No imports: the sandboxed preload is
// bundled from this file and must stay tiny.
export const INVOKE_CHANNEL = 'kontor:invoke';
export const EVENT_CHANNEL = 'kontor:event';
export const SAVE_CHANNEL = 'kontor:save';
