import { useEffect, useState } from 'react';
import { Alert, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDeviceTablet } from '@tabler/icons-react';
import { lockStatus } from '../../api/consent';
import { toAppError } from '../../api/errors';
import { handApprovalToPatient, quoteEdit } from '../../api/testimonials';
import type { QuoteEditView, TestimonialView } from '../../api/types';
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
              until {name} approves the new words. They read them on this screen and sign, or decline.
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
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Close</Button>
          <Button leftSection={<IconDeviceTablet size={18} />} onClick={start} loading={busy} disabled={!edit} data-testid="approval-hand">
            Hand the screen to {name}
          </Button>
        </Group>
      </Stack>
      <SetPinModal opened={pinOpen} onClose={() => setPinOpen(false)}
        onDone={() => { setPinOpen(false); void hand(); }} />
    </Modal>
  );
}
