import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCircleDashed, IconDatabase, IconShieldLock } from '@tabler/icons-react';
import { backupOverview } from '../../api/backup';
import { recoveryStatus } from '../../api/recovery';
import { verifyActivity } from '../../api/activity';
import { systemInfo } from '../../api/system';
import type { BackupOverview, BrandView, SystemInfo, VerifyResult, RecoveryStatus } from '../../api/types';
import { formatWhen } from '../../format';
import { ExpiringCard } from '../consent/ExpiringCard';
import { AttentionCard } from './AttentionCard';
import { UnplacedImagesCard } from './UnplacedImagesCard';
import { ChannelReminders } from '../channels/ChannelReminders';
import { WithdrawalHolds } from '../mail/WithdrawalHolds';
import { InboxCard } from '../inbox/InboxCard';

interface Props {
  brand: BrandView | null;
  go: (to: string) => void;
}

export function HomePage({ brand, go }: Props) {
  const [backups, setBackups] = useState<BackupOverview | null>(null);
  const [chain, setChain] = useState<VerifyResult | null>(null);
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [recovery, setRecovery] = useState<RecoveryStatus | null>(null);

  useEffect(() => {
    backupOverview().then(setBackups).catch(() => undefined);
    verifyActivity().then(setChain).catch(() => undefined);
    systemInfo().then(setInfo).catch(() => undefined);
    recoveryStatus().then(setRecovery).catch(() => undefined);
  }, []);

  const kit = brand?.kit;
  const steps = [
    { done: !!kit?.practiceName, label: 'Enter your practice details', to: 'settings/brand' },
    { done: !!kit?.logoSha256, label: 'Upload your logo', to: 'settings/brand' },
    { done: (kit?.clinicians.length ?? 0) > 0, label: 'Add your clinicians and their registration numbers', to: 'settings/brand' },
    { done: !!recovery?.made, label: 'Make your recovery key and keep it safe', to: 'settings/backup' },
    { done: !!backups?.backups.some((b) => !b.automatic), label: 'Make your first backup', to: 'settings/backup' },
  ];
  const done = steps.filter((s) => s.done).length;

  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>{kit?.practiceName ? `Welcome back, ${kit.practiceName}` : 'Welcome to PracticePost'}</Title>
        <Text c="dimmed">Patient consent, branded posts and publishing, kept safely on this computer.</Text>
      </div>

      <WithdrawalHolds go={go} />

      {info?.dataFolderWarning && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={`Your data folder is inside ${info.dataFolderSync}`} data-testid="synced-folder-warning">
          {info.dataFolderWarning}
        </Alert>
      )}

      <AttentionCard go={go} />

      <InboxCard go={go} country={kit?.country ?? 'GB'} />

      <UnplacedImagesCard go={go} />

      <ChannelReminders go={go} />

      <ExpiringCard go={go} />

      <Card withBorder padding="lg">
        <Group justify="space-between" mb="sm">
          <Text fw={600}>Getting started</Text>
          <Badge variant="light" tt="none" color={done === steps.length ? 'teal' : 'gray'}>
            {done} of {steps.length} done
          </Badge>
        </Group>
        <Progress value={(done / steps.length) * 100} mb="md" size="sm" />
        <Stack gap="xs">
          {steps.map((s) => (
            <Group key={s.label} justify="space-between" wrap="nowrap">
              <Group gap="sm" wrap="nowrap">
                <ThemeIcon size={24} radius="xl" color={s.done ? 'teal' : 'gray'} variant={s.done ? 'filled' : 'light'}>
                  {s.done ? <IconCheck size={14} /> : <IconCircleDashed size={14} />}
                </ThemeIcon>
                <Text size="sm" td={s.done ? 'line-through' : undefined} c={s.done ? 'dimmed' : undefined}>
                  {s.label}
                </Text>
              </Group>
              {!s.done && (
                <Button size="xs" variant="light" onClick={() => go(s.to)}>
                  Open
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      </Card>

      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder padding="lg">
          <Group gap="sm" mb="xs">
            <ThemeIcon variant="light" size={32}><IconDatabase size={18} /></ThemeIcon>
            <Text fw={600}>Backups</Text>
          </Group>
          <Text size="sm">
            {backups?.lastBackup ? `Last backup ${formatWhen(backups.lastBackup)}${backups.backups[0]?.automatic ? ' (automatic)' : ''}.` : 'No backup yet.'}
          </Text>
          <Text size="sm" c="dimmed">
            PracticePost also keeps a daily automatic backup (the last {backups?.automaticKeep ?? 7}).
          </Text>
          <Button mt="md" variant="light" onClick={() => go('settings/backup')}>Back up or restore</Button>
        </Card>
        <Card withBorder padding="lg">
          <Group gap="sm" mb="xs">
            <ThemeIcon variant="light" size={32} color={chain && !chain.ok ? 'red' : 'teal'}><IconShieldLock size={18} /></ThemeIcon>
            <Text fw={600}>Activity log</Text>
          </Group>
          <Text size="sm">
            {chain == null
              ? 'Checking…'
              : chain.ok
                ? `All ${chain.entries} entries are intact: nothing has been altered.`
                : chain.summary}
          </Text>
          <Button mt="md" variant="light" onClick={() => go('settings/activity')}>See activity</Button>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
