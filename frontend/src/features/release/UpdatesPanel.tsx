import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { checkForUpdates, installUpdate, systemInfo, updates } from '../../api/system';
import { toAppError } from '../../api/errors';
import { formatWhen } from '../../format';
import type { SystemInfo, UpdateView } from '../../api/types';
import { LicencesDialog } from './LicencesDialog';

/** Settings → Updates & about: is there a newer version, and what this copy is. */
export function UpdatesPanel() {
  const [view, setView] = useState<UpdateView | null>(null);
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [installing, setInstalling] = useState(false);
  const [showLicences, setShowLicences] = useState(false);
  useEffect(() => {
    updates().then(setView).catch((e) => setError(toAppError(e).message));
    systemInfo().then(setInfo).catch(() => setInfo(null));
  }, []);
  const check = async () => {
    setBusy(true);
    setError('');
    try {
      setView(await checkForUpdates());
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const install = async () => {
    setInstalling(true);
    setError('');
    try {
      setView(await installUpdate());
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setInstalling(false);
    }
  };
  return (
    <Stack maw={720}>
      <Paper withBorder p="lg" radius="md" data-testid="updates-panel">
        <Stack>
          <Group gap="xs"><IconDownload size={20} /><Title order={2} size="h3">Updates</Title></Group>
          {view?.available && (
            <Alert color="blue" title={`Version ${view.version} is available`} data-testid="update-available">
              <Stack gap="xs">
                {view.notes && <Text size="sm">What’s new: {view.notes}</Text>}
                {view.canInstall && (
                  <Group>
                    <Button size="xs" loading={installing} onClick={install} data-testid="update-install">Install version {view.version} now</Button>
                  </Group>
                )}
                {view.page && <Anchor href={view.page} target="_blank" size="sm">{view.canInstall ? 'Read about this version' : `Download version ${view.version}`}</Anchor>}
                <Text size="xs" c="dimmed">
                  {view.canInstall
                    ? 'PracticePost downloads the installer, checks it is the one PracticePost’s publisher signed, starts it and closes. Your data stays where it is.'
                    : 'Install it over this copy: your data stays where it is.'}
                </Text>
              </Stack>
            </Alert>
          )}
          {view && view.configured && !view.available && view.checkedAt && !view.message && (
            <Text size="sm" data-testid="update-current">You have the newest version ({view.current}).</Text>
          )}
          {view?.message && (
            <Alert color={view.configured ? 'orange' : 'gray'} variant="light" icon={<IconInfoCircle size={18} />} data-testid="update-message">
              {view.message}
            </Alert>
          )}
          {view?.configured && (
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                {view.checkedAt ? `Last checked ${formatWhen(view.checkedAt)}. PracticePost looks once a day by itself.` : 'PracticePost looks once a day by itself.'}
              </Text>
              <Button variant="default" size="xs" loading={busy} onClick={check} data-testid="update-check">Check now</Button>
            </Group>
          )}
          {error && <Alert color="red">{error}</Alert>}
        </Stack>
      </Paper>
      <Paper withBorder p="lg" radius="md" data-testid="about-panel">
        <Title order={2} size="h4" mb="sm">About this copy of PracticePost</Title>
        <Table withRowBorders={false} verticalSpacing={4}>
          <Table.Tbody>
            <Table.Tr><Table.Td w={160}><Text size="sm" c="dimmed">Version</Text></Table.Td><Table.Td><Text size="sm" data-testid="about-version">{info?.version ?? '…'}</Text></Table.Td></Table.Tr>
            <Table.Tr><Table.Td><Text size="sm" c="dimmed">Built from</Text></Table.Td><Table.Td><Text size="sm">{info?.commit ? `commit ${info.commit}` : 'a development copy'}{info?.buildDate ? `, ${formatWhen(info.buildDate)}` : ''}</Text></Table.Td></Table.Tr>
            <Table.Tr><Table.Td><Text size="sm" c="dimmed">Data folder</Text></Table.Td><Table.Td><Text size="sm" style={{ wordBreak: 'break-all' }}>{info?.dataDir ?? '…'}</Text></Table.Td></Table.Tr>
          </Table.Tbody>
        </Table>
        <Group justify="space-between" mt="sm" wrap="nowrap">
          <Text size="xs" c="dimmed">
            PracticePost is built with open-source libraries, and its designs use the Inter and Noto fonts (SIL Open Font License 1.1).
          </Text>
          <Button variant="default" size="xs" onClick={() => setShowLicences(true)} data-testid="about-licences" style={{ flexShrink: 0 }}>Licences</Button>
        </Group>
        <LicencesDialog opened={showLicences} onClose={() => setShowLicences(false)} />
      </Paper>
    </Stack>
  );
}
