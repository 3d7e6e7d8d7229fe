// The only bridge between the page and the main process. Runs sandboxed with context
// isolation: it exposes two functions on window.kontor and never hands the page ipcRenderer,
// an event object or anything else it could call back through.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { KontorBridge, KontorEventEnvelope } from '#core/api/bridge-types';
import { EVENT_CHANNEL, INVOKE_CHANNEL, SAVE_CHANNEL } from './app/channels';

const EVENT_NAMES: ReadonlySet<string> = new Set(['changed']);

const bridge: KontorBridge = {
  invoke(method, input, locale) {
    return ipcRenderer.invoke(INVOKE_CHANNEL, {
      method: String(method),
      input,
      locale: typeof locale === 'string' ? locale : navigator.language,
    });
  },
  save(method, input, locale) {
    return ipcRenderer.invoke(SAVE_CHANNEL, {
      method: String(method),
      input,
      locale: typeof locale === 'string' ? locale : navigator.language,
    });
  },
  on(event, listener) {
    const name = String(event);
    if (!EVENT_NAMES.has(name) || typeof listener !== 'function') return () => {};
    const handler = (_event: IpcRendererEvent, message: KontorEventEnvelope) => {
      if (message && typeof message === 'object' && message.name === name) {
        // Only the payload crosses into the page, never the IpcRendererEvent.
        (listener as (payload: unknown) => void)(message.payload);
      }
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('kontor', bridge);
