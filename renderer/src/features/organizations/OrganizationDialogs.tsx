import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import type { Organization } from '../../api/types';
import { OrganizationForm } from './OrganizationForm';

interface OrganizationDialogs {
  openCreate(): void;
  openEdit(org: Organization): void;
}

const Context = createContext<OrganizationDialogs | null>(null);

/** One organization form for the whole app: the switcher, the list and the detail page open it. */
export function OrganizationDialogsProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ mode: 'create' } | { mode: 'edit'; org: Organization } | null>(null);
  const close = useCallback(() => setState(null), []);
  const api = useMemo<OrganizationDialogs>(
    () => ({
      openCreate: () => setState({ mode: 'create' }),
      openEdit: (org) => setState({ mode: 'edit', org }),
    }),
    [],
  );
  return (
    <Context.Provider value={api}>
      {children}
      <OrganizationForm
        open={state !== null}
        organization={state?.mode === 'edit' ? state.org : null}
        onClose={close}
      />
    </Context.Provider>
  );
}

export function useOrganizationDialogs(): OrganizationDialogs {
  const api = useContext(Context);
  if (!api) throw new Error('useOrganizationDialogs outside its provider');
  return api;
}
