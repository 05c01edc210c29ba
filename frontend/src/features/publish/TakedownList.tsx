import { useCallback, useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCircleCheck, IconExternalLink, IconHandStop, IconTrash } from '@tabler/icons-react';
import { PublishEvents, markRemoved, takedown, takedownItems, type TakedownItem } from '../../api/publish';
import { onEvent } from '../../api/system';
import { toAppError } from '../../api/errors';
import { formatWhen } from '../../format';

const titles: Record<string, string> = {
  facebook: 'Facebook', mastodon: 'Mastodon', bluesky: 'Bluesky', instagram: 'Instagram', linkedin: 'LinkedIn',
  google: 'Google Business Profile', x: 'X',
};
const title = (p: string) => titles[p] ?? p;

type Message = { ok: boolean; text: string };

/**
 * Live posts that used a withdrawn consent. Where the platform lets
 * PracticePost delete, "Delete" does it; where it does not (Instagram), the
 * platform's own steps are shown with "I have removed it", confirmed first.
 */
export function TakedownList({ consentId }: { consentId: number }) {
  const [items, setItems] = useState<TakedownItem[] | null>(null);
  const [busy, setBusy] = useState(0);
  const [messages, setMessages] = useState<Record<number, Message>>({});
  const load = useCallback(() => {
    takedownItems(consentId).then((t) => setItems(t ?? [])).catch(() => setItems([]));
  }, [consentId]);
  useEffect(() => {
    load();
    return onEvent(PublishEvents.progress, load);
  }, [load]);
  if (!items) return null;
  if (items.length === 0) {
    return (
      <Paper withBorder p="md" radius="md" data-testid="takedown-list">
        <Title order={2} size="h4" mb={4}>Posts to take down</Title>
        <Text size="sm" c="dimmed" data-testid="takedown-empty">
          No post that used this consent is live, so there is nothing to take down. Any scheduled post that relied on it has been stopped.
        </Text>
      </Paper>
    );
  }
  const say = (id: number, m: Message) => setMessages((all) => ({ ...all, [id]: m }));
  const del = async (t: TakedownItem) => {
    setBusy(t.jobId);
    try {
      const j = await takedown(t.jobId);
      say(t.jobId, j.takedown === 'deleted'
        ? { ok: true, text: `Deleted from ${title(t.platform)}. Recorded in the activity log.` }
        : { ok: false, text: j.takedownError || 'Not deleted yet; PracticePost tries again by itself.' });
      load();
    } catch (e) {
      say(t.jobId, { ok: false, text: toAppError(e).message });
      // A refusal (Instagram) turns the row into the manual steps.
      load();
    } finally {
      setBusy(0);
    }
  };
  const mark = async (t: TakedownItem, note: string) => {
    setBusy(t.jobId);
    try {
      await markRemoved(t.jobId, note);
      say(t.jobId, { ok: true, text: 'Recorded. The activity log shows the removal; your note stays with this post only.' });
      load();
      return true;
    } catch (e) {
      say(t.jobId, { ok: false, text: toAppError(e).message });
      return false;
    } finally {
      setBusy(0);
    }
  };
  const open = items.filter((t) => t.takedown !== 'removed_manually').length;
  return (
    <Paper withBorder p="md" radius="md" data-testid="takedown-list">
      <Title order={2} size="h4" mb={4}>Posts to take down</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {open === 0
          ? 'Every post that used this consent has been taken down.'
          : 'These posts used this consent and are still up. Delete them here; where a platform does not let PracticePost delete, remove them there and mark them removed. Every step is recorded.'}
      </Text>
      <Stack gap="sm">
        {items.map((t) => (
          t.takedown === 'removed_manually'
            ? <RemovedRow key={t.jobId} t={t} message={messages[t.jobId]} />
            : t.manual
              ? <ManualRow key={t.jobId} t={t} busy={busy === t.jobId} message={messages[t.jobId]} onMark={(note) => mark(t, note)} />
              : (
                <Group key={t.jobId} justify="space-between" wrap="nowrap" data-testid={`takedown-${t.platform}`} data-state={t.takedown || 'live'}>
                  <div>
                    <Group gap={6}>
                      <Text fw={600} size="sm">{title(t.platform)}</Text>
                      {t.scheduled && <Badge size="xs">held for later: removed automatically</Badge>}
                      {t.takedown === 'failed' && <Badge size="xs" color="red">delete failed</Badge>}
                      {t.takedown === 'pending' && <Badge size="xs" color="orange">retrying</Badge>}
                    </Group>
                    {t.url && <Anchor href={t.url} target="_blank" size="xs">{t.url} <IconExternalLink size={10} /></Anchor>}
                    {t.error && <Text size="xs" c="red.8">{t.error}</Text>}
                    {messages[t.jobId] && <Text size="xs" c={messages[t.jobId].ok ? 'teal.8' : 'red.8'}>{messages[t.jobId].text}</Text>}
                  </div>
                  <Button size="xs" color="red" variant="light" leftSection={<IconTrash size={14} />} loading={busy === t.jobId} onClick={() => del(t)} data-testid="takedown-delete">
                    Delete
                  </Button>
                </Group>
              )
        ))}
      </Stack>
      {Object.values(messages).some((m) => m.ok) && open > 0 && (
        <Alert mt="sm" color="teal" variant="light">Deleted posts disappear from this list; posts removed by hand stay, marked with the date.</Alert>
      )}
    </Paper>
  );
}

/** A post PracticePost cannot delete: the platform's steps, the link, and "I have removed it" with a confirm step. */
function ManualRow({ t, busy, message, onMark }: { t: TakedownItem; busy: boolean; message?: Message; onMark: (note: string) => Promise<boolean> }) {
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const name = title(t.platform);
  return (
    <Paper withBorder radius="sm" p="sm" bg="orange.0" data-testid={`takedown-${t.platform}`} data-state="manual">
      <Group gap={6} mb={6}>
        <IconHandStop size={16} color="var(--mantine-color-orange-7)" />
        <Text fw={600} size="sm">{name}</Text>
        <Badge size="xs" color="orange" variant="light">delete it in {name}</Badge>
        {t.publishedAt && <Text size="xs" c="dimmed">posted {formatWhen(t.publishedAt)}</Text>}
      </Group>
      <Text size="sm" mb={6} data-testid="takedown-instructions">{t.instructions}</Text>
      {t.url && (
        <Anchor href={t.url} target="_blank" size="sm" data-testid="takedown-open">
          <Group gap={4} wrap="nowrap"><IconExternalLink size={14} />Open the post on {name}</Group>
        </Anchor>
      )}
      {message && <Text size="xs" mt={4} c={message.ok ? 'teal.8' : 'red.8'} data-testid="takedown-message">{message.text}</Text>}
      {!confirming ? (
        <Group justify="flex-end" mt="xs">
          <Button size="xs" variant="filled" color="orange" leftSection={<IconCircleCheck size={14} />} onClick={() => setConfirming(true)} data-testid="takedown-mark">
            I have removed it
          </Button>
        </Group>
      ) : (
        <Stack gap={6} mt="sm" p="sm" bg="white" style={{ borderRadius: 6, border: '1px solid var(--mantine-color-orange-3)' }} data-testid="takedown-confirm-box">
          <Text size="sm" fw={600}>Is the post gone from {name}?</Text>
          <Text size="sm">
            Check first: open the link above. {name} should say the post is not available. PracticePost then records it as removed today;
            it cannot check this for you.
          </Text>
          <TextInput size="xs" label="Note (optional)" description="For example who deleted it. Kept with this post, not in the activity log."
            value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} data-testid="takedown-note" />
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => setConfirming(false)} disabled={busy}>Not yet</Button>
            <Button size="xs" color="teal" loading={busy} onClick={async () => { if (await onMark(note)) setConfirming(false); }} data-testid="takedown-confirm">
              Yes, it is removed
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}

/** A post the manager removed on the platform by hand: when, and any note. */
function RemovedRow({ t, message }: { t: TakedownItem; message?: Message }) {
  return (
    <Group justify="space-between" wrap="nowrap" data-testid={`takedown-${t.platform}`} data-state="removed_manually">
      <div>
        <Group gap={6}>
          <Text fw={600} size="sm">{title(t.platform)}</Text>
          <Badge size="xs" color="teal" variant="light" leftSection={<IconCircleCheck size={10} />}>removed by hand</Badge>
        </Group>
        <Text size="xs" c="dimmed" data-testid="takedown-removed">
          Deleted by hand on {title(t.platform)}; marked as removed {formatWhen(t.removedAt)}{t.removedBy ? ` by the ${t.removedBy}` : ''}.
        </Text>
        {t.note && <Text size="xs" fs="italic">“{t.note}”</Text>}
        {message && <Text size="xs" c={message.ok ? 'teal.8' : 'red.8'}>{message.text}</Text>}
      </div>
    </Group>
  );
}
