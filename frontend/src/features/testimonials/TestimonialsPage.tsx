import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Button, Card, Group, Image, Menu, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconDeviceTablet, IconDots, IconEdit, IconFileCheck, IconHourglassHigh, IconMail, IconPencil, IconPhoto, IconPlus, IconQuote, IconTrash } from '@tabler/icons-react';
import { createDraft } from '../../api/drafts';
import { ConsentEvents } from '../../api/consent';
import { toAppError } from '../../api/errors';
import { onEvent } from '../../api/system';
import { deleteTestimonial, listTestimonials } from '../../api/testimonials';
import type { TestimonialView } from '../../api/types';
import { StatusBadge } from '../consent/StatusBadge';
import { AddTestimonialModal } from './AddTestimonialModal';
import { ApprovalDialog } from './ApprovalDialog';
import { EmailApprovalStatus } from './EmailApprovalStatus';
import { formatDay } from '../../format';
import { dangerText } from '../../theme';
import { VerdictGrid } from './VerdictGrid';
import { allowedPostChannels } from './postChannels';

const nameLabel: Record<string, string> = { full_name: 'full name', first_name: 'first name', initials: 'initials', anonymous: 'anonymous' };

/** The ways of asking for consent, as on the ask-for-consent page; each opens it prefilled from the testimonial. */
function AskForConsent({ t, go }: { t: TestimonialView; go: (to: string) => void }) {
  const to = (mode: string) => go(`patients/${t.testimonial.patientId}/consent/${t.testimonial.id}/${mode}`);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button color="orange" rightSection={<IconChevronDown size={16} />} style={{ flexShrink: 0 }} data-testid="ask-for-consent">Ask for consent</Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>How will {t.patientName} sign?</Menu.Label>
        <Menu.Item leftSection={<IconDeviceTablet size={18} />} onClick={() => to('screen')}>On this screen</Menu.Item>
        <Menu.Item leftSection={<IconMail size={18} />} onClick={() => to('email')}>By email</Menu.Item>
        <Menu.Item leftSection={<IconFileCheck size={18} />} onClick={() => to('paper')}>Already signed on paper</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * Where a testimonial goes next: a quote card in the Studio, or a post with
 * the approved words. Offered only where its consent lets it go out; when
 * not, the reason is said beside the buttons.
 */
function UseTestimonial({ t, go }: { t: TestimonialView; go: (to: string) => void }) {
  const blocked = t.publishable === 0;
  const post = async () => {
    try {
      const v = await createDraft({
        title: `Testimonial ${t.testimonial.id}`, body: t.testimonial.quote ? `“${t.testimonial.quote}”` : '', pillar: 'testimonial',
        testimonials: [t.testimonial.id],
        // Only the channels its consent lets it go out on today.
        channels: allowedPostChannels(t.verdicts),
      });
      go('drafts/' + v.draft.id);
    } catch (e) {
      notifications.show({ color: 'red', title: 'No post made', message: toAppError(e).message });
    }
  };
  return (
    <Group gap="xs" mt="sm" data-testid="testimonial-actions">
      <Button size="xs" variant="light" leftSection={<IconPhoto size={14} />} disabled={blocked}
        onClick={() => go(`studio/design/testimonial/${t.testimonial.id}`)}>Make an image</Button>
      <Button size="xs" variant="light" leftSection={<IconPencil size={14} />} disabled={blocked || !t.testimonial.quote} onClick={post}>Use in a post</Button>
      {blocked && <Text size="xs" c="dimmed">Not offered: the consent does not let it go out anywhere today.</Text>}
    </Group>
  );
}

/** Whether the consent check blocks the testimonial because its words differ from the approved ones. */
export const quoteChanged = (t: TestimonialView) =>
  !!t.consent && t.verdicts.some((v) => v.problems?.some((p) => p.code === 'quote_changed'));

/** Edit, approval of new words and delete, behind the card's ⋯ button. */
function CardMenu({ t, onEdit, onApprove, onDelete }: { t: TestimonialView; onEdit: () => void; onApprove: () => void; onDelete: () => void }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`More for the testimonial from ${t.patientName}`} data-testid="testimonial-menu">
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconEdit size={16} />} onClick={onEdit} data-testid="testimonial-edit">Edit</Menu.Item>
        {quoteChanged(t) && (
          <Menu.Item leftSection={<IconDeviceTablet size={16} />} onClick={onApprove} data-testid="testimonial-approve">
            Ask the patient to approve the new words
          </Menu.Item>
        )}
        <Menu.Item leftSection={<IconTrash size={16} />} color={dangerText} onClick={onDelete} data-testid="testimonial-delete">Delete…</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** Asks before deleting; a testimonial something still uses is refused with what uses it. */
function DeleteDialog({ t, onClose, onDeleted }: { t: TestimonialView | null; onClose: () => void; onDeleted: (id: number) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => setError(''), [t]);
  const remove = async () => {
    if (!t) return;
    setBusy(true);
    try {
      await deleteTestimonial(t.testimonial.id);
      onDeleted(t.testimonial.id);
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={!!t} onClose={onClose} title="Delete this testimonial?" centered data-testid="delete-testimonial-dialog">
      <Stack>
        <Text size="sm">
          The testimonial from {t?.patientName} and its words are removed from PracticePost. {t?.consent ? `Consent #${t.consent.id} stays as it was signed. ` : ''}
          The activity log records the deletion. This cannot be undone.
        </Text>
        {error && <Alert color="red" variant="light" data-testid="delete-testimonial-error">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Keep it</Button>
          <Button color="red" onClick={remove} loading={busy} data-testid="delete-testimonial-confirm">Delete the testimonial</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function TestimonialsPage({ go }: { go: (to: string) => void }) {
  const [items, setItems] = useState<TestimonialView[] | null>(null);
  const [error, setError] = useState('');
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<TestimonialView | null>(null);
  const [deleting, setDeleting] = useState<TestimonialView | null>(null);
  const [approving, setApproving] = useState<TestimonialView | null>(null);

  useEffect(() => {
    const load = () => listTestimonials().then(setItems).catch((e) => setError(toAppError(e).message));
    load();
    // After each check for replies: a reply to a request to approve new
    // words may have come, which the card then shows.
    // Quietly: it also fires while the app is locked, when the list is
    // refused, and the next one or the unlock reloads it anyway.
    const offMail = onEvent('mail:status', () => { listTestimonials().then(setItems).catch(() => undefined); });
    const offConsent = onEvent(ConsentEvents.changed, load);
    return () => { offMail(); offConsent(); };
  }, []);

  const waiting = items?.filter((t) => !t.consent).length ?? 0;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">Testimonials</Title>
          <Text c="dimmed">What patients said, and where each may be published today under their consent.</Text>
          {waiting > 0 && (
            <Text size="sm" c="orange.9" fw={500} mt={4} data-testid="waiting-count">
              {waiting === 1 ? '1 testimonial is' : `${waiting} testimonials are`} waiting for consent.
            </Text>
          )}
        </div>
        <Button leftSection={<IconPlus size={18} />} onClick={() => setAdding(true)}>Add testimonial</Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {items && items.length === 0 && (
        <Card withBorder padding="xl">
          <Text c="dimmed">No testimonials yet. Asking a patient for consent adds the testimonial they agreed to.</Text>
        </Card>
      )}
      {items?.map((t) => (
        <Card key={t.testimonial.id} withBorder padding="lg" data-testid="testimonial-card" data-waiting={!t.consent}
          style={t.consent ? undefined : { borderLeft: '4px solid var(--mantine-color-orange-5)' }}>
          <Group justify="space-between" align="flex-start" wrap="nowrap" mb="sm">
            <Group gap="sm" align="flex-start" wrap="nowrap" style={{ minWidth: 0 }}>
              <IconQuote size={26} color="var(--mantine-color-teal-6)" style={{ flexShrink: 0 }} />
              <div style={{ minWidth: 0 }}>
                {t.testimonial.quote && <Text size="lg" style={{ whiteSpace: 'pre-wrap' }}>{t.testimonial.quote}</Text>}
                <Text size="sm" c="dimmed" mt={4}>
                  {t.patientName} · {t.testimonial.source}{t.testimonial.saidOn ? ` · ${formatDay(t.testimonial.saidOn)}` : ''} · posts name them by {nameLabel[t.testimonial.nameAs] ?? t.testimonial.nameAs}
                </Text>
                {/* Edited words the patient approved: the checks count them as theirs, and this says since when. */}
                {t.wordsApprovedOn && (
                  <Text size="sm" c="teal.9" mt={2} data-testid="words-approved">New words approved on {formatDay(t.wordsApprovedOn)}</Text>
                )}
              </div>
            </Group>
            <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
              {t.consent ? (
                <Badge size="lg" variant="light" tt="none" color={t.publishable === 0 ? 'red' : 'teal'} data-testid="testimonial-summary">
                  {t.publishable === 0 ? 'Blocked everywhere' : `${t.publishable} of ${t.verdicts.length} channels`}
                </Badge>
              ) : (
                <Badge size="lg" variant="light" tt="none" color="orange" data-testid="testimonial-summary"
                  leftSection={<IconHourglassHigh size={16} />}>
                  Waiting for consent
                </Badge>
              )}
              <CardMenu t={t} onEdit={() => setEditing(t)} onApprove={() => setApproving(t)} onDelete={() => setDeleting(t)} />
            </Group>
          </Group>
          {t.media.length > 0 && (
            <Group gap="xs" mb="sm">
              {t.media.map((m) => (
                <Stack key={m.sha256} gap={0} align="center">
                  <Image src={m.url} h={64} w={64} fit="cover" radius="sm" alt={m.label} />
                  <Text size="xs" c="dimmed">{m.label}</Text>
                </Stack>
              ))}
            </Group>
          )}
          {t.consent ? (
            <>
              <Group gap="xs" mb="sm">
                <StatusBadge status={t.consent.status} />
                <Text size="sm">{t.consent.statusText}.</Text>
                <Anchor size="sm" href={`#/consents/${t.consent!.id}`}>Consent #{t.consent.id}</Anchor>
              </Group>
              {t.emailApproval && (
                <Group gap="xs" mb="sm">
                  <Text size="sm">New words sent to the patient:</Text>
                  <EmailApprovalStatus v={t.emailApproval} />
                </Group>
              )}
              {t.disclosure && <Text size="sm" mb="sm">Posts must say: “{t.disclosure}”.</Text>}
              <VerdictGrid verdicts={t.verdicts} />
              <UseTestimonial t={t} go={go} />
            </>
          ) : (
            <Group justify="space-between" wrap="nowrap" gap="md" p="sm" bg="orange.0" style={{ borderRadius: 8 }} data-testid="waiting-note">
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} c="orange.9">{t.summary}</Text>
                <Text size="sm" c="dimmed">
                  The patient has not signed a consent for these words{t.media.length > 0 ? ' and photos' : ''} yet. Ask them: the
                  consent form shows exactly this testimonial, and once signed it is published only where they agreed.
                </Text>
              </div>
              <AskForConsent t={t} go={go} />
            </Group>
          )}
        </Card>
      ))}
      <AddTestimonialModal opened={adding} onClose={() => setAdding(false)}
        onCreated={(t) => {
          setAdding(false);
          setItems((xs) => [t, ...(xs ?? [])]);
          notifications.show({ color: 'teal', message: 'Testimonial added.' });
        }} />
      <AddTestimonialModal opened={!!editing} editing={editing} onClose={() => setEditing(null)}
        onCreated={(t) => {
          setEditing(null);
          setItems((xs) => (xs ?? []).map((x) => (x.testimonial.id === t.testimonial.id ? t : x)));
          notifications.show({ color: 'teal', message: 'Testimonial saved.' });
        }} />
      <ApprovalDialog t={approving} onClose={() => setApproving(null)} />
      <DeleteDialog t={deleting} onClose={() => setDeleting(null)}
        onDeleted={(id) => {
          setDeleting(null);
          setItems((xs) => (xs ?? []).filter((x) => x.testimonial.id !== id));
          notifications.show({ color: 'teal', message: 'Testimonial deleted.' });
        }} />
    </Stack>
  );
}
