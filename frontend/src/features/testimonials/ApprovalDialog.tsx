import { useEffect, useState } from 'react';
import { Alert, Button, Divider, Group, Loader, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconDeviceTablet, IconMail, IconX } from '@tabler/icons-react';
import { ConsentEvents, lockStatus } from '../../api/consent';
import { onEvent } from '../../api/system';
import { toAppError } from '../../api/errors';
import { confirmQuoteReply, declineQuoteReply, emailApproval, emailApprovalReady, handApprovalToPatient, quoteEdit, sendQuoteApproval } from '../../api/testimonials';
import type { EmailApprovalReadiness, EmailApprovalView, QuoteEditView, TestimonialView } from '../../api/types';
import { EmailApprovalStatus } from './EmailApprovalStatus';
import { SetPinModal } from '../lock/SetPinModal';
import { setLockStatus } from '../lock/lockStore';
import { QuoteDiff, QuoteDiffLegend } from './QuoteDiff';

/**
 * Before handing the screen to the patient: the new words against the
 * approved ones, and a warning when the edit is more than the length or
 * typo changes the consent form allows.
 */
export function ApprovalDialog({ t, onClose }: { t: TestimonialView | null; onClose: () => void }) {
  const [edit, setEdit] = useState<QuoteEditView | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [pinOpen, setPinOpen] = useState(false);

  useEffect(() => {
    setEdit(null);
    setError('');
    if (!t) return;
    quoteEdit(t.testimonial.id).then(setEdit).catch((e) => setError(toAppError(e).message));
  }, [t]);

  const hand = async () => {
    if (!t) return;
    setBusy(true);
    setError('');
    try {
      const st = await handApprovalToPatient(t.testimonial.id);
      // The manager's messages are not for the patient's eyes, and a fading
      // one would sit over their screen.
      notifications.clean();
      window.scrollTo({ top: 0 });
      setLockStatus(st);
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    try {
      if (!(await lockStatus()).pinSet) return setPinOpen(true);
    } catch (e) {
      return setError(toAppError(e).message);
    }
    await hand();
  };

  const name = t?.patientName ?? 'the patient';
  const more = edit && !edit.change.lengthOrTypos;
  return (
    <Modal opened={!!t} onClose={onClose} title={`Ask ${name} to approve the new words`} size="lg" centered data-testid="approval-dialog">
      <Stack>
        {!edit && !error && <Loader size="sm" />}
        {edit && (
          <>
            <Text size="sm">
              {name} signed consent for the words below. The testimonial now reads differently, so it cannot be published
              until {name} approves the new words. They can read them on this screen and sign, or decline; or you can email them.
            </Text>
            <Text size="sm" fw={600}>The words {name} approved</Text>
            <Text size="sm" p="sm" bg="gray.0" style={{ borderRadius: 6, whiteSpace: 'pre-wrap' }} data-testid="approval-approved">{edit.approved}</Text>
            <Text size="sm" fw={600}>The new words, changes marked</Text>
            <QuoteDiff parts={edit.change.parts} />
            <QuoteDiffLegend size="sm" />
            {more ? (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle size={20} />} title="More than length or typos" data-testid="approval-beyond">
                The consent form promises {name} that the practice edits their words only to shorten them or fix typing
                mistakes (advertising rules say the same). This edit adds or changes words: {edit.change.added.map((w) => `“${w}”`).join(', ')}.
                Consider putting them back. If you go on, the screen tells {name} that the words were changed beyond that.
              </Alert>
            ) : (
              <Text size="sm" c="teal.9" data-testid="approval-length-only">
                The edit only shortens the words or corrects typing mistakes, as the consent form allows.
              </Text>
            )}
          </>
        )}
        {error && <Alert color="red" variant="light" data-testid="approval-error">{error}</Alert>}
        {/* The on-screen route's button stays with what it shows; the email route follows. */}
        <Group justify="flex-end">
          <Button leftSection={<IconDeviceTablet size={18} />} onClick={start} loading={busy} disabled={!edit} data-testid="approval-hand">
            Hand the screen to {name}
          </Button>
        </Group>
        {edit && t && <EmailRoute t={t} name={name} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Close</Button>
        </Group>
      </Stack>
      <SetPinModal opened={pinOpen} onClose={() => setPinOpen(false)}
        onDone={() => { setPinOpen(false); void hand(); }} />
    </Modal>
  );
}

/**
 * The email route: send the words to the patient, see where the request
 * stands, and read an unclear reply. A plain yes or no is recorded by the
 * app when the reply arrives; an unclear one counts only once the manager
 * says how they made sure (consent.JudgeApprovalReply).
 */
function EmailRoute({ t, name }: { t: TestimonialView; name: string }) {
  const id = t.testimonial.id;
  const [ready, setReady] = useState<EmailApprovalReadiness | null>(null);
  const [state, setState] = useState<EmailApprovalView | null>(null);
  const [how, setHow] = useState('');
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    setReady(null);
    setState(null);
    setHow('');
    setError('');
    Promise.all([emailApprovalReady(id), emailApproval(id)])
      .then(([r, s]) => { setReady(r); setState(s); })
      .catch((e) => setError(toAppError(e).message));
    // A reply may arrive while the dialog is open: look again after each
    // check for replies and each recorded answer.
    const reload = () => emailApproval(id).then(setState).catch(() => undefined);
    const offMail = onEvent('mail:status', reload);
    const offConsent = onEvent(ConsentEvents.changed, reload);
    return () => { offMail(); offConsent(); };
  }, [id]);

  const act = async (what: string, call: () => Promise<EmailApprovalView>, done: string) => {
    setBusy(what);
    setError('');
    try {
      setState(await call());
      notifications.show({ color: 'teal', message: done });
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy('');
    }
  };

  const waiting = state?.state === 'waiting';
  const sendReason = !ready ? '' : !ready.canSend ? ready.reason
    : waiting ? `Already sent to ${state?.to}. Send it again only if ${name} cannot find it.` : '';
  const confirmReason = how.trim() ? '' : 'Say first how you made sure they approve.';
  return (
    <Stack gap="xs" data-testid="approval-email">
      <Divider label="Or by email" labelPosition="left" />
      <Text size="sm">
        {name} gets an email with the words they approved and the new ones, and replies “I approve” or “I do not approve”.
        A plain yes from their address on record approves the new words; anything else waits for you to read it.
      </Text>
      {state && <EmailApprovalStatus v={state} />}
      {state?.notes.map((n) => <Text key={n} size="sm" c="orange.9">{n}</Text>)}
      {state?.state === 'needs_look' && (
        <Stack gap="xs" p="sm" bg="orange.0" style={{ borderRadius: 8 }} data-testid="approval-reply">
          <Text size="sm" fw={600}>{name}’s reply</Text>
          <Text size="sm" p="sm" bg="white" style={{ borderRadius: 6, whiteSpace: 'pre-wrap' }} data-testid="approval-reply-words">{state.reply}</Text>
          <Text size="sm">
            The reply is not a plain yes, so it does not approve the new words on its own. If it does approve them (check with {name} if
            you are not sure), say how you made sure; otherwise record that it does not.
          </Text>
          <Textarea label="How you made sure" placeholder="For example: phoned them on 3 November; they approve the new words."
            value={how} onChange={(e) => setHow(e.currentTarget.value)} autosize minRows={2} maxLength={500} data-testid="approval-how" />
          <Group gap="xs" wrap="wrap">
            <Button size="sm" leftSection={<IconCheck size={16} />} disabled={!!confirmReason} loading={busy === 'confirm'}
              aria-describedby={confirmReason ? 'approval-confirm-why' : undefined} data-testid="approval-reply-confirm"
              onClick={() => act('confirm', () => confirmQuoteReply(state.replyId, how), 'Recorded: the reply approves the new words.')}>
              It approves the new words
            </Button>
            <Button size="sm" variant="default" color="red" leftSection={<IconX size={16} />} loading={busy === 'decline'}
              data-testid="approval-reply-decline"
              onClick={() => act('decline', () => declineQuoteReply(state.replyId), 'Recorded: the reply does not approve the new words.')}>
              It does not approve them
            </Button>
            {confirmReason && <Text id="approval-confirm-why" size="xs" c="dimmed">{confirmReason}</Text>}
          </Group>
        </Stack>
      )}
      {state?.state !== 'approved' && (
        <Group gap="sm" wrap="nowrap" align="center">
          <Button variant="light" leftSection={<IconMail size={18} />} style={{ flexShrink: 0 }}
            disabled={!ready || !ready.canSend} loading={busy === 'send'} data-testid="approval-send-email"
            aria-describedby={sendReason ? 'approval-send-why' : undefined}
            onClick={() => act('send', () => sendQuoteApproval(id), `Sent to ${ready?.to}.`)}>
            Send to {name} by email
          </Button>
          {sendReason && <Text id="approval-send-why" size="sm" c="dimmed" data-testid="approval-send-why">{sendReason}</Text>}
        </Group>
      )}
      {error && <Alert color="red" variant="light" data-testid="approval-email-error">{error}</Alert>}
    </Stack>
  );
}
