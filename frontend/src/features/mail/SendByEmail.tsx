import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Modal, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMail, IconMessageCircle } from '@tabler/icons-react';
import { toAppError, type AppError } from '../../api/errors';
import { MailEvents, mailRequests, sendConsentRequest, sendTestimonialRequest, type MailRequestView } from '../../api/mail';
import type { ConsentRequest } from '../../api/types';
import { formatWhen } from '../../format';
import { useMailStatus } from './useMailStatus';
import { useAction } from '../../useAction';
import { useLoaded } from '../../useLoaded';

/** The "By email" way of asking for consent, inside the ask-for-consent page. */
export function EmailConsentPanel({ request, patientEmail, disabled, validate }: {
  request: () => ConsentRequest;
  patientEmail: string;
  disabled: boolean;
  validate?: () => string;
}) {
  const status = useMailStatus();
  const [note, setNote] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<MailRequestView | null>(null);

  const send = async () => {
    setError(null);
    const problem = validate?.();
    if (problem) return setError({ code: 'invalid', message: problem });
    setBusy(true);
    try {
      const r = await sendConsentRequest(request(), note);
      setSent(r);
      notifications.show({ color: 'teal', title: 'Consent request sent', message: `Sent to ${r.to}. The reply will appear under Email replies.` });
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  if (status && !status.configured) {
    return (
      <Alert color="blue" variant="light" title="Set up the practice mailbox first">
        <Text size="sm">
          Requests are sent from the practice&apos;s own mailbox. <Anchor href="#/settings/mailbox">Open Settings → Mailbox</Anchor>
        </Text>
      </Alert>
    );
  }
  return (
    <Stack gap="sm">
      <Text size="sm">
        PracticePost emails {patientEmail ? <b>{patientEmail}</b> : 'the patient'} the consent form with the testimonial above, a list of
        boxes to tick in their reply, and the form as a PDF to print and sign. Their reply waits in <b>Email replies</b> until you
        check it; only then is a consent recorded.
      </Text>
      <Textarea label="Personal note (optional)" placeholder="For example: Thank you for your kind words at your check-up on Tuesday."
        autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={error?.field === 'note' ? error.message : undefined} />
      {error && error.field !== 'note' && (
        <Alert color="red" variant="light" title="The request was not sent" data-testid="email-request-error">{error.message}</Alert>
      )}
      {sent && (
        <Alert color="teal" variant="light" title="Sent" data-testid="email-request-sent">
          Sent to {sent.to} with the reference {sent.token}. <Anchor href="#/replies">Go to Email replies</Anchor>
        </Alert>
      )}
      <Group>
        <Button leftSection={<IconMail size={18} />} onClick={send} loading={busy} disabled={disabled}>Send consent request</Button>
        {disabled && <Text size="sm" c="dimmed" data-testid="send-why">Not yet: first complete “Before you ask for consent” above.</Text>}
      </Group>
    </Stack>
  );
}

/** "Ask for a testimonial": a short email asking the patient for a few words. */
export function AskTestimonialButton({ patientId, patientEmail }: { patientId: number; patientEmail: string }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();
  const send = () =>
    run(async () => {
      const r = await sendTestimonialRequest(patientId, note);
      notifications.show({ color: 'teal', title: 'Request sent', message: `Sent to ${r.to}. Their reply will appear under Email replies.` });
      setOpen(false);
      setNote('');
    });
  return (
    <>
      <Button variant="default" leftSection={<IconMessageCircle size={18} />} onClick={() => setOpen(true)}>Ask for a testimonial</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Ask for a testimonial by email" centered size="lg">
        <Stack>
          <Text size="sm">
            PracticePost emails {patientEmail || 'the patient'} asking for a few words about their visit, in their own words. It says
            that nothing is published without their separate consent and that no payment or gift is offered. Their reply becomes a
            draft testimonial once you check it.
          </Text>
          <Textarea label="Personal note (optional)" autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {error && <Alert color="red" variant="light" data-testid="testimonial-request-error">{error}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>Cancel</Button>
            <Button leftSection={<IconMail size={18} />} onClick={send} loading={busy}>Send request</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

const stateColor: Record<MailRequestView['state'], string> = { sending: 'yellow', sent: 'blue', failed: 'red', answered: 'teal' };

/** A patient's emailed requests and where each stands. */
export function MailRequestsCard({ patientId }: { patientId: number }) {
  const { value, error } = useLoaded(() => mailRequests(patientId), [patientId], [MailEvents.changed]);
  const list = value ?? [];
  if (!error && list.length === 0) return null;
  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h4" mb="sm">Requests by email</Title>
      {error && <Alert color="red" variant="light">{error}</Alert>}
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr><Table.Th>Asked for</Table.Th><Table.Th>Sent</Table.Th><Table.Th>Reference</Table.Th><Table.Th>State</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.kind === 'consent' ? 'Consent' : r.kind === 'quote_approval' ? 'Approval of new words' : 'Testimonial'}</Table.Td>
              <Table.Td>{formatWhen(r.sentAt || r.createdAt)}</Table.Td>
              <Table.Td><Anchor href={r.emailUrl} target="_blank" size="sm">{r.token}</Anchor></Table.Td>
              <Table.Td>
                <Badge variant="light" color={stateColor[r.state]} tt="none">{r.stateText}</Badge>
                {r.error && <Text size="xs" c="red.8">{r.error}</Text>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
