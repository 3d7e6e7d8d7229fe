import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { captureToken, checkCookieAccess } from './api/client';
import { queryClient } from './api/queries';
import { App } from './App';
import { initI18n } from './i18n';
import { initTheme } from './theme/theme';
import { AriaLocale } from './ui/AriaLocale';
import { ToastProvider } from './ui/Toast';
import './theme/theme.css';
import './ui/ui.css';
import './ui/date-field.css';
import './app/app.css';

// Before anything renders: take the token out of the address bar, pick the palette and language.
captureToken();
initTheme();
const i18n = initI18n();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

// A tab without a token asks the host whether its cookie lets it in, before the first render.
void checkCookieAccess().then(() =>
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <AriaLocale>
          <QueryClientProvider client={queryClient}>
            <ToastProvider>
              <App />
            </ToastProvider>
          </QueryClientProvider>
        </AriaLocale>
      </I18nextProvider>
    </StrictMode>,
  ),
);
