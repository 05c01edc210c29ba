import { useEffect, useState } from 'react';
import { Anchor, Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconClockExclamation } from '@tabler/icons-react';
import { expiringConsents } from '../../api/consent';
import type { ExpiryWarning } from '../../api/types';

/** Home's warning: consents that run out within 30 days. Hidden when there are none. */
export function ExpiringCard({ go }: { go: (to: string) => void }) {
  const [warnings, setWarnings] = useState<ExpiryWarning[]>([]);
  useEffect(() => {
    expiringConsents(30).then(setWarnings).catch(() => undefined);
  }, []);
  if (warnings.length === 0) return null;
  return (
    <Card withBorder padding="lg" style={{ borderColor: 'var(--mantine-color-orange-4)' }} data-testid="expiring-card">
      <Group gap="sm" mb="xs">
        <ThemeIcon variant="light" color="orange" size={32}><IconClockExclamation size={18} /></ThemeIcon>
        <Text fw={600}>{warnings.length === 1 ? 'A consent ends soon' : `${warnings.length} consents end soon`}</Text>
      </Group>
      <Stack gap={6}>
        {warnings.map((w) => (
          <Group key={w.consentId} justify="space-between" wrap="nowrap">
            <Text size="sm">{w.message}</Text>
            <Anchor size="sm" onClick={() => go(`consents/${w.consentId}`)}>Open</Anchor>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
