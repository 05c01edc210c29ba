import { useEffect, useState } from 'react';
import { Anchor, Group, Paper, Table, Text } from '@mantine/core';
import { Sparkline } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { InsightsEvents, postNumbers, type PostNumbers as Numbers } from '../../api/insights';
import { onEvent } from '../../api/system';
import { toAppError } from '../../api/errors';

const interactions = (c: { reactions: number; comments: number; shares: number; quotes: number; saves: number }) =>
  c.reactions + c.comments + c.shares + c.quotes + c.saves;

/** A published post's numbers on each channel, with its interactions over time. Nothing shows before it goes out. */
export function PostNumbers({ draftId }: { draftId: number }) {
  const [rows, setRows] = useState<Numbers[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () => postNumbers(draftId).then((r) => { setRows(r); setError(''); }).catch((e) => setError(toAppError(e).message));
    load();
    return onEvent(InsightsEvents.updated, load);
  }, [draftId]);
  if (error) return <Text size="sm" c="red">{error}</Text>;
  if (!rows || rows.length === 0) return null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="post-numbers">
      <Text fw={600} mb="xs">How it is doing</Text>
      <Table verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Channel</Table.Th><Table.Th ta="right">Reactions</Table.Th><Table.Th ta="right">Comments</Table.Th>
            <Table.Th ta="right">Shares</Table.Th><Table.Th ta="right">Reach / views</Table.Th><Table.Th>Over time</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.channel}>
              <Table.Td>{r.url ? <Anchor href={r.url} target="_blank" size="sm">{r.title}</Anchor> : <Text size="sm">{r.title}</Text>}</Table.Td>
              {r.latest ? (
                <>
                  <Table.Td ta="right">{r.latest.reactions}</Table.Td>
                  <Table.Td ta="right">{r.latest.comments}</Table.Td>
                  <Table.Td ta="right">{r.latest.shares + r.latest.quotes}</Table.Td>
                  <Table.Td ta="right">{r.latest.reach ?? r.latest.views ?? '–'}</Table.Td>
                  <Table.Td w={140}>
                    {r.readings.length > 1
                      ? <Sparkline w={120} h={28} data={r.readings.map(interactions)} curveType="linear" color="teal" fillOpacity={0.2} />
                      : <Text size="xs" c="dimmed">one reading so far</Text>}
                  </Table.Td>
                </>
              ) : (
                <Table.Td colSpan={5}><Text size="sm" c="dimmed">{r.note}</Text></Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="flex-end" mt={4}><Text size="xs" c="dimmed">Numbers are read every few hours while PracticePost is open.</Text></Group>
    </Paper>
  );
}
