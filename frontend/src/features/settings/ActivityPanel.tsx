import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Group, Pagination, Stack, Table, Text, Title } from '@mantine/core';
import { IconFileText, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { actionLabel, detailLines, listActivity, saveLog, verifyActivity } from '../../api/activity';
import { systemInfo } from '../../api/system';
import { toAppError } from '../../api/errors';
import type { AuditPage, VerifyResult } from '../../api/types';
import { formatWhen } from '../../format';
import { useAction } from '../../useAction';

const pageSize = 25;

export function ActivityPanel() {
  const [page, setPage] = useState(0);
  const [data, setData] = useState<AuditPage | null>(null);
  const [verify, setVerify] = useState<VerifyResult | null>(null);
  // The check's failure and the page's own loading share one message.
  const { busy: checking, error, setError, run } = useAction();

  const load = useCallback((p: number) => {
    listActivity(p, pageSize).then(setData).catch((e) => setError(toAppError(e).message));
  }, [setError]);
  useEffect(() => load(page), [load, page]);

  const [logFile, setLogFile] = useState('');
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    systemInfo().then((i) => setLogFile(i.logFile)).catch(() => {});
  }, []);

  const save = async () => {
    setSaving(true);
    try {
      const path = await saveLog();
      if (path) notifications.show({ color: 'teal', message: `Log saved as ${path}. Attach it to your email to support.` });
    } catch (e) {
      notifications.show({ color: 'red', message: toAppError(e).message });
    } finally {
      setSaving(false);
    }
  };

  const check = async () => {
    const v = await run(verifyActivity);
    if (v) setVerify(v);
  };

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb={4}>
        <Title order={4}>Activity log</Title>
        <Button variant="light" leftSection={<IconShieldCheck size={16} />} onClick={check} loading={checking}>Verify integrity</Button>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        Every change to consents, settings and backups is written here and sealed to the entry before it, so any later
        alteration of the record can be detected.
      </Text>
      {verify && (
        verify.ok ? (
          <Alert color="teal" variant="light" icon={<IconShieldCheck size={18} />} mb="md" data-testid="verify-result">
            {verify.summary}
          </Alert>
        ) : (
          <Alert color="red" variant="light" icon={<IconShieldX size={18} />} mb="md" title={verify.break?.kind === 'nokey' ? 'The log cannot be checked on this computer' : 'The log has been altered'} data-testid="verify-result">
            {verify.summary}
          </Alert>
        )
      )}
      {error && <Alert color="red" mb="md">{error}</Alert>}
      <Stack gap="xs">
        <Table verticalSpacing="xs" striped data-testid="activity-table">
          <Table.Thead>
            <Table.Tr><Table.Th w={180}>When</Table.Th><Table.Th w={150}>Who</Table.Th><Table.Th>What</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.entries.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td><Text size="sm">{formatWhen(e.at)}</Text></Table.Td>
                <Table.Td><Text size="sm" tt="capitalize">{e.actor}</Text></Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>{actionLabel(e.action)}</Text>
                  {detailLines(e.detail).map((l) => (
                    <Text key={l} size="xs" c="dimmed">{l}</Text>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {data && data.total > pageSize && (
          <Group justify="center">
            <Pagination total={Math.ceil(data.total / pageSize)} value={page + 1} onChange={(p) => setPage(p - 1)} size="sm" />
          </Group>
        )}
      </Stack>
      <Group justify="space-between" mt="lg" pt="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }} wrap="nowrap">
        <div>
          <Text size="sm" fw={500}>Technical log for support</Text>
          <Text size="xs" c="dimmed">
            Holds what PracticePost did and any errors, never patient details or passwords.{logFile && ` It is kept in ${logFile}.`}
          </Text>
        </div>
        <Button variant="default" leftSection={<IconFileText size={16} />} onClick={save} loading={saving} style={{ flexShrink: 0 }}>
          Save log for support…
        </Button>
      </Group>
    </Card>
  );
}
