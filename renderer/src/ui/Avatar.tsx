// Initials as the core prints them on PDFs and lists: one rule, in common/.
import { initialsOf } from '#common/organization-display';

export function OrgAvatar({
  name,
  color,
  logo,
  size = 28,
}: {
  name: string;
  color: string;
  logo?: string | null;
  size?: number;
}) {
  const style = {
    width: size,
    height: size,
    fontSize: Math.max(10, Math.round(size * 0.4)),
    borderRadius: Math.round(size * 0.24),
  };
  if (logo) {
    return <img className="org-avatar org-avatar-logo" src={logo} alt="" style={style} />;
  }
  return (
    <span className="org-avatar" style={{ ...style, background: color }} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}

const PERSON_COLORS = [
  '#6366f1',
  '#0ea5e9',
  '#10b981',
  '#f59e0b',
  '#ef4444',
  '#ec4899',
  '#8b5cf6',
  '#14b8a6',
];

export function PersonAvatar({ name, size = 28 }: { name: string; size?: number }) {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  const color = PERSON_COLORS[hash % PERSON_COLORS.length];
  return (
    <span
      className="person-avatar"
      style={{
        width: size,
        height: size,
        background: color,
        fontSize: Math.max(10, Math.round(size * 0.38)),
      }}
      aria-hidden="true"
    >
      {initialsOf(name)}
    </span>
  );
}
