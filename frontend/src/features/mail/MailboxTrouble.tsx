import { Alert, Button, Group, Text } from '@mantine/core';
import { IconMailOff } from '@tabler/icons-react';
import { useMailStatus } from './useMailStatus';

/**
 * Home's warning that the practice mailbox cannot be read: patients
 * withdraw consent by email, and until the mailbox is read again such an
 * email is not seen, so posts that rely on that consent would still go out.
 * Hidden when no mailbox is set up or the last check went well. (A
 * stale "last read" alone is not shown: after a weekend closed it is stale
 * for the seconds until the first check, and a silent connection is given
 * up and reported as an error by the watcher.)
 */
export function MailboxTrouble({ go }: { go: (to: string) => void }) {
  const status = useMailStatus();
  if (!status?.configured || !status.lastError) return null;
  return (
    <Alert color="red" variant="light" icon={<IconMailOff />} title="Email replies are not being picked up" data-testid="mailbox-trouble">
      <Text size="sm" mb={6}>
        {status.lastError}
      </Text>
      <Text size="sm" mb="sm">
        Patients can withdraw their consent by email. Until the mailbox is read again, such an email is not seen, and posts that rely on
        that consent would still go out.
      </Text>
      <Group gap="xs">
        <Button size="xs" onClick={() => go('settings/mailbox')}>Mailbox settings</Button>
        <Button size="xs" variant="default" onClick={() => go('replies')}>Email replies</Button>
      </Group>
    </Alert>
  );
}
