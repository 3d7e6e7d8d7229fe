import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useMay } from '../../app/acting';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { errorMessage, invalidateAfter, useApi, useApiMutation } from '../../api/queries';
import type { Member, Team } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { QueryState } from '../../ui/QueryState';
import { PersonAvatar } from '../../ui/Avatar';
import { Badge } from '../../ui/Badge';
import { ConfirmDialog, Dialog, DialogForm } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { IconBox, IconTeam, IconX } from '../../ui/icons';
import { DeleteAction, EditAction } from '../../ui/RowActions';
import { EmptyState, PanelHeader } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';
import { ProductPicker } from '../products/ProductPicker';

export function TeamsPanel({ orgId }: { orgId: string }) {
  const may = useMay(orgId);
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const teams = useApi('teams.list', { organizationId: orgId });
  const members = useApi('members.list', { organizationId: orgId });
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const remove = useApiMutation('teams.delete', {
    onSuccess: (team) => {
      setDeleting(null);
      toast.success(t('teams.deleted', { name: team.name }));
    },
  });
  const list = teams.data ?? [];

  return (
    <div className="panel">
      <PanelHeader
        title={t('teams.title')}
        subtitle={t('teams.subtitle')}
        add={
          may('work_teams', 'insert') && {
            label: t('teams.create'),
            onPress: () => setEditing('new'),
            testId: 'team-create',
          }
        }
      />
      <QueryState
        query={teams}
        isEmpty={() => list.length === 0}
        empty={
          <EmptyState
            icon={<IconTeam size={22} />}
            title={t('teams.emptyTitle')}
            body={t('teams.emptyBody')}
            testId="teams-empty"
          />
        }
      >
        {() => (
          <div className="card-grid">
            {list.map((team) => {
              const leader = team.members.find((m) => m.id === team.leaderPersonId);
              return (
                <article
                  key={team.id}
                  className="team-card"
                  data-testid="team-card"
                  data-team-name={team.name}
                >
                  <header className="team-card-header">
                    <h3 className="team-name">{team.name}</h3>
                    <div className="team-card-actions">
                      {may('work_teams', 'update') && (
                        <EditAction onPress={() => setEditing(team)} testId="team-edit" />
                      )}
                      {may('work_teams', 'tombstone') && (
                        <DeleteAction
                          onPress={() => {
                            remove.reset();
                            setDeleting(team);
                          }}
                          testId="team-delete"
                        />
                      )}
                    </div>
                  </header>
                  <p className="team-leader">
                    {leader ? (
                      <>
                        <PersonAvatar name={leader.name} size={20} />
                        <span>{t('teams.ledBy', { name: leader.name })}</span>
                      </>
                    ) : (
                      <span className="muted">{t('teams.noLeader')}</span>
                    )}
                  </p>
                  <div className="team-members">
                    <div className="avatar-stack" aria-hidden="true">
                      {team.members.slice(0, 6).map((m) => (
                        <PersonAvatar key={m.id} name={m.name} size={24} />
                      ))}
                    </div>
                    <span className="muted">{t('teams.memberCount', { count: team.members.length })}</span>
                    {team.members.some((m) => m.external) && (
                      <Badge tone="violet">{t('teams.hasExternal')}</Badge>
                    )}
                  </div>
                  <p className="team-products">
                    <IconBox size={14} />
                    {t('teams.productCount', {
                      count: team.productIds.length,
                      formatted: fmt.number(team.productIds.length),
                    })}
                  </p>
                </article>
              );
            })}
          </div>
        )}
      </QueryState>
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing && editing !== 'new' ? t('teams.editTitle') : t('teams.createTitle')}
        size="lg"
        testId="team-form"
        bare
      >
        {editing !== null && (
          <TeamForm
            orgId={orgId}
            team={editing === 'new' ? null : editing}
            members={members.data ?? []}
            onClose={() => setEditing(null)}
          />
        )}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={t('teams.deleteTitle', { name: deleting?.name ?? '' })}
        body={t('teams.deleteBody')}
        confirmLabel={t('common.delete')}
        busy={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}

const NAMES_SHOWN = 40;

function TeamForm({
  orgId,
  team,
  members,
  onClose,
}: {
  orgId: string;
  team: Team | null;
  members: Member[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const client = useQueryClient();
  const [name, setName] = useState(team?.name ?? '');
  const [leader, setLeader] = useState(team?.leaderPersonId ?? '');
  const [memberIds, setMemberIds] = useState<string[]>(team?.members.map((m) => m.id) ?? []);
  const [productIds, setProductIds] = useState<string[]>(team?.productIds ?? []);
  const [names, setNames] = useState<Record<string, string>>({});
  const [memberFilter, setMemberFilter] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Teams carry product ids only; the names of the first few come from products.get.
  const initialIds = (team?.productIds ?? []).slice(0, NAMES_SHOWN);
  const fetched = useQueries({
    queries: initialIds.map((id) => ({
      queryKey: ['products.get', { id }],
      queryFn: () => call('products.get', { id }),
      staleTime: 60_000,
    })),
  });
  const nameOf = (id: string): string | undefined =>
    names[id] ?? fetched.find((q) => q.data?.id === id)?.data?.name;

  const shownMembers = useMemo(() => {
    const q = memberFilter.trim().toLocaleLowerCase();
    return q
      ? members.filter((m) => `${m.person.name} ${m.person.email}`.toLocaleLowerCase().includes(q))
      : members;
  }, [members, memberFilter]);

  const nameError = name.trim() ? null : t('teams.form.nameRequired');
  const toggleMember = (id: string) =>
    setMemberIds((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const effectiveMembers = leader && !memberIds.includes(leader) ? [...memberIds, leader] : memberIds;

  const submit = async () => {
    setSubmitted(true);
    setError(null);
    if (nameError) return;
    setSaving(true);
    try {
      if (!team) {
        await call('teams.create', {
          organizationId: orgId,
          name: name.trim(),
          leaderPersonId: leader || null,
          memberIds: effectiveMembers,
          productIds,
        });
        toast.success(t('teams.created', { name: name.trim() }));
      } else {
        if (name.trim() !== team.name || (leader || null) !== team.leaderPersonId) {
          await call('teams.update', { id: team.id, name: name.trim(), leaderPersonId: leader || null });
        }
        const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
        if (
          !same(
            effectiveMembers,
            team.members.map((m) => m.id),
          )
        )
          await call('teams.setMembers', { id: team.id, personIds: effectiveMembers });
        if (!same(productIds, team.productIds)) await call('teams.setProducts', { id: team.id, productIds });
        toast.success(t('teams.saved', { name: name.trim() }));
      }
      invalidateAfter(client, 'teams.update');
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      invalidateAfter(client, 'teams.update');
    } finally {
      setSaving(false);
    }
  };

  return (
    <DialogForm
      onSubmit={() => {
        void submit();
      }}
      onCancel={onClose}
      error={error}
      errorTestId="team-form-error"
      submit={{
        label: team ? t('common.save') : t('teams.create'),
        loading: saving,
        testId: 'team-form-submit',
      }}
    >
      <div className="form-grid-2">
        <TextField
          label={t('teams.form.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={submitted ? nameError : null}
          autoFocus
          testId="team-form-name"
        />
        <SelectField
          label={t('teams.form.leader')}
          value={leader}
          onChange={(e) => setLeader(e.target.value)}
          options={[
            { value: '', label: t('teams.form.noLeader') },
            ...members.map((m) => ({ value: m.personId, label: m.person.name })),
          ]}
          testId="team-form-leader"
        />
      </div>
      <div className="team-form-columns">
        <fieldset className="fieldset">
          <legend className="field-label">
            {t('teams.form.members')} <span className="field-optional">{effectiveMembers.length}</span>
          </legend>
          {members.length === 0 ? (
            <p className="field-hint">{t('teams.form.noMembers')}</p>
          ) : (
            <>
              {members.length > 8 && (
                <input
                  className="input input-sm"
                  value={memberFilter}
                  onChange={(e) => setMemberFilter(e.target.value)}
                  placeholder={t('teams.form.findMember')}
                  aria-label={t('teams.form.findMember')}
                />
              )}
              <div className="check-list" data-testid="team-form-members">
                {shownMembers.map((m) => {
                  const isLeader = m.personId === leader;
                  return (
                    <label key={m.personId} className="check-row">
                      <input
                        type="checkbox"
                        className="checkbox"
                        checked={isLeader || memberIds.includes(m.personId)}
                        disabled={isLeader}
                        onChange={() => toggleMember(m.personId)}
                        data-testid={`team-form-member-${m.person.email}`}
                      />
                      <PersonAvatar name={m.person.name} size={22} />
                      <span className="check-row-text">
                        <span>{m.person.name}</span>
                        <span className="cell-sub">{m.person.email}</span>
                      </span>
                      {isLeader && <Badge tone="accent">{t('teams.form.leaderBadge')}</Badge>}
                      {m.external && <Badge tone="violet">{t('members.external')}</Badge>}
                    </label>
                  );
                })}
              </div>
            </>
          )}
        </fieldset>
        <fieldset className="fieldset">
          <legend className="field-label">
            {t('teams.form.products')} <span className="field-optional">{productIds.length}</span>
          </legend>
          <ProductPicker
            orgId={orgId}
            label={t('teams.form.findProduct')}
            isPicked={(id) => productIds.includes(id)}
            onPick={(p) => {
              setNames((n) => ({ ...n, [p.id]: p.name }));
              setProductIds((ids) => (ids.includes(p.id) ? ids.filter((x) => x !== p.id) : [...ids, p.id]));
            }}
            testId="team-form-product-picker"
          />
          {productIds.length > 0 && (
            <div className="picked" data-testid="team-form-products">
              {productIds.slice(0, NAMES_SHOWN).map((id) => (
                <span key={id} className="picked-chip">
                  <span>{nameOf(id) ?? '…'}</span>
                  <button
                    type="button"
                    aria-label={t('teams.form.removeProduct', { name: nameOf(id) ?? '' })}
                    onClick={() => setProductIds((ids) => ids.filter((x) => x !== id))}
                  >
                    <IconX size={11} />
                  </button>
                </span>
              ))}
              {productIds.length > NAMES_SHOWN && (
                <span className="muted">
                  {t('teams.form.moreProducts', { count: productIds.length - NAMES_SHOWN })}
                </span>
              )}
            </div>
          )}
        </fieldset>
      </div>
    </DialogForm>
  );
}
