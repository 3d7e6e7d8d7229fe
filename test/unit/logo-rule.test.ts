// One rule for a logo (common/logo.ts). The organization form accepted SVG and files up to
// 256 KB, whose data URL (≈ 350k characters) the store's authority rule (200k, no SVG) then
// refused — on the device, or after a sync on the hub. The form, the input schema and the
// authority table now read the same numbers: what one takes, all take.
import { describe, expect, it } from 'vitest';
import { invalidValue } from '#common/authority/table';
import { LOGO_MAX_BYTES, LOGO_MEDIA_TYPES } from '#common/logo';
import { CreateOrganization } from '#common/organizations.schema';

const dataUrl = (type: string, bytes: number) =>
  `data:${type};base64,${Buffer.alloc(bytes, 7).toString('base64')}`;
const takenBySchema = (logo: string) => CreateOrganization.shape.logo.safeParse(logo).success;
const takenByAuthority = (logo: string) => invalidValue('organizations', 'logo', logo) === null;

describe('a logo', () => {
  it.each(LOGO_MEDIA_TYPES)(
    'of the largest size the form lets through (%s) is taken by the schema and the store',
    (type) => {
      const logo = dataUrl(type, LOGO_MAX_BYTES);
      expect(takenBySchema(logo)).toBe(true);
      expect(takenByAuthority(logo)).toBe(true);
    },
  );

  it('a kilobyte more than the form allows is refused by both (the 256 KB the form once took too)', () => {
    expect(takenBySchema(dataUrl('image/png', 256 * 1024))).toBe(false);
    const logo = dataUrl('image/png', LOGO_MAX_BYTES + 1024);
    expect(takenBySchema(logo)).toBe(false);
    expect(takenByAuthority(logo)).toBe(false);
  });

  it('an SVG (which the PDF cannot draw and a page could script) is refused by both', () => {
    const logo = dataUrl('image/svg+xml', 1_000);
    expect(takenBySchema(logo)).toBe(false);
    expect(takenByAuthority(logo)).toBe(false);
  });
});
