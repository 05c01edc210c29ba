import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSearch, IconUserPlus } from '@tabler/icons-react';
import { toAppError } from '../../api/errors';
import { listPatients } from '../../api/patients';
import type { PatientView } from '../../api/types';
import { AddPatientModal } from './AddPatientModal';
import { formatDay } from '../../format';
import { LinkRow } from '../../LinkRow';

export function PatientsPage({ go }: { go: (to: string) => void }) {
  const [query, setQuery] = useState('');
  const [patients, setPatients] = useState<PatientView[] | null>(null);
  const [error, setError] = useState('');
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    const t = setTimeout(() => {
      listPatients(query).then(setPatients).catch((e) => setError(toAppError(e).message));
    }, 150);
    return () => clearTimeout(t);
  }, [query]);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">Patients</Title>
          <Text c="dimmed">The patients whose testimonials or photos you want to use.</Text>
        </div>
        <Button leftSection={<IconUserPlus size={18} />} onClick={() => setAdding(true)}>Add patient</Button>
      </Group>
      <Card withBorder padding="lg">
        <TextInput placeholder="Search by name, reference or email" leftSection={<IconSearch size={16} />} value={query}
          onChange={(e) => setQuery(e.currentTarget.value)} mb="md" aria-label="Search patients" />
        {error && <Alert color="red">{error}</Alert>}
        {patients && patients.length === 0 ? (
          <Text size="sm" c="dimmed" fs="italic">{query ? 'No patient matches that search.' : 'No patients yet. Add the first one.'}</Text>
        ) : (
          <Table highlightOnHover verticalSpacing="sm" data-testid="patient-table">
            <Table.Thead>
              <Table.Tr><Table.Th>Name</Table.Th><Table.Th>Date of birth</Table.Th><Table.Th>Reference</Table.Th><Table.Th>Email</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {patients?.map((p) => (
                <LinkRow key={p.patient.id} to={`patients/${p.patient.id}`} go={go}>
                  <Table.Td>
                    <Group gap="xs">
                      <Text size="sm" fw={500}>{p.patient.fullName}</Text>
                      {p.needsRepresentative && <Badge size="sm" variant="light" color="blue" tt="none">Representative signs</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td><Text size="sm">{formatDay(p.patient.dateOfBirth)} ({p.age})</Text></Table.Td>
                  <Table.Td><Text size="sm">{p.patient.ref || '–'}</Text></Table.Td>
                  <Table.Td><Text size="sm">{p.patient.email}</Text></Table.Td>
                </LinkRow>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <AddPatientModal opened={adding} onClose={() => setAdding(false)}
        onCreated={(p) => {
          setAdding(false);
          notifications.show({ color: 'teal', message: `${p.patient.fullName} added.` });
          go(`patients/${p.patient.id}`);
        }} />
    </Stack>
  );
}
