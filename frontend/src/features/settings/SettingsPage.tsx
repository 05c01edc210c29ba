import { Tabs, Title, Stack, Text } from '@mantine/core';
import { IconBrush, IconDatabase, IconListCheck } from '@tabler/icons-react';
import { BrandKitForm } from './BrandKitForm';
import { BackupPanel } from './BackupPanel';
import { ActivityPanel } from './ActivityPanel';
import { MailboxSettings } from '../mail/MailboxSettings';
import { IconMail } from '@tabler/icons-react';
import { ZoneSettings } from '../calendar/ZoneSettings';
import { IconCalendar } from '@tabler/icons-react';
import { HostingPanel } from './HostingPanel';
import { IconCloudUpload } from '@tabler/icons-react';
import { ConsentWordingPanel } from './ConsentWordingPanel';
import { IconFileText, IconLock } from '@tabler/icons-react';
import { LockPanel } from './LockPanel';
import { IconDownload, IconPlayerPlay } from '@tabler/icons-react';
import { BackgroundPanel } from '../release/BackgroundPanel';
import { UpdatesPanel } from '../release/UpdatesPanel';

interface Props {
  tab: string;
  onTab: (tab: string) => void;
}

export function SettingsPage({ tab, onTab }: Props) {
  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">Settings</Title>
        <Text c="dimmed">Your practice, its look, and keeping its data safe.</Text>
      </div>
      <Tabs value={tab} onChange={(t) => t && onTab(t)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="brand" leftSection={<IconBrush size={16} />}>Practice &amp; brand</Tabs.Tab>
          <Tabs.Tab value="calendar" leftSection={<IconCalendar size={16} />}>Calendar</Tabs.Tab>
          <Tabs.Tab value="mailbox" leftSection={<IconMail size={16} />}>Mailbox</Tabs.Tab>
          <Tabs.Tab value="hosting" leftSection={<IconCloudUpload size={16} />}>Media hosting</Tabs.Tab>
          <Tabs.Tab value="consent-wording" leftSection={<IconFileText size={16} />}>Consent wording</Tabs.Tab>
          <Tabs.Tab value="lock" leftSection={<IconLock size={16} />}>Lock</Tabs.Tab>
          <Tabs.Tab value="backup" leftSection={<IconDatabase size={16} />}>Backup</Tabs.Tab>
          <Tabs.Tab value="activity" leftSection={<IconListCheck size={16} />}>Activity</Tabs.Tab>
          <Tabs.Tab value="background" leftSection={<IconPlayerPlay size={16} />}>Running in the background</Tabs.Tab>
          <Tabs.Tab value="updates" leftSection={<IconDownload size={16} />}>Updates &amp; about</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="brand"><BrandKitForm /></Tabs.Panel>
        <Tabs.Panel value="calendar"><ZoneSettings /></Tabs.Panel>
        <Tabs.Panel value="mailbox"><MailboxSettings /></Tabs.Panel>
        <Tabs.Panel value="hosting"><HostingPanel /></Tabs.Panel>
        <Tabs.Panel value="consent-wording"><ConsentWordingPanel /></Tabs.Panel>
        <Tabs.Panel value="lock"><LockPanel /></Tabs.Panel>
        <Tabs.Panel value="backup"><BackupPanel /></Tabs.Panel>
        <Tabs.Panel value="activity"><ActivityPanel /></Tabs.Panel>
        <Tabs.Panel value="background"><BackgroundPanel /></Tabs.Panel>
        <Tabs.Panel value="updates"><UpdatesPanel /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
