import { useEffect, useState } from 'react';
import { Anchor, Badge, Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconClockExclamation } from '@tabler/icons-react';
import { expiringConsents } from '../../api/consent';
import type { ExpiryWarning } from '../../api/types';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What an expiry would touch: "2 scheduled posts, 1 live post", or '' when none. */
export function postsLine(w: ExpiryWarning): string {
  const parts = [];
  if (w.scheduled) parts.push(`${plural(w.scheduled, 'scheduled post')}`);
  if (w.live) parts.push(`${plural(w.live, 'live post')}`);
  return parts.join(', ');
}

/** Home's warning: consents that run out within 30 days, those behind posts first. Hidden when there are none. */
export function ExpiringCard() {
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
      {warnings.some((w) => w.scheduled > 0) && (
        <Text size="sm" c="dimmed" mb="xs">
          Posts that rely on a consent are blocked once it ends. Ask the patient to renew it in time, or move the posts earlier.
        </Text>
      )}
      <Stack gap={6}>
        {warnings.map((w) => (
          <Group key={w.consentId} justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              <Text size="sm">{w.message}</Text>
              {postsLine(w) && <Badge size="sm" color="orange" variant="light" data-testid="expiring-posts">{postsLine(w)}</Badge>}
            </Group>
            <Anchor size="sm" href={`#/consents/${w.consentId}`}>Open</Anchor>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
