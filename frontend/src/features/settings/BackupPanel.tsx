import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Code, Group, Modal, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDatabaseExport, IconFolder, IconRestore } from '@tabler/icons-react';
import { backupNow, backupOverview, chooseBackupFolder, chooseRestoreFile, restoreBackup, restoreBackupWithRecovery, setBackupFolder } from '../../api/backup';
import { RecoveryKeyCard } from '../recovery/RecoveryKeyCard';
import { RecoveryKeyInput } from '../recovery/RecoveryKeyInput';
import { formatBytes } from '../../api/activity';
import { toAppError } from '../../api/errors';
import { Events, onEvent } from '../../api/system';
import type { BackupFile, BackupOverview } from '../../api/types';
import { formatWhen } from '../../format';

export function BackupPanel() {
  const [ov, setOv] = useState<BackupOverview | null>(null);
  const [folder, setFolder] = useState('');
  const [folderError, setFolderError] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [confirm, setConfirm] = useState<BackupFile | { path: string; name: string } | null>(null);
  const [restoring, setRestoring] = useState(false);
  // A backup from another computer: the recovery key opens it.
  const [needsKey, setNeedsKey] = useState<{ path: string; name: string; message: string } | null>(null);
  const [words, setWords] = useState('');
  const [wordsError, setWordsError] = useState('');

  const load = useCallback(() => {
    backupOverview()
      .then((o) => {
        setOv(o);
        setFolder(o.folder);
      })
      .catch((e) => setError(toAppError(e).message));
  }, []);

  useEffect(() => {
    load();
    return onEvent(Events.backupProgress, (d) => setProgress(d.fraction));
  }, [load]);

  const saveFolder = async () => {
    setFolderError('');
    try {
      const o = await setBackupFolder(folder);
      setOv(o);
      notifications.show({ color: 'teal', message: 'Backups will be saved in that folder.' });
    } catch (e) {
      setFolderError(toAppError(e).message);
    }
  };

  const choose = async () => {
    setFolderError('');
    try {
      const o = await chooseBackupFolder();
      setOv(o);
      setFolder(o.folder);
    } catch (e) {
      setFolderError(toAppError(e).message);
    }
  };

  const backup = async () => {
    setError('');
    setProgress(0);
    try {
      const f = await backupNow();
      notifications.show({ color: 'teal', title: 'Backup made', message: `${f.name} (${formatBytes(f.size)})` });
      load();
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setProgress(null);
    }
  };

  const pickFile = async () => {
    try {
      const path = await chooseRestoreFile();
      if (path) setConfirm({ path, name: path.split(/[\\/]/).pop() ?? path });
    } catch (e) {
      setError(toAppError(e).message);
    }
  };

  const restore = async () => {
    if (!confirm) return;
    setRestoring(true);
    setError('');
    try {
      const r = await restoreBackup(confirm.path);
      setConfirm(null);
      restored(confirm.name, r.safetyCopy);
    } catch (e) {
      setConfirm(null);
      const err = toAppError(e);
      if (err.code === 'recovery') {
        setWords('');
        setWordsError('');
        setNeedsKey({ ...confirm, message: err.message });
      } else {
        setError(err.message);
      }
    } finally {
      setRestoring(false);
    }
  };

  const restored = (name: string, safetyCopy: string) => {
    notifications.show({
      color: 'teal', title: 'Data restored', autoClose: 10000,
      message: `PracticePost now holds the data from ${name}. What was there before is kept as ${safetyCopy.split(/[\\/]/).pop()}.`,
    });
    load();
  };

  const restoreWithKey = async () => {
    if (!needsKey) return;
    setRestoring(true);
    setWordsError('');
    try {
      const r = await restoreBackupWithRecovery(needsKey.path, words);
      setNeedsKey(null);
      restored(needsKey.name, r.safetyCopy);
    } catch (e) {
      const err = toAppError(e);
      if (err.field === 'recoveryKey') setWordsError(err.message);
      else {
        setNeedsKey(null);
        setError(err.message);
      }
    } finally {
      setRestoring(false);
    }
  };

  if (!ov) return error ? <Alert color="red">{error}</Alert> : null;
  const folderChanged = folder.trim() !== ov.folder || !ov.folderIsSet;

  return (
    <Stack gap="lg">
      <RecoveryKeyCard />
      <Card withBorder padding="lg">
        <Title order={2} size="h4" mb={4}>Back up now</Title>
        <Text size="sm" c="dimmed" mb="md">
          A backup is one file holding everything: consents, signatures, photos, drafts and settings. Keep it on a USB drive
          or a folder that your cloud storage copies.
        </Text>
        <Group align="flex-end" gap="sm" mb="md">
          <TextInput label="Backup folder" value={folder} onChange={(e) => setFolder(e.currentTarget.value)}
            error={folderError || undefined} style={{ flex: 1 }} leftSection={<IconFolder size={16} />} data-testid="backup-folder" />
          <Button variant="default" onClick={choose}>Choose…</Button>
          {folderChanged && <Button variant="light" onClick={saveFolder}>Use this folder</Button>}
        </Group>
        <Group>
          <Button leftSection={<IconDatabaseExport size={18} />} onClick={backup} loading={progress !== null}>Back up now</Button>
          {ov.lastBackup && <Text size="sm" c="dimmed">Last backup {formatWhen(ov.lastBackup)}</Text>}
        </Group>
        {progress !== null && <Progress value={progress * 100} mt="md" animated aria-label="Backup progress" />}
        {error && (
          <Alert color="red" variant="light" mt="md" icon={<IconAlertTriangle size={18} />} title="That did not work" data-testid="backup-error">
            {error}
          </Alert>
        )}
      </Card>

      <Card withBorder padding="lg">
        <Group justify="space-between" mb={4}>
          <Title order={2} size="h4">Restore</Title>
          <Button variant="default" size="xs" onClick={pickFile}>Restore from another file…</Button>
        </Group>
        <Text size="sm" c="dimmed" mb="md">
          Restoring replaces everything in PracticePost with the backup. What is there now is kept as a safety copy first,
          so nothing is lost. Automatic backups are made once a day and the last {ov.automaticKeep} are kept.
        </Text>
        {ov.backups.length === 0 ? (
          <Text size="sm" c="dimmed" fs="italic">No backups yet.</Text>
        ) : (
          <Table highlightOnHover verticalSpacing="xs" data-testid="backup-list">
            <Table.Thead>
              <Table.Tr><Table.Th>Backup</Table.Th><Table.Th>Made</Table.Th><Table.Th>Size</Table.Th><Table.Th /></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ov.backups.map((b) => (
                <Table.Tr key={b.path}>
                  <Table.Td>
                    <Group gap="xs">
                      <Text size="sm">{b.name}</Text>
                      {b.automatic && <Badge size="xs" variant="light" color="gray">automatic</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td><Text size="sm">{formatWhen(b.modified)}</Text></Table.Td>
                  <Table.Td><Text size="sm">{formatBytes(b.size)}</Text></Table.Td>
                  <Table.Td ta="right">
                    <Button size="xs" variant="subtle" leftSection={<IconRestore size={14} />} onClick={() => setConfirm(b)}>Restore</Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Text size="xs" c="dimmed" mt="md">
          Your data file: <Code>{ov.dataFile}</Code>
        </Text>
      </Card>

      <Modal opened={!!confirm} onClose={() => !restoring && setConfirm(null)} title="Restore this backup?" centered>
        <Stack>
          <Text size="sm">
            Everything in PracticePost will be replaced with the contents of <b>{confirm?.name}</b>. Your current data is kept
            as a safety copy in <Code>{ov.safetyFolder}</Code>.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)} disabled={restoring}>Cancel</Button>
            <Button color="orange" onClick={restore} loading={restoring}>Restore</Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={!!needsKey} onClose={() => !restoring && setNeedsKey(null)} title="This backup needs your recovery key" centered size="lg">
        <form onSubmit={(e) => { e.preventDefault(); restoreWithKey(); }}>
          <Stack>
            <Text size="sm">{needsKey?.message}</Text>
            <RecoveryKeyInput value={words} onChange={setWords} error={wordsError} autoFocus />
            <Text size="sm" c="dimmed">
              Once restored, this computer keeps the backup's keys: its own backups then restore without the recovery key. Your current
              data is kept as a safety copy in <Code>{ov.safetyFolder}</Code>.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setNeedsKey(null)} disabled={restoring}>Cancel</Button>
              <Button type="submit" color="orange" loading={restoring} data-testid="restore-with-key">Restore with this key</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
