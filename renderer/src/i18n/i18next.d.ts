import 'i18next';
import type billing from './billing.en.json';
import type dunning from './dunning.en.json';
import type en from './en.json';
import type einvoice from './einvoice.en.json';
import type mail from './mail.en.json';
import type partners from './partners.en.json';

// Typed keys: a t('…') call with a key missing from en.json fails the type check.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: {
      translation: typeof en & {
        partners: typeof partners;
        einvoice: typeof einvoice;
        billing: typeof billing;
        mail: typeof mail;
        dunning: typeof dunning;
      };
    };
    returnNull: false;
  }
}
