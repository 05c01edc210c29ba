import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Loader, Menu, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconChevronDown, IconDeviceTablet, IconFileCheck, IconMail, IconSignature } from '@tabler/icons-react';
import { ConsentEvents, listConsents } from '../../api/consent';
import { toAppError } from '../../api/errors';
import { getPatient } from '../../api/patients';
import { onEvent } from '../../api/system';
import type { ConsentView, PatientView } from '../../api/types';
import { ConsentTable } from '../consent/ConsentsPage';
import { AskTestimonialButton, MailRequestsCard } from '../mail/SendByEmail';
import { formatDay } from '../../format';

export function PatientPage({ id, go }: { id: number; go: (to: string) => void }) {
  const [p, setP] = useState<PatientView | null>(null);
  const [consents, setConsents] = useState<ConsentView[]>([]);
  const [error, setError] = useState('');

  useEffect(() => {
    getPatient(id).then(setP).catch((e) => setError(toAppError(e).message));
    const load = () => listConsents(id).then(setConsents).catch((e) => setError(toAppError(e).message));
    load();
    return onEvent(ConsentEvents.changed, load);
  }, [id]);

  if (error) return <Alert color="red" title="This patient could not be opened">{error}</Alert>;
  if (!p) return <Loader />;
  const field = (label: string, value: string) => (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm">{value || '–'}</Text>
    </div>
  );

  return (
    <Stack gap="lg">
      <div>
        <Anchor size="sm" href="#/patients">← Patients</Anchor>
        <Group justify="space-between" align="flex-end">
          <Group gap="sm">
            <Title order={1} size="h2">{p.patient.fullName}</Title>
            {p.needsRepresentative && <Badge variant="light" color="blue" tt="none">A representative signs for them</Badge>}
          </Group>
          <Group gap="sm">
            <AskTestimonialButton patientId={id} patientEmail={p.patient.email} />
            {/* The way of signing is chosen here, as on a testimonial's card: on
                the next page it is a radio group, which Tab passes over as one
                stop (only arrow keys change it), so keyboard users chose here. */}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button leftSection={<IconSignature size={18} />} rightSection={<IconChevronDown size={16} />}>Ask for consent</Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>How will {p.patient.fullName} sign?</Menu.Label>
                <Menu.Item leftSection={<IconDeviceTablet size={18} />} onClick={() => go(`patients/${id}/consent/0/screen`)}>On this screen</Menu.Item>
                <Menu.Item leftSection={<IconMail size={18} />} onClick={() => go(`patients/${id}/consent/0/email`)}>By email</Menu.Item>
                <Menu.Item leftSection={<IconFileCheck size={18} />} onClick={() => go(`patients/${id}/consent/0/paper`)}>Already signed on paper</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </div>
      <Card withBorder padding="lg">
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {field('Date of birth', `${formatDay(p.patient.dateOfBirth)} (age ${p.age})`)}
          {field('Email', p.patient.email)}
          {field('Phone', p.patient.phone)}
          {field('Practice reference', p.patient.ref)}
        </SimpleGrid>
      </Card>
      <Card withBorder padding="lg">
        <Title order={2} size="h4" mb="sm">Consents</Title>
        <ConsentTable consents={consents} go={go} showPatient={false} />
      </Card>
      <MailRequestsCard patientId={id} />
    </Stack>
  );
}
