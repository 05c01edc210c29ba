import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { createDraft, listDrafts } from '../../api/drafts';
import { DraftEvents } from '../../api/calendar';
import { toAppError } from '../../api/errors';
import { onEvent } from '../../api/system';
import type { DraftSummary } from '../../api/types';
import { DraftEditor } from './DraftEditor';
import { pillarColor } from '../calendar/colors';
import { formatWallClock } from '../../format';
import { LinkRow } from '../../LinkRow';

interface Props {
  route: string[];
  go: (to: string) => void;
}

export function DraftsPage({ route, go }: Props) {
  const id = Number(route[1]);
  if (id > 0) {
    return (
      <Stack gap="xs">
        <Group>
          <Button variant="subtle" size="xs" onClick={() => go('drafts')}>← All posts</Button>
          <Button variant="subtle" size="xs" onClick={() => go('calendar')}>Calendar</Button>
        </Group>
        <DraftEditor key={id} id={id} go={go} />
      </Stack>
    );
  }
  return <DraftList go={go} />;
}

function DraftList({ go }: { go: (to: string) => void }) {
  const [rows, setRows] = useState<DraftSummary[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () => listDrafts().then(setRows).catch((e) => setError(toAppError(e).message));
    load();
    return onEvent(DraftEvents.changed, load);
  }, []);
  const create = async () => {
    try {
      const v = await createDraft({});
      go('drafts/' + v.draft.id);
    } catch (e) {
      setError(toAppError(e).message);
    }
  };
  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={1} size="h2">Posts</Title>
          <Text c="dimmed">Drafts are saved as you type and checked before anything goes out.</Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={create}>New post</Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {rows && rows.length === 0 && <Text c="dimmed">No posts yet. Start one, or pick an idea or awareness day in the Calendar.</Text>}
      {rows && rows.length > 0 && (
        <Table highlightOnHover verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Post</Table.Th>
              <Table.Th>Pillar</Table.Th>
              <Table.Th>Platforms</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <LinkRow key={r.id} to={'drafts/' + r.id} go={go}>
                <Table.Td>{r.title}</Table.Td>
                <Table.Td>{r.pillar && <Badge color={pillarColor(r.pillar)} variant="light">{r.pillar.replace('_', ' / ')}</Badge>}</Table.Td>
                <Table.Td><Text size="sm">{r.channels.join(', ')}</Text></Table.Td>
                <Table.Td><Text size="sm">{r.localTime ? formatWallClock(r.localTime) : 'Not planned'}</Text></Table.Td>
                <Table.Td><Badge variant={r.status === 'scheduled' ? 'filled' : 'outline'}>{r.status}</Badge></Table.Td>
              </LinkRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
