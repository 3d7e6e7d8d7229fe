import { makeIcon } from '../../ui/icons';

// The billing cycle's icons, in the house style (ui/icons.tsx).
export const IconRefresh = makeIcon(
  <path d="M20 11a8 8 0 0 0-14.6-4.5L4 8M4 4v4h4M4 13a8 8 0 0 0 14.6 4.5L20 16M20 20v-4h-4" />,
  'IconRefresh',
);
export const IconBank = makeIcon(
  <path d="M3 10h18M12 3l9 5H3l9-5ZM5 10v8M9.5 10v8M14.5 10v8M19 10v8M3 21h18" />,
  'IconBank',
);
