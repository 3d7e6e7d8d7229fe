// A device may know several addresses of one hub: hub processes on one database, reached
// without (or beside) a load balancer. They are tried in order; the first that answers serves
// the call (core/sync/hub-client.ts). Stored in sync_state.hub_url as one string, the
// addresses separated by a space (a URL never holds a raw space): one field, one fact.

/** More addresses than any firm runs hub processes: a typo'd paste, not a hub. */
export const MAX_HUB_URLS = 8;

/** The addresses of a stored or typed list (commas, spaces or new lines between them). */
export function splitHubUrls(text: string | null | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).filter(Boolean);
}

/**
 * A typed list, each address checked (http or https) and written one way (no trailing slash),
 * duplicates dropped: the stored form, or the first address that is not one.
 */
export function normalizeHubUrls(
  text: string,
): { ok: true; urls: string[]; stored: string } | { ok: false; bad: string } {
  const urls: string[] = [];
  const typed = splitHubUrls(text);
  if (typed.length === 0 || typed.length > MAX_HUB_URLS) return { ok: false, bad: text.trim() };
  for (const one of typed) {
    let url: URL;
    try {
      url = new URL(one);
    } catch {
      return { ok: false, bad: one };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, bad: one };
    const clean = url.toString().replace(/\/+$/, '');
    if (!urls.includes(clean)) urls.push(clean);
  }
  return { ok: true, urls, stored: urls.join(' ') };
}

/** Two stored lists name the same hub when they share an address. */
export function sameHubUrls(a: string | null | undefined, b: string | null | undefined): boolean {
  const left = splitHubUrls(a);
  return splitHubUrls(b).some((u) => left.includes(u));
}
