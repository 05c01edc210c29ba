import { useEffect, useState } from 'react';
import { Alert, List, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { missingSignIns } from '../../api/system';
import type { MissingSignIn } from '../../api/types';

/** The sign-ins this copy of PracticePost lacks on one screen, loaded once. */
export function useMissingSignIns(screen: 'Channels' | 'Mailbox'): MissingSignIn[] {
  const [missing, setMissing] = useState<MissingSignIn[]>([]);
  useEffect(() => {
    missingSignIns(screen).then((m) => setMissing(m ?? [])).catch(() => setMissing([]));
  }, [screen]);
  return missing;
}

/**
 * Says before anyone clicks which sign-ins this copy was built without and
 * what to do instead (a development build, or a release made without a
 * provider's client id).
 */
export function MissingSignInsNotice({ missing, testId }: { missing: MissingSignIn[]; testId: string }) {
  if (missing.length === 0) return null;
  return (
    <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} data-testid={testId}
      title="Some sign-ins are not in this copy of PracticePost">
      <List size="sm" spacing={4}>
        {missing.map((m) => (
          <List.Item key={m.key + m.name}><b>{m.name}</b>: {m.otherwise}</List.Item>
        ))}
      </List>
      <Text size="xs" mt="xs" c="dimmed">
        A released copy of PracticePost has every sign-in: ask whoever gave you PracticePost for the newest installer.
      </Text>
    </Alert>
  );
}
