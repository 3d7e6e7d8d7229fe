import { makeIcon as make } from '../../ui/icons';

// The icons the invoicing screens add, drawn with ui/icons.tsx's makeIcon (24 grid, 1.75 stroke).
export const IconInvoice = make(
  <>
    <path d="M6 3h9l4 4v14l-2.5-1.5L14 21l-2-1.5L10 21l-2.5-1.5L6 21Z" />
    <path d="M9 9h6M9 13h6M9 17h3" />
  </>,
  'IconInvoice',
);
export const IconWallet = make(
  <>
    <path d="M4 7.5A2.5 2.5 0 0 1 6.5 5H18v3" />
    <rect x="4" y="8" width="16" height="11" rx="2" />
    <path d="M16 13.5h1.5" />
  </>,
  'IconWallet',
);
export const IconDownload = make(
  <path d="M12 4v12M7 11l5 5 5-5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3" />,
  'IconDownload',
);
export const IconBell = make(
  <>
    <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15Z" />
    <path d="M10 20.5a2 2 0 0 0 4 0" />
  </>,
  'IconBell',
);
export const IconArrowLeft = make(<path d="M19 12H5M11 18l-6-6 6-6" />, 'IconArrowLeft');
export const IconPackage = make(
  <>
    <path d="M12 3 4 7v10l8 4 8-4V7Z" />
    <path d="m4 7 8 4 8-4M12 11v10" />
  </>,
  'IconPackage',
);
export const IconCoins = make(
  <>
    <ellipse cx="9" cy="7" rx="5" ry="2.5" />
    <path d="M4 7v4c0 1.4 2.2 2.5 5 2.5s5-1.1 5-2.5V7M10 16.4c.6.1 1.3.1 2 .1 2.8 0 5-1.1 5-2.5" />
    <path d="M14 10.6c2.9.1 6 1.1 6 2.4v4c0 1.4-2.2 2.5-5 2.5-2.3 0-4.3-.8-4.8-1.9" />
  </>,
  'IconCoins',
);
export const IconMail = make(
  <>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <path d="m4 7 8 6 8-6" />
  </>,
  'IconMail',
);
