import { useCallback, useEffect, useState } from 'react';
import { Alert, Anchor, Button, Card, Group, Modal, Stack, Text, Textarea, ThemeIcon } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconHandStop } from '@tabler/icons-react';
import { ConsentEvents } from '../../api/consent';
import { toAppError } from '../../api/errors';
import { confirmWithdrawal, consentHolds, MailEvents, releaseHold, type HoldView } from '../../api/mail';
import { onEvent } from '../../api/system';
import { useAction } from '../../useAction';

/**
 * Home's urgent card: consents on hold because the patient asked by email
 * to withdraw. Every post relying on them is blocked until the manager
 * confirms the withdrawal (the ordinary withdrawal: posts blocked, takedown
 * list) or releases the hold with a note. Hidden when nothing is on hold.
 */
export function WithdrawalHolds() {
  const [holds, setHolds] = useState<HoldView[]>([]);
  const [error, setError] = useState('');
  const load = useCallback(() => {
    consentHolds().then((h) => setHolds(h ?? [])).catch((e) => setError(toAppError(e).message));
  }, []);
  useEffect(() => {
    load();
    const offs = [onEvent(MailEvents.changed, load), onEvent(ConsentEvents.changed, load)];
    return () => offs.forEach((off) => off());
  }, [load]);
  if (holds.length === 0 && !error) return null;
  return (
    <Card withBorder padding="lg" style={{ borderColor: 'var(--mantine-color-red-5)' }} data-testid="withdrawal-holds">
      <Group gap="sm" mb="xs">
        <ThemeIcon color="red" variant="filled" size={32}><IconHandStop size={18} /></ThemeIcon>
        <div>
          <Text fw={700}>{holds.length === 1 ? 'A patient asked by email to withdraw' : `${holds.length} consents on hold: patients asked by email to withdraw`}</Text>
          <Text size="sm" c="dimmed">No post relying on these consents can go out until you confirm the withdrawal or release the hold.</Text>
        </div>
      </Group>
      {error && <Alert color="red" variant="light" mb="sm">{error}</Alert>}
      <Stack gap="sm">
        {holds.map((h) => <HoldRow key={h.consentId} h={h} onDone={load} />)}
      </Stack>
    </Card>
  );
}

function HoldRow({ h, onDone }: { h: HoldView; onDone: () => void }) {
  const [releasing, setReleasing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();

  const withdraw = () =>
    run(async () => {
      const r = await confirmWithdrawal(h.consentId, '');
      setConfirming(false);
      const n = r.takedown?.length ?? 0;
      notifications.show({
        color: 'teal', title: 'Withdrawal recorded',
        message: n > 0 ? `Scheduled posts are blocked. ${n} live ${n === 1 ? 'post' : 'posts'} to take down: see the consent.` : 'Scheduled posts relying on it are blocked.',
      });
      onDone();
    });
  const release = () =>
    run(async () => {
      await releaseHold(h.consentId, note);
      setReleasing(false);
      setNote('');
      notifications.show({ color: 'gray', title: 'Hold released', message: 'The consent is in force again; your note is kept.' });
      onDone();
    });

  return (
    <Card withBorder padding="sm" radius="md" data-testid="hold-row">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Text fw={600}>{h.patientName}</Text>
          <Text size="sm">{h.words ? <>They wrote: “{h.words}”</> : h.reason}</Text>
          <Text size="xs" c="dimmed">
            On hold since {h.sinceText}{h.channels ? ` · consent for ${h.channels}` : ''} ·{' '}
            <Anchor size="xs" href={`#/consents/${h.consentId}`}>Open the consent</Anchor>
            {h.replyId ? <> · <Anchor size="xs" href={`#/replies/${h.replyId}`}>Read the email</Anchor></> : null}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
          <Button size="xs" color="red" onClick={() => setConfirming(true)}>Confirm withdrawal</Button>
          <Button size="xs" variant="default" onClick={() => setReleasing(true)}>Release hold</Button>
        </Group>
      </Group>
      {error && !releasing && !confirming && <Alert color="red" variant="light" mt="xs">{error}</Alert>}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Record the withdrawal" centered>
        <Stack>
          <Text size="sm">
            {h.patientName}&apos;s consent{h.channels ? ` for ${h.channels}` : ''} is withdrawn from the day the email arrived.
            Scheduled posts relying on it stay blocked, and you get the list of live posts to take down. This cannot be undone:
            to use the testimonial again, the patient signs a new consent.
          </Text>
          {error && <Alert color="red" variant="light">{error}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>Cancel</Button>
            <Button color="red" onClick={withdraw} loading={busy}>Record the withdrawal</Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={releasing} onClose={() => setReleasing(false)} title="Release the hold" centered>
        <Stack>
          <Text size="sm">
            Release only if the patient did not mean to withdraw this consent, for example after you phoned them. Say what
            happened; the note is kept with the consent.
          </Text>
          <Textarea label="Why the hold can be released" autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)}
            placeholder="Phoned the patient on 6 Dec: she meant an old photo on the noticeboard, not her testimonial" error={error || undefined} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setReleasing(false)}>Cancel</Button>
            <Button onClick={release} loading={busy} disabled={!note.trim()}>Release hold</Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
