import { useState } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconMailCheck, IconRefresh } from '@tabler/icons-react';
import { toAppError } from '../../api/errors';
import { checkMailNow } from '../../api/mail';
import { formatWhen } from '../../format';
import { useMailStatus } from './useMailStatus';

/** "Watching hello@… · last checked 10:02 · Check now", or the error and what to do. */
export function MailStatusLine({ onSettings }: { onSettings?: () => void }) {
  const status = useMailStatus();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  if (!status) return null;
  if (!status.configured) {
    return (
      <Alert color="gray" variant="light" icon={<IconMailCheck />} title="No mailbox yet" data-testid="mail-status">
        <Group justify="space-between">
          <Text size="sm">Set up the practice mailbox to send requests by email and pick up the replies.</Text>
          {onSettings && <Button size="xs" onClick={onSettings}>Set up the mailbox</Button>}
        </Group>
      </Alert>
    );
  }
  const check = async () => {
    setBusy(true);
    setError('');
    try {
      await checkMailNow();
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const problem = status.lastError || error;
  return (
    <Alert color={problem ? 'red' : 'teal'} variant="light" icon={problem ? <IconAlertTriangle /> : <IconMailCheck />}
      title={problem ? 'Replies cannot be picked up right now' : undefined} data-testid="mail-status">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          {problem && <Text size="sm" mb={4} data-testid="mail-status-error">{problem}</Text>}
          <Text size="sm" c={problem ? 'dimmed' : undefined}>
            {status.watching ? `Watching ${status.address} for replies` : `Not watching ${status.address}`}
            {status.usingIdle && !problem ? ' (new mail shows up within seconds)' : ''}
            {' · '}
            {status.lastSync ? `last checked ${formatWhen(status.lastSync)}` : 'not checked yet'}
          </Text>
          {status.note && <Text size="xs" c="dimmed" mt={4} data-testid="mail-status-note">{status.note}</Text>}
        </div>
        <Group gap="xs" wrap="nowrap">
          {problem && onSettings && <Button size="xs" variant="default" onClick={onSettings}>Mailbox settings</Button>}
          <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={check} loading={busy}>Check now</Button>
        </Group>
      </Group>
    </Alert>
  );
}
