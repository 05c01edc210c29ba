import { useEffect, useState } from 'react';
import { Anchor, Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconFileCertificate } from '@tabler/icons-react';
import { copiesDue, type CopyDue } from '../../api/mail';

/**
 * Home's reminder: consents signed in the last 30 days whose patient has
 * not been given the copy the form promises. Hidden when there are none.
 */
export function CopiesDueCard() {
  const [due, setDue] = useState<CopyDue[]>([]);
  useEffect(() => {
    copiesDue().then(setDue).catch(() => undefined);
  }, []);
  if (due.length === 0) return null;
  return (
    <Card withBorder padding="lg" data-testid="copies-due">
      <Group gap="sm" mb="xs">
        <ThemeIcon variant="light" color="blue" size={32}><IconFileCertificate size={18} /></ThemeIcon>
        <Text fw={600}>{due.length === 1 ? 'A patient is waiting for their copy of the signed form' : `${due.length} patients are waiting for their copy of the signed form`}</Text>
      </Group>
      <Text size="sm" c="dimmed" mb="xs">The form promises each patient a copy of what they signed. Open the consent to email it, or to record that you gave them a printed copy.</Text>
      <Stack gap={6}>
        {due.map((d) => (
          <Group key={d.consentId} justify="space-between" wrap="nowrap">
            <Text size="sm">{d.patientName}: {d.methodLabel.toLowerCase()} on {d.signedOn}</Text>
            <Anchor size="sm" href={`#/consents/${d.consentId}`} aria-label={`Open ${d.patientName}'s consent`}>Open</Anchor>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
