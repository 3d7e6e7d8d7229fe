import { z } from 'zod';

// An organization's logo travels as a data URL inside its row: the store stays one file and sync
// carries it as one field. One rule for the form, the input schema and the authority table — the
// form once let through SVG and 256 KB files that the store's own rule then refused.

export const LOGO_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const LOGO_MAX_CHARS = 200_000;
/** The largest file whose data URL fits: base64 writes 4 characters per 3 bytes, after a short head. */
export const LOGO_MAX_BYTES = Math.floor((LOGO_MAX_CHARS - 32) / 4) * 3;

export const LogoDataUrl = z
  .string()
  .max(LOGO_MAX_CHARS)
  .regex(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/, 'expected an image data URL');
