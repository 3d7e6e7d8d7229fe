import { describe, expect, it } from 'vitest';
import type { ApiResult } from '#core/api/contract';
import type { ChangeListener, InvokeOptions } from '#core/api/router';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../electron/app/channels';
import {
  createInvokeHandler,
  forwardChanges,
  type InvokeEventLike,
  isTrustedSender,
  parseInvokeMessage,
} from '../../electron/app/ipc';

const WINDOW_ID = 7;
const mainFrame = { url: 'app://kontor/index.html', parent: null };
const trusted: InvokeEventLike = { sender: { id: WINDOW_ID }, senderFrame: mainFrame };

describe('channels', () => {
  it('are the names the preload and main agree on', () => {
    expect(INVOKE_CHANNEL).toBe('kontor:invoke');
    expect(EVENT_CHANNEL).toBe('kontor:event');
  });
});

describe('parseInvokeMessage', () => {
  it('accepts method, input and locale', () => {
    expect(parseInvokeMessage({ method: 'organizations.list', input: { q: 'a' }, locale: 'fr-CH' })).toEqual({
      ok: true,
      value: { method: 'organizations.list', input: { q: 'a' }, locale: 'fr-CH' },
    });
    expect(parseInvokeMessage({ method: 'system.info' })).toEqual({
      ok: true,
      value: { method: 'system.info', input: undefined, locale: undefined },
    });
    expect(parseInvokeMessage(Object.assign(Object.create(null), { method: 'a.b', input: 1 })).ok).toBe(true);
  });

  it('refuses what is not a plain message object', () => {
    for (const message of [null, undefined, 'system.info', 42, ['system.info'], new Date(), new Map()]) {
      expect(parseInvokeMessage(message).ok, String(message)).toBe(false);
    }
  });

  it('refuses a bad method name', () => {
    for (const method of [
      undefined,
      '',
      42,
      {},
      'constructor()',
      '__proto__.x',
      'a..b',
      '.a',
      'a.',
      'a b',
      'x'.repeat(201),
      'a/b',
    ]) {
      const parsed = parseInvokeMessage({ method, input: {} });
      expect(parsed.ok, String(method)).toBe(false);
      if (!parsed.ok) expect(parsed.path).toBe('method');
    }
  });

  it('refuses a bad locale', () => {
    for (const locale of [42, '', 'x', 'fr-CH; DROP', '../en', 'a'.repeat(65), null]) {
      const parsed = parseInvokeMessage({ method: 'system.info', locale });
      expect(parsed.ok, String(locale)).toBe(false);
      if (!parsed.ok) expect(parsed.path).toBe('locale');
    }
    expect(parseInvokeMessage({ method: 'system.info', locale: 'de' }).ok).toBe(true);
    expect(parseInvokeMessage({ method: 'system.info', locale: 'en_GB' }).ok).toBe(true);
  });

  it('refuses unexpected fields', () => {
    const parsed = parseInvokeMessage({ method: 'system.info', input: {}, locale: 'en', token: 'x' });
    expect(parsed).toMatchObject({ ok: false, path: 'token' });
  });
});

describe('isTrustedSender', () => {
  it('trusts the main frame of our window on app://kontor', () => {
    expect(isTrustedSender(trusted, WINDOW_ID)).toBe(true);
    expect(
      isTrustedSender(
        { sender: { id: WINDOW_ID }, senderFrame: { url: 'app://kontor/organizations/3?x#y', parent: null } },
        WINDOW_ID,
      ),
    ).toBe(true);
  });

  it('refuses another webContents', () => {
    expect(isTrustedSender({ sender: { id: 8 }, senderFrame: mainFrame }, WINDOW_ID)).toBe(false);
    expect(isTrustedSender(trusted, null)).toBe(false);
  });

  it('refuses a subframe, a gone frame and a detached frame', () => {
    expect(
      isTrustedSender(
        { sender: { id: WINDOW_ID }, senderFrame: { url: 'app://kontor/index.html', parent: mainFrame } },
        WINDOW_ID,
      ),
    ).toBe(false);
    expect(isTrustedSender({ sender: { id: WINDOW_ID }, senderFrame: null }, WINDOW_ID)).toBe(false);
    expect(
      isTrustedSender(
        { sender: { id: WINDOW_ID }, senderFrame: { ...mainFrame, detached: true } },
        WINDOW_ID,
      ),
    ).toBe(false);
  });

  it('refuses other origins in our window', () => {
    for (const url of [
      'https://evil.example/',
      'file:///index.html',
      'app://evil/index.html',
      'app://kontor.evil/',
      'about:blank',
      'data:text/html,x',
      '',
    ]) {
      expect(
        isTrustedSender({ sender: { id: WINDOW_ID }, senderFrame: { url, parent: null } }, WINDOW_ID),
        url,
      ).toBe(false);
    }
  });
});

function fakeRouter() {
  const calls: { method: string; input: unknown; options: InvokeOptions | undefined }[] = [];
  const listeners = new Set<ChangeListener>();
  return {
    calls,
    emit: (method: string) => {
      for (const listener of listeners) listener({ method });
    },
    router: {
      invoke: async (
        method: string,
        input: unknown,
        options?: InvokeOptions,
      ): Promise<ApiResult<unknown>> => {
        calls.push({ method, input, options });
        if (method === 'boom.now') throw new Error('kaputt');
        return { ok: true, value: { echoed: input } };
      },
      onChange: (listener: ChangeListener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}

describe('createInvokeHandler', () => {
  const make = (windowId: number | null = WINDOW_ID) => {
    const fake = fakeRouter();
    const logs: string[] = [];
    const handler = createInvokeHandler({
      router: fake.router,
      trustedWebContentsId: () => windowId,
      fallbackLocale: () => 'de-CH',
      log: (line) => logs.push(line),
    });
    return { ...fake, handler, logs };
  };

  it('passes a valid call from our window to the router with its locale', async () => {
    const { handler, calls } = make();
    const result = await handler(trusted, { method: 'organizations.get', input: { id: 'x' }, locale: 'fr' });
    expect(result).toEqual({ ok: true, value: { echoed: { id: 'x' } } });
    expect(calls).toEqual([{ method: 'organizations.get', input: { id: 'x' }, options: { locale: 'fr', door: 'ipc' } }]);
  });

  it('falls back to the OS locale', async () => {
    const { handler, calls } = make();
    await handler(trusted, { method: 'system.info', input: {} });
    expect(calls[0]?.options).toEqual({ locale: 'de-CH', door: 'ipc' });
  });

  it('refuses a foreign sender without calling the router', async () => {
    const { handler, calls, logs } = make();
    const result = await handler(
      { sender: { id: 99 }, senderFrame: mainFrame },
      { method: 'system.restore', input: { file: '/x' }, locale: 'fr' },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    if (!result.ok) expect(result.error.message).toMatch(/Kontor/);
    expect(calls).toHaveLength(0);
    expect(logs.join('\n')).toMatch(/refused IPC/);
  });

  it('refuses everything while there is no window', async () => {
    const { handler, calls } = make(null);
    expect((await handler(trusted, { method: 'system.info' })).ok).toBe(false);
    expect(calls).toHaveLength(0);
  });

  it('answers a malformed message with a translated invalid_input', async () => {
    const { handler, calls } = make();
    const result = await handler(trusted, { method: 42, locale: 'fr' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!result.ok) expect(result.error.message).toMatch(/^Veuillez vérifier/);
    expect(calls).toHaveLength(0);
    const german = await handler(trusted, 'system.info');
    if (!german.ok) expect(german.error.message).toMatch(/^Bitte prüfen/);
  });

  it('never rejects, even if the router throws', async () => {
    const { handler, logs } = make();
    const result = await handler(trusted, { method: 'boom.now', input: {}, locale: 'en' });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logs.join('\n')).toMatch(/kaputt/);
  });
});

describe('forwardChanges', () => {
  it('sends each change as a named event and stops when asked', () => {
    const { router, emit } = fakeRouter();
    const sent: [string, unknown][] = [];
    const stop = forwardChanges(router, (channel, message) => sent.push([channel, message]));
    emit('organizations.create');
    expect(sent).toEqual([
      ['kontor:event', { name: 'changed', payload: { method: 'organizations.create' } }],
    ]);
    stop();
    emit('organizations.update');
    expect(sent).toHaveLength(1);
  });
});
