import type { ReactNode, SVGProps } from 'react';

// A handful of 16px line icons (drawn on a 24 grid, 1.75 stroke), decorative by default.
export type IconProps = SVGProps<SVGSVGElement> & { size?: number };

/** Builds an icon component in the house style; feature icon sets reuse it. */
export function makeIcon(paths: ReactNode, displayName: string) {
  const Icon = ({ size = 16, ...props }: IconProps) => (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {paths}
    </svg>
  );
  Icon.displayName = displayName;
  return Icon;
}

export const IconBuilding = makeIcon(
  <>
    <rect x="4" y="3" width="16" height="18" rx="2" />
    <path d="M9 7h1M14 7h1M9 11h1M14 11h1M9 15h1M14 15h1M10 21v-3h4v3" />
  </>,
  'IconBuilding',
);
export const IconBox = makeIcon(
  <>
    <path d="M21 8 12 3 3 8v8l9 5 9-5V8Z" />
    <path d="m3 8 9 5 9-5M12 13v8" />
  </>,
  'IconBox',
);
export const IconTag = makeIcon(
  <>
    <path d="M3 12V4a1 1 0 0 1 1-1h8l9 9-9 9-9-9Z" />
    <circle cx="7.5" cy="7.5" r="1.5" />
  </>,
  'IconTag',
);
export const IconUsers = makeIcon(
  <>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20c.8-3.4 3.4-5.5 6.5-5.5s5.7 2.1 6.5 5.5" />
    <path d="M16 4.6a3.5 3.5 0 0 1 0 6.8M18 14.8c1.8.8 3 2.6 3.5 5.2" />
  </>,
  'IconUsers',
);
export const IconMapPin = makeIcon(
  <>
    <path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21Z" />
    <circle cx="12" cy="9.5" r="2.5" />
  </>,
  'IconMapPin',
);
export const IconTeam = makeIcon(
  <>
    <circle cx="12" cy="7" r="3" />
    <circle cx="5" cy="10" r="2.2" />
    <circle cx="19" cy="10" r="2.2" />
    <path d="M7 20c.5-3 2.5-5 5-5s4.5 2 5 5M1.5 18c.4-2 1.7-3.3 3.5-3.5M22.5 18c-.4-2-1.7-3.3-3.5-3.5" />
  </>,
  'IconTeam',
);
export const IconActivity = makeIcon(<path d="M3 12h4l3-8 4 16 3-8h4" />, 'IconActivity');
export const IconSettings = makeIcon(
  <>
    <circle cx="12" cy="12" r="3" />
    <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1Z" />
  </>,
  'IconSettings',
);
export const IconGrid = makeIcon(
  <>
    <rect x="3.5" y="3.5" width="7" height="7" rx="1.5" />
    <rect x="13.5" y="3.5" width="7" height="7" rx="1.5" />
    <rect x="3.5" y="13.5" width="7" height="7" rx="1.5" />
    <rect x="13.5" y="13.5" width="7" height="7" rx="1.5" />
  </>,
  'IconGrid',
);
export const IconPlus = makeIcon(<path d="M12 5v14M5 12h14" />, 'IconPlus');
export const IconSearch = makeIcon(
  <>
    <circle cx="11" cy="11" r="6.5" />
    <path d="m20 20-4.2-4.2" />
  </>,
  'IconSearch',
);
export const IconChevronDown = makeIcon(<path d="m6 9 6 6 6-6" />, 'IconChevronDown');
export const IconChevronUpDown = makeIcon(<path d="m8 9 4-4 4 4M8 15l4 4 4-4" />, 'IconChevronUpDown');
export const IconArrowUp = makeIcon(<path d="M12 19V5M6 11l6-6 6 6" />, 'IconArrowUp');
export const IconArrowDown = makeIcon(<path d="M12 5v14M6 13l6 6 6-6" />, 'IconArrowDown');
export const IconArrowRight = makeIcon(<path d="M5 12h14M13 6l6 6-6 6" />, 'IconArrowRight');
export const IconCheck = makeIcon(<path d="m5 12.5 4.5 4.5L19 7.5" />, 'IconCheck');
export const IconX = makeIcon(<path d="M6 6l12 12M18 6 6 18" />, 'IconX');
export const IconPencil = makeIcon(
  <path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16v4ZM13.5 6.5l4 4" />,
  'IconPencil',
);
export const IconTrash = makeIcon(<path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" />, 'IconTrash');
export const IconStar = makeIcon(
  <path d="m12 3.5 2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9L12 3.5Z" />,
  'IconStar',
);
export const IconAlert = makeIcon(
  <>
    <path d="M12 3.5 2.5 20h19L12 3.5Z" />
    <path d="M12 10v4M12 17.2v.1" />
  </>,
  'IconAlert',
);
export const IconInfo = makeIcon(
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 11v5M12 7.8v.1" />
  </>,
  'IconInfo',
);
export const IconCheckCircle = makeIcon(
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="m8 12.5 2.7 2.7L16 10" />
  </>,
  'IconCheckCircle',
);
export const IconUpload = makeIcon(
  <path d="M12 16V4M7 9l5-5 5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3" />,
  'IconUpload',
);
export const IconDatabase = makeIcon(
  <>
    <ellipse cx="12" cy="5.5" rx="7.5" ry="2.5" />
    <path d="M4.5 5.5v13c0 1.4 3.4 2.5 7.5 2.5s7.5-1.1 7.5-2.5v-13M4.5 12c0 1.4 3.4 2.5 7.5 2.5s7.5-1.1 7.5-2.5" />
  </>,
  'IconDatabase',
);
export const IconGlobe = makeIcon(
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="M3 12h18M12 3c2.5 2.5 3.7 5.5 3.7 9s-1.2 6.5-3.7 9c-2.5-2.5-3.7-5.5-3.7-9S9.5 5.5 12 3Z" />
  </>,
  'IconGlobe',
);
export const IconSun = makeIcon(
  <>
    <circle cx="12" cy="12" r="4" />
    <path d="M12 2.5v2M12 19.5v2M2.5 12h2M19.5 12h2M5.3 5.3l1.4 1.4M17.3 17.3l1.4 1.4M5.3 18.7l1.4-1.4M17.3 6.7l1.4-1.4" />
  </>,
  'IconSun',
);
export const IconUser = makeIcon(
  <>
    <circle cx="12" cy="8" r="4" />
    <path d="M4 21c1-4 4.2-6.5 8-6.5s7 2.5 8 6.5" />
  </>,
  'IconUser',
);
export const IconExternal = makeIcon(
  <path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" />,
  'IconExternal',
);
export const IconCalendar = makeIcon(
  <>
    <rect x="3.5" y="5" width="17" height="15.5" rx="2" />
    <path d="M3.5 10h17M8 3v4M16 3v4" />
  </>,
  'IconCalendar',
);
