import { useEffect, useState } from 'react';
import { Alert, Button, Card, Collapse, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconSettings } from '@tabler/icons-react';
import { consentSetup, ConsentEvents, listConsents } from '../../api/consent';
import { toAppError } from '../../api/errors';
import { onEvent } from '../../api/system';
import type { ConsentSetup, ConsentView } from '../../api/types';
import { ConsentSettingsForm } from './ConsentSettingsForm';
import { StatusBadge } from './StatusBadge';
import { LinkRow } from '../../LinkRow';

interface TableProps {
  consents: ConsentView[];
  go: (to: string) => void;
  showPatient?: boolean;
}

export function ConsentTable({ consents, go, showPatient = true }: TableProps) {
  if (consents.length === 0) return <Text size="sm" c="dimmed" fs="italic">No consents yet.</Text>;
  return (
    <Table highlightOnHover verticalSpacing="sm" data-testid="consent-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th>
          {showPatient && <Table.Th>Patient</Table.Th>}
          <Table.Th>Signed</Table.Th>
          <Table.Th>How</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Covers</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {consents.map((c) => (
          <LinkRow key={c.id} to={`consents/${c.id}`} go={go}>
            <Table.Td><Text size="sm" c="dimmed">{c.id}</Text></Table.Td>
            {showPatient && <Table.Td><Text size="sm" fw={500}>{c.patientName}</Text></Table.Td>}
            <Table.Td><Text size="sm">{c.signedOn}</Text></Table.Td>
            <Table.Td><Text size="sm">{c.methodLabel}</Text></Table.Td>
            <Table.Td>
              {/* Badge over its sentence: side by side, a narrow window squeezed the badge to "V…". */}
              <Stack gap={4} align="flex-start">
                <StatusBadge status={c.status} />
                <Text size="xs" c="dimmed">{c.statusText}</Text>
              </Stack>
            </Table.Td>
            <Table.Td miw={160}><Text size="sm" lineClamp={3}>{c.channels.filter((x) => x.ticked).map((x) => shortChannel(x.value, x.label)).join(', ')}</Text></Table.Td>
          </LinkRow>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const short: Record<string, string> = {
  website: 'Website', google_business: 'Google', x: 'X', newsletter: 'Newsletter', print: 'Print', paid_ads: 'Paid ads', review_sites: 'Review sites',
};
export const shortChannel = (value: string, label: string) => short[value] ?? label;

export function ConsentsPage({ go }: { go: (to: string) => void }) {
  const [consents, setConsents] = useState<ConsentView[] | null>(null);
  const [setup, setSetup] = useState<ConsentSetup | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    const load = () => listConsents(0).then(setConsents).catch((e) => setError(toAppError(e).message));
    load();
    consentSetup().then(setSetup).catch(() => undefined);
    return onEvent(ConsentEvents.changed, load);
  }, []);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">Consents</Title>
          <Text c="dimmed">Every signed consent, what it covers and whether it still holds. To ask for a new one, open the patient.</Text>
        </div>
        <Group>
          <Button variant="default" leftSection={<IconSettings size={16} />} onClick={() => setShowSettings((s) => !s)}>Consent settings</Button>
          <Button onClick={() => go('patients')}>Ask a patient for consent</Button>
        </Group>
      </Group>
      {setup && (
        <Collapse expanded={showSettings || setup.missing.length > 0}>
          <Card withBorder padding="lg">
            <Title order={2} size="h4" mb="xs">Consent settings</Title>
            {setup.missing.length > 0 && <Alert color="orange" variant="light" mb="sm">Fill these in before asking for consent: {setup.missing.join(' ')}</Alert>}
            <ConsentSettingsForm setup={setup} onSaved={setSetup} />
          </Card>
        </Collapse>
      )}
      {error && <Alert color="red">{error}</Alert>}
      <Card withBorder padding="lg">{consents ? <ConsentTable consents={consents} go={go} /> : <Text c="dimmed">Loading…</Text>}</Card>
    </Stack>
  );
}
