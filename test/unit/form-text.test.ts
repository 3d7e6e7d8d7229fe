import { describe, expect, it } from 'vitest';
import { storedTexts, textFields } from '../../renderer/src/lib/form-text';

describe('form texts', () => {
  it('reads a missing stored text as an empty field, and keeps only the keys asked for', () => {
    const stored = { bic: 'POFICHBEXXX', qrIban: null, other: 'x' };
    expect(textFields(stored, ['bic', 'qrIban', 'shortName'])).toEqual({
      bic: 'POFICHBEXXX',
      qrIban: '',
      shortName: '',
    });
    expect(textFields(null, ['bic'])).toEqual({ bic: '' });
  });

  it('stores an empty or blank field as none and trims the others', () => {
    const state = { bic: '  POFICHBEXXX ', qrIban: '   ', city: 'Bern' };
    expect(storedTexts(state, ['bic', 'qrIban'])).toEqual({
      bic: 'POFICHBEXXX',
      qrIban: null,
    });
  });
});
