import { describe, expect, it } from 'vitest';
import { MAX_HUB_URLS, normalizeHubUrls, sameHubUrls, splitHubUrls } from '#common/sync/hub-urls';

describe('a device’s list of hub addresses', () => {
  it('reads one address or several (commas, spaces, new lines), written one way, duplicates dropped', () => {
    expect(normalizeHubUrls('https://hub.example.ch/')).toEqual({
      ok: true,
      urls: ['https://hub.example.ch'],
      stored: 'https://hub.example.ch',
    });
    const list = normalizeHubUrls(' http://a:8787/, http://b:8787\nhttp://a:8787  http://c:8787 ');
    expect(list).toEqual({
      ok: true,
      urls: ['http://a:8787', 'http://b:8787', 'http://c:8787'],
      stored: 'http://a:8787 http://b:8787 http://c:8787',
    });
    expect(splitHubUrls(list.ok ? list.stored : '')).toEqual([
      'http://a:8787',
      'http://b:8787',
      'http://c:8787',
    ]);
  });

  it('names the first address that is not one, and refuses an empty or oversized list', () => {
    expect(normalizeHubUrls('http://a:8787, ftp://b')).toEqual({ ok: false, bad: 'ftp://b' });
    expect(normalizeHubUrls('http://a:8787,not a url')).toEqual({ ok: false, bad: 'not' });
    expect(normalizeHubUrls(' , ')).toMatchObject({ ok: false });
    const many = Array.from({ length: MAX_HUB_URLS + 1 }, (_, i) => `http://h${i}:1`).join(',');
    expect(normalizeHubUrls(many)).toMatchObject({ ok: false });
  });

  it('takes two lists that share an address for the same hub', () => {
    expect(sameHubUrls('http://a:1 http://b:1', 'http://b:1 http://c:1')).toBe(true);
    expect(sameHubUrls('http://a:1', 'http://c:1')).toBe(false);
    expect(sameHubUrls(null, 'http://c:1')).toBe(false);
  });
});
