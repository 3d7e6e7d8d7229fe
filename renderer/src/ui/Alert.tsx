import type { ReactNode } from 'react';
import { IconAlert, IconCheckCircle, IconInfo } from './icons';

export function Alert({
  tone = 'info',
  title,
  children,
  testId,
  action,
}: {
  tone?: 'info' | 'warning' | 'error' | 'success';
  title?: ReactNode;
  children?: ReactNode;
  testId?: string;
  action?: ReactNode;
}) {
  const icon = tone === 'success' ? <IconCheckCircle /> : tone === 'info' ? <IconInfo /> : <IconAlert />;
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <span className="alert-icon">{icon}</span>
      <div className="alert-content">
        {title && <p className="alert-title">{title}</p>}
        {children && <div className="alert-text">{children}</div>}
      </div>
      {action && <div className="alert-action">{action}</div>}
    </div>
  );
}
