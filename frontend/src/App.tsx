import { lazy, Suspense, useEffect, useState } from 'react';
import { AppShell, Avatar, Box, Group, Loader, NavLink, ScrollArea, Stack, Text, ThemeIcon, Title, Alert, Center, Code, VisuallyHidden } from '@mantine/core';
import { IconHome2, IconPalette, IconSettings, IconShieldCheck, IconAlertTriangle } from '@tabler/icons-react';
import { useMediaQuery } from '@mantine/hooks';
import { Toasts } from './Toasts';
import { useRoute } from './router';
import { IconUsers, IconSignature, IconQuote } from '@tabler/icons-react';
import { LockGate } from './features/lock/LockGate';
import { afterUnlock } from './features/lock/afterUnlock';
import { RecoveryUnlockScreen } from './features/recovery/RecoveryUnlockScreen';
import { HomePage } from './features/home/HomePage';
import { Badge } from '@mantine/core';
import { IconMailbox } from '@tabler/icons-react';
import { useMailStatus } from './features/mail/useMailStatus';
import { IconCalendar, IconPencil } from '@tabler/icons-react';
import { BackgroundNote } from './features/publish/BackgroundNote';
import { IconPlugConnected } from '@tabler/icons-react';
import { IconInbox } from '@tabler/icons-react';
import { IconChartBar } from '@tabler/icons-react';
import { getBrand } from './api/brand';
import { setPracticeCountry } from './format';
import { shortWindow } from './theme';
import { Events, onEvent, signalFirstScreen, systemInfo } from './api/system';
import type { BrandView, SystemInfo } from './api/types';

// Pages load on first visit, so the first screen shows without parsing
// the calendar, studio and signing code.
const PatientsPage = lazy(() => import('./features/patients/PatientsPage').then((m) => ({ default: m.PatientsPage })));
const PatientPage = lazy(() => import('./features/patients/PatientPage').then((m) => ({ default: m.PatientPage })));
const ConsentRequestPage = lazy(() => import('./features/consent/ConsentRequestPage').then((m) => ({ default: m.ConsentRequestPage })));
const ConsentsPage = lazy(() => import('./features/consent/ConsentsPage').then((m) => ({ default: m.ConsentsPage })));
const ConsentDetailPage = lazy(() => import('./features/consent/ConsentDetailPage').then((m) => ({ default: m.ConsentDetailPage })));
const TestimonialsPage = lazy(() => import('./features/testimonials/TestimonialsPage').then((m) => ({ default: m.TestimonialsPage })));
const SettingsPage = lazy(() => import('./features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const StudioPage = lazy(() => import('./features/studio/StudioPage').then((m) => ({ default: m.StudioPage })));
const RepliesPage = lazy(() => import('./features/mail/RepliesPage').then((m) => ({ default: m.RepliesPage })));
const DraftsPage = lazy(() => import('./features/drafts/DraftsPage').then((m) => ({ default: m.DraftsPage })));
const CalendarPage = lazy(() => import('./features/calendar/CalendarPage').then((m) => ({ default: m.CalendarPage })));
const ChannelsPage = lazy(() => import('./features/channels/ChannelsPage').then((m) => ({ default: m.ChannelsPage })));
const InboxPage = lazy(() => import('./features/inbox/InboxPage').then((m) => ({ default: m.InboxPage })));
const InsightsPage = lazy(() => import('./features/insights/InsightsPage').then((m) => ({ default: m.InsightsPage })));
const PublishPage = lazy(() => import('./features/publish/PublishPage').then((m) => ({ default: m.PublishPage })));

// Only areas that work appear in the sidebar; later areas add themselves here.
const areas = [
  { key: 'home', label: 'Home', icon: IconHome2 },
  { key: 'patients', label: 'Patients', icon: IconUsers },
  { key: 'consents', label: 'Consents', icon: IconSignature },
  { key: 'testimonials', label: 'Testimonials', icon: IconQuote },
  { key: 'replies', label: 'Email replies', icon: IconMailbox },
  { key: 'studio', label: 'Studio', icon: IconPalette },
  { key: 'drafts', label: 'Posts', icon: IconPencil },
  { key: 'calendar', label: 'Calendar', icon: IconCalendar },
  { key: 'inbox', label: 'Inbox', icon: IconInbox },
  { key: 'insights', label: 'Insights', icon: IconChartBar },
  { key: 'channels', label: 'Channels', icon: IconPlugConnected },
  { key: 'settings', label: 'Settings', icon: IconSettings },
];

export function App() {
  const [route, go] = useRoute();
  const [info, setInfo] = useState<SystemInfo | null>(null);

  useEffect(() => {
    systemInfo().then(setInfo).catch(() => setInfo(null));
  }, []);
  // The recovery and error screens are the first screen when they show.
  useEffect(() => {
    if (info?.openError) signalFirstScreen();
  }, [info]);

  if (info?.openErrorCode === 'recovery') {
    return (
      <RecoveryUnlockScreen message={info.openError} dataDir={info.dataDir}
        onOpened={() => systemInfo().then(setInfo).catch(() => setInfo(null))} />
    );
  }

  if (info?.openError) {
    return (
      <Center component="main" h="100%" p="xl">
        <Stack maw={620}>
          <Title order={1} size="h2">PracticePost cannot open your data</Title>
          <Alert color="red" icon={<IconAlertTriangle />} title="What happened">
            {info.openError}
          </Alert>
          <Text size="sm" c="dimmed">
            Your data folder is <Code>{info.dataDir}</Code>. Nothing in it has been changed or deleted.
          </Text>
        </Stack>
      </Center>
    );
  }

  // The shell mounts only while unlocked: it (and everything it loads) is
  // gone from the page while the lock screen shows, and loads afresh after.
  return (
    <LockGate onUnlocked={(s) => afterUnlock(s, go, route)}>
      <Shell route={route} go={go} info={info} />
    </LockGate>
  );
}

/**
 * While a page's code or the brand kit loads: a spinner, and the page's one
 * h1 for a screen reader, so no moment of the page is without its heading.
 */
function PageLoading({ label }: { label: string }) {
  return (
    <Center h={240} data-testid="page-loading">
      <VisuallyHidden><Title order={1}>{label}: loading</Title></VisuallyHidden>
      <Loader size="sm" color="gray" />
    </Center>
  );
}

function Shell({ route, go, info }: { route: string[]; go: (to: string) => void; info: SystemInfo | null }) {
  const [brand, setBrand] = useState<BrandView | null>(null);
  // Pages wait for the brand kit's first answer, so their dates are in the
  // practice's format from the start.
  const [brandTried, setBrandTried] = useState(false);
  const mail = useMailStatus();
  // A short window: the sidebar drops its tagline and sets its links closer.
  const short = useMediaQuery(shortWindow);

  useEffect(() => {
    const load = () => getBrand().then((b) => {
      // Every date on every screen follows the practice's country.
      setPracticeCountry(b.kit.country);
      setBrand(b);
    }).catch(() => undefined).finally(() => setBrandTried(true));
    load();
    const offs = [onEvent(Events.brandChanged, load), onEvent(Events.dataReplaced, load)];
    return () => offs.forEach((off) => off());
  }, []);

  const area = route[0] ?? 'home';
  const areaLabel = areas.find((a) => a.key === area)?.label ?? 'PracticePost';
  const practiceName = brand?.kit.practiceName || 'Your practice';

  return (
    <AppShell navbar={{ width: { base: 200, lg: 240 }, breakpoint: 0 }} padding={{ base: 'md', lg: 'lg' }}>
      <AppShell.Navbar p="md">
        <AppShell.Section>
          <Group gap="xs" mb={short ? 'sm' : 'lg'} wrap="nowrap">
            <ThemeIcon size={34} radius="md" variant="filled">
              <IconShieldCheck size={20} />
            </ThemeIcon>
            <Box>
              <Text fw={700} size="lg" className="pp-nav-brand">PracticePost</Text>
              {!short && <Text size="xs" c="dimmed">Consent-safe social media</Text>}
            </Box>
          </Group>
        </AppShell.Section>
        {/* On a window shorter still than the app's smallest, the links
            scroll, and the practice name and "waiting to go out" stay put. */}
        <AppShell.Section grow component={ScrollArea} mx="-xs" px="xs">
          <Stack gap={short ? 2 : 4}>
            {areas.map((a) => (
              <NavLink
                key={a.key}
                // A real link: Tab reaches it and Enter follows it.
                href={'#/' + a.key}
                aria-current={area === a.key ? 'page' : undefined}
                label={a.label}
                leftSection={<a.icon size={18} stroke={1.7} />}
                active={area === a.key}
                rightSection={a.key === 'replies' && mail && mail.pending > 0 ? (
                  <Badge size="sm" circle color="orange" data-testid="replies-badge" aria-label={`${mail.pending} waiting for review`}>{mail.pending}</Badge>
                ) : undefined}
                variant="light"
                py={short ? 3 : undefined}
                styles={{ root: { borderRadius: 8 } }}
              />
            ))}
          </Stack>
        </AppShell.Section>
        {/* Toasts: in the sidebar, between its links and the practice's name (Toasts.tsx). */}
        <AppShell.Section>
          <Toasts />
        </AppShell.Section>
        <AppShell.Section>
          <BackgroundNote />
          <Group gap="sm" wrap="nowrap">
            {/* The practice's name is written beside the logo: alt="" so it is not read out twice. */}
            {brand?.logoUrl ? (
              <Avatar src={brand.logoUrl} alt="" radius="sm" size={36} styles={{ image: { objectFit: 'contain' } }} />
            ) : (
              <Avatar radius="sm" size={36} color="teal">{practiceName.slice(0, 1)}</Avatar>
            )}
            <Box style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} truncate data-testid="nav-practice-name">{practiceName}</Text>
              <Text size="xs" c="dimmed">Version {info?.version ?? '…'}</Text>
            </Box>
          </Group>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        {/* Keyed by country: a changed country redraws every date. */}
        <Box maw={1100} mx="auto" key={brand?.kit.country ?? ''}>
          <Suspense fallback={<PageLoading label={areaLabel} />}>
          {!brandTried ? (
            <PageLoading label={areaLabel} />
          ) : area === 'patients' && route[1] && route[2] === 'consent' ? (
            <ConsentRequestPage key={route[1]} patientId={Number(route[1])} go={go} />
          ) : area === 'patients' && route[1] ? (
            <PatientPage key={route[1]} id={Number(route[1])} go={go} />
          ) : area === 'patients' ? (
            <PatientsPage go={go} />
          ) : area === 'consents' && route[1] ? (
            <ConsentDetailPage key={route[1]} id={Number(route[1])} />
          ) : area === 'consents' ? (
            <ConsentsPage go={go} />
          ) : area === 'testimonials' ? (
            <TestimonialsPage go={go} />
          ) : area === 'replies' ? (
            <RepliesPage id={route[1] ? Number(route[1]) : null} go={go} />
          ) : area === 'studio' ? (
            <StudioPage tab={route[1] ?? 'design'} onTab={(t) => go('studio/' + t)}
              fromTestimonial={route[2] === 'testimonial' ? Number(route[3]) || 0 : 0} go={go} />
          ) : area === 'drafts' ? (
            <DraftsPage route={route} go={go} />
          ) : area === 'channels' ? (
            <ChannelsPage />
          ) : area === 'publish' && route[1] ? (
            <PublishPage key={route[1]} draftId={Number(route[1])} />
          ) : area === 'inbox' ? (
            <InboxPage />
          ) : area === 'insights' ? (
            <InsightsPage />
          ) : area === 'calendar' ? (
            <CalendarPage route={route} go={go} />
          ) : area === 'settings' ? (
            <SettingsPage tab={route[1] ?? 'brand'} onTab={(t) => go('settings/' + t)} />
          ) : (
            <HomePage brand={brand} go={go} />
          )}
          </Suspense>
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
