import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '#common/enums';
import { call } from '../../api/client';
import { errorMessage, invalidateAfter, useApi, useApiMutation } from '../../api/queries';
import type { Member } from '../../api/types';
import { useMay } from '../../app/acting';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { PersonAvatar } from '../../ui/Avatar';
import { Badge } from '../../ui/Badge';
import { Button, IconButton } from '../../ui/Button';
import { DataTable } from '../../ui/DataTable';
import { ConfirmDialog, DialogForm, FormDialog } from '../../ui/Dialog';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { IconTrash, IconUsers } from '../../ui/icons';
import { EmptyState, PanelHeader } from '../../ui/Layout';
import { QueryState } from '../../ui/QueryState';
import { useToast } from '../../ui/Toast';

const ROLE_CLASS: Record<Role, string> = {
  legal_representative: 'role-legal',
  administrator: 'role-admin',
  accountant: 'role-accountant',
  member: 'role-member',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function MembersPanel({ orgId }: { orgId: string }) {
  const may = useMay(orgId);
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const members = useApi('members.list', { organizationId: orgId });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const changeRole = useApiMutation('members.changeRole', {
    onSuccess: (m) => {
      setRefusal(null);
      toast.success(t('members.roleChanged', { name: m.person.name, role: t(`roles.${m.role}`) }));
    },
    onError: (e) => setRefusal(e.message),
  });
  const client = useQueryClient();
  const remove = useApiMutation('members.remove', {
    onSuccess: () => {
      const gone = removing;
      // Undo: the same person back, with the same role and standing.
      const undo = gone && {
        label: t('common.undo'),
        run: () =>
          void call('members.add', {
            organizationId: orgId,
            personId: gone.person.id,
            role: gone.role,
            external: gone.external,
          })
            .then(() => invalidateAfter(client, 'members.add'))
            .catch((e: unknown) => toast.error(errorMessage(e))),
      };
      toast.success(t('members.removed', { name: gone?.person.name ?? '' }), undo || undefined);
      setRemoving(null);
      setRefusal(null);
    },
  });

  const list = members.data ?? [];
  const legalCount = list.filter((m) => m.role === 'legal_representative').length;

  return (
    <div className="panel">
      <PanelHeader
        title={t('members.title')}
        subtitle={t('members.subtitle')}
        add={
          may('memberships', 'insert') && {
            label: t('members.add'),
            onPress: () => setAdding(true),
            testId: 'member-add',
          }
        }
      />
      {refusal && (
        <Alert
          tone="error"
          testId="members-error"
          action={
            <Button size="sm" variant="ghost" onClick={() => setRefusal(null)}>
              {t('common.dismiss')}
            </Button>
          }
        >
          {refusal}
        </Alert>
      )}
      <QueryState
        query={members}
        isEmpty={() => list.length === 0}
        empty={
          <EmptyState
            icon={<IconUsers size={22} />}
            title={t('members.emptyTitle')}
            body={t('members.emptyBody')}
            testId="members-empty"
          />
        }
      >
        {() => (
          <DataTable
            testId="members-table"
            columns={[
              { label: t('members.columns.person') },
              { label: t('members.columns.role') },
              { label: t('members.columns.since') },
              { label: t('common.actions'), className: 'actions-col', hiddenLabel: true },
            ]}
          >
            {list.map((m) => (
              <tr key={m.id} data-testid="member-row" data-member-email={m.person.email}>
                <td>
                  <div className="cell-org">
                    <PersonAvatar name={m.person.name} size={30} />
                    <div className="cell-stack">
                      <span className="cell-title">
                        {m.person.name}
                        {m.external && (
                          <Badge tone="violet" testId="member-external">
                            {t('members.external')}
                          </Badge>
                        )}
                      </span>
                      <span className="cell-sub">{m.person.email}</span>
                    </div>
                  </div>
                </td>
                <td>
                  <div className={`role-select ${ROLE_CLASS[m.role]}`}>
                    <select
                      value={m.role}
                      aria-label={t('members.changeRole', { name: m.person.name })}
                      disabled={changeRole.isPending}
                      onChange={(e) =>
                        changeRole.mutate({
                          organizationId: orgId,
                          personId: m.personId,
                          role: e.target.value as Role,
                        })
                      }
                      data-testid={`member-role-${m.person.email}`}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {t(`roles.${role}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                  {m.role === 'legal_representative' && legalCount === 1 && (
                    <span className="cell-note" title={t('members.lastLegalHint')}>
                      {t('members.lastLegal')}
                    </span>
                  )}
                </td>
                <td className="muted">{fmt.date(m.createdAt)}</td>
                <td className="actions-col">
                  <IconButton
                    label={t('members.remove', { name: m.person.name })}
                    icon={<IconTrash size={14} />}
                    size="sm"
                    tone="danger"
                    onClick={() => {
                      remove.reset();
                      setRemoving(m);
                    }}
                    data-testid={`member-remove-${m.person.email}`}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
      <AddMemberDialog open={adding} orgId={orgId} onClose={() => setAdding(false)} />
      <ConfirmDialog
        open={removing !== null}
        title={t('members.removeTitle', { name: removing?.person.name ?? '' })}
        body={t('members.removeBody')}
        confirmLabel={t('common.remove')}
        busy={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => removing && remove.mutate({ organizationId: orgId, personId: removing.personId })}
        onClose={() => setRemoving(null)}
      />
    </div>
  );
}

function AddMemberDialog({ open, orgId, onClose }: { open: boolean; orgId: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={t('members.addTitle')}
      description={t('members.addDescription')}
      testId="member-form"
    >
      <AddMemberBody orgId={orgId} onClose={onClose} />
    </FormDialog>
  );
}

function AddMemberBody({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [external, setExternal] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const add = useApiMutation('members.add', {
    onSuccess: (m) => {
      toast.success(t('members.added', { name: m.person.name }));
      onClose();
    },
  });
  const emailError = !email.trim()
    ? t('members.form.emailRequired')
    : !EMAIL.test(email.trim())
      ? t('members.form.emailInvalid')
      : null;

  return (
    <DialogForm
      onSubmit={() => {
        setSubmitted(true);
        if (emailError) return;
        add.mutate({
          organizationId: orgId,
          email: email.trim(),
          ...(name.trim() ? { name: name.trim() } : {}),
          role,
          external,
        });
      }}
      onCancel={onClose}
      error={add.error?.message}
      errorTestId="member-form-error"
      submit={{ label: t('members.add'), loading: add.isPending, testId: 'member-form-submit' }}
    >
      <TextField
        label={t('members.form.email')}
        type="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={submitted ? emailError : null}
        autoFocus
        autoComplete="email"
        testId="member-form-email"
      />
      <TextField
        label={t('members.form.name')}
        optional={t('common.optional')}
        value={name}
        onChange={(e) => setName(e.target.value)}
        hint={t('members.form.nameHint')}
        autoComplete="name"
        testId="member-form-name"
      />
      <SelectField
        label={t('members.form.role')}
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
        options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        hint={t(`members.roleHints.${role}`)}
        testId="member-form-role"
      />
      <Checkbox
        label={t('members.form.external')}
        description={t('members.form.externalHint')}
        checked={external}
        onChange={(e) => setExternal(e.target.checked)}
        testId="member-form-external"
      />
    </DialogForm>
  );
}
