import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCircleDashed, IconDatabase, IconShieldLock } from '@tabler/icons-react';
import { backupOverview } from '../../api/backup';
import { recoveryStatus } from '../../api/recovery';
import { verifyActivity } from '../../api/activity';
import { signalFirstScreen, systemInfo } from '../../api/system';
import type { BackupOverview, BrandView, SystemInfo, VerifyResult, RecoveryStatus } from '../../api/types';
import { formatWhen } from '../../format';
import { ExpiringCard } from '../consent/ExpiringCard';
import { CopiesDueCard } from '../consent/CopiesDueCard';
import { AttentionCard } from './AttentionCard';
import { UnplacedImagesCard } from './UnplacedImagesCard';
import { WeekCard } from './WeekCard';
import { gettingStarted } from './gettingStarted';
import { consentSetup, lockStatus } from '../../api/consent';
import { listChannels } from '../../api/channels';
import { listDrafts } from '../../api/drafts';
import { ChannelReminders } from '../channels/ChannelReminders';
import { WithdrawalHolds } from '../mail/WithdrawalHolds';
import { MailboxTrouble } from '../mail/MailboxTrouble';
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

  const [more, setMore] = useState({ privacyNotice: false, pinSet: false, channels: 0, firstPost: false });

  useEffect(() => {
    const loads = [
      backupOverview().then(setBackups).catch(() => undefined),
      verifyActivity().then(setChain).catch(() => undefined),
      systemInfo().then(setInfo).catch(() => undefined),
    ];
    // What the rest of the checklist needs; each answers on its own.
    const quiet = <T,>(f: () => Promise<T>) => Promise.resolve().then(f).catch(() => null);
    loads.push(Promise.all([quiet(consentSetup), quiet(lockStatus), quiet(listChannels), quiet(listDrafts)]).then(([cs, lock, chs, drafts]) => setMore({
      privacyNotice: !!cs?.settings.privacyNoticeUrl,
      pinSet: !!lock?.pinSet,
      channels: chs?.length ?? 0,
      firstPost: !!drafts?.some((d) => d.status === 'scheduled' || d.status === 'published'),
    })));
    loads.push(recoveryStatus().then(setRecovery).catch(() => undefined));
    // Home counts as shown once its checklist, backups and the activity
    // log's check have answered and been drawn.
    void Promise.all(loads).then(signalFirstScreen);
  }, []);

  const kit = brand?.kit;
  const steps = gettingStarted({
    practiceName: kit?.practiceName ?? '', address: kit?.address ?? '', contact: !!(kit?.email || kit?.phone),
    logo: !!kit?.logoSha256, clinicians: kit?.clinicians.length ?? 0,
    recoveryKey: !!recovery?.made,
    lastBackup: backups?.lastBackup ?? '', lastBackupAutomatic: !!backups?.backups[0]?.automatic,
    ...more,
  }, (iso) => formatWhen(iso));
  const done = steps.filter((s) => s.done).length;

  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">{kit?.practiceName ? `Welcome back, ${kit.practiceName}` : 'Welcome to PracticePost'}</Title>
        <Text c="dimmed">Patient consent, branded posts and publishing, kept safely on this computer.</Text>
      </div>

      <WithdrawalHolds />

      <MailboxTrouble go={go} />

      {info?.dataFolderWarning && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={`Your data folder is inside ${info.dataFolderSync}`} data-testid="synced-folder-warning">
          {info.dataFolderWarning}
        </Alert>
      )}

      <AttentionCard go={go} />

      <InboxCard go={go} country={kit?.country ?? 'GB'} />

      <UnplacedImagesCard go={go} />

      <ChannelReminders go={go} />

      <ExpiringCard />

      <CopiesDueCard />

      <WeekCard go={go} />

      {done < steps.length && (
      <Card withBorder padding="lg" data-testid="getting-started">
        <Group justify="space-between" mb="sm">
          <Text fw={600}>Getting started</Text>
          <Badge variant="light" tt="none" color={done === steps.length ? 'teal' : 'gray'}>
            {done} of {steps.length} done
          </Badge>
        </Group>
        <Progress value={(done / steps.length) * 100} mb="md" size="sm" aria-label={`${done} of ${steps.length} steps done`} />
        <Stack gap="xs">
          {steps.map((s) => (
            <Group key={s.key} justify="space-between" wrap="nowrap" data-testid={`start-${s.key}`} data-done={s.done || undefined}>
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <ThemeIcon size={24} radius="xl" color={s.done ? 'teal' : 'gray'} variant={s.done ? 'filled' : 'light'} role="img" aria-label={s.done ? 'Done' : 'To do'}>
                  {s.done ? <IconCheck size={14} /> : <IconCircleDashed size={14} />}
                </ThemeIcon>
                <div>
                  <Text size="sm" fw={s.done ? undefined : 500}>{s.label}</Text>
                  <Text size="xs" c="dimmed">{s.note}</Text>
                </div>
              </Group>
              {!s.done && (
                <Button size="xs" variant="light" onClick={() => go(s.to)} aria-label={`${s.label}: open`}>
                  Open
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      </Card>
      )}

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
