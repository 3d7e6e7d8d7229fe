import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IconButton } from './Button';
import { IconAlert, IconCheckCircle, IconInfo, IconX } from './icons';

type Tone = 'success' | 'error' | 'info';
/** A button in the toast: "Undo" after a deletion. */
export interface ToastAction {
  label: string;
  run: () => void;
}
interface ToastItem {
  id: number;
  tone: Tone;
  message: string;
  action?: ToastAction;
}

interface ToastApi {
  success(message: string, action?: ToastAction): void;
  error(message: string): void;
  info(message: string): void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(1);
  const { t } = useTranslation();

  const dismiss = useCallback((id: number) => setItems((list) => list.filter((item) => item.id !== id)), []);
  const push = useCallback(
    (tone: Tone, message: string, action?: ToastAction) => {
      const id = nextId.current++;
      setItems((list) => [...list.slice(-3), { id, tone, message, action }]);
      // Errors stay longer: they are read, not glanced at; an undo leaves time to change one's mind.
      setTimeout(() => dismiss(id), tone === 'error' || action ? 9000 : 4500);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(
    () => ({
      success: (m, action) => push('success', m, action),
      error: (m) => push('error', m),
      info: (m) => push('info', m),
    }),
    [push],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toast-region" aria-live="polite" aria-label={t('common.notifications')}>
        {items.map((item) => (
          <div
            key={item.id}
            className={`toast toast-${item.tone}`}
            role={item.tone === 'error' ? 'alert' : 'status'}
            data-testid="toast"
            data-tone={item.tone}
          >
            <span className="toast-icon">
              {item.tone === 'success' ? (
                <IconCheckCircle />
              ) : item.tone === 'error' ? (
                <IconAlert />
              ) : (
                <IconInfo />
              )}
            </span>
            <p className="toast-message">{item.message}</p>
            {item.action && (
              <button
                type="button"
                className="btn btn-secondary btn-sm toast-action"
                data-testid="toast-action"
                onClick={() => {
                  dismiss(item.id);
                  item.action?.run();
                }}
              >
                {item.action.label}
              </button>
            )}
            <IconButton
              label={t('common.dismiss')}
              icon={<IconX size={14} />}
              size="sm"
              onClick={() => dismiss(item.id)}
            />
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast outside ToastProvider');
  return api;
}
