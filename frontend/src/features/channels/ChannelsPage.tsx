import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert, Anchor, Badge, Box, Button, Card, Code, Group, List, Loader, Modal, PasswordInput, SimpleGrid, Stack, Text, TextInput, ThemeIcon, Title,
} from '@mantine/core';
import {
  IconAlertTriangle, IconBrandBluesky, IconBrandFacebook, IconBrandGoogle, IconBrandInstagram, IconBrandLinkedin, IconBrandMastodon, IconBrandX,
  IconCircleCheck, IconClockHour4, IconExternalLink, IconPlugConnected, IconSend, IconTrash,
} from '@tabler/icons-react';
import { GoogleForm, InstagramForm, LinkedInForm, XForm } from './ConnectForms';
import {
  ChannelEvents, cancelSignIn, connectBluesky, connectFacebook, connectMastodon, deleteTestPost, disconnectChannel, listChannels, sendTestPost,
} from '../../api/channels';
import { onEvent } from '../../api/system';
import { useAction } from '../../useAction';
import { toAppError } from '../../api/errors';
import { useConnect } from './useConnect';
import { MetaSketches } from './MetaSketches';
import { ImageRoute } from './ImageRoute';
import { MissingSignInsNotice, useMissingSignIns } from '../release/MissingSignIns';
import type { ChannelView } from '../../api/types';

type Platform = ChannelView['platform'];

const platforms: { key: Platform; label: string; icon: typeof IconBrandMastodon; color: string; blurb: string }[] = [
  { key: 'facebook', label: 'Facebook Page', icon: IconBrandFacebook, color: 'blue', blurb: 'Post to the practice’s Page with a Page access token.' },
  { key: 'mastodon', label: 'Mastodon', icon: IconBrandMastodon, color: 'violet', blurb: 'Any Mastodon server: sign in through your web browser.' },
  { key: 'bluesky', label: 'Bluesky', icon: IconBrandBluesky, color: 'cyan', blurb: 'Your handle and an app password from Bluesky’s settings.' },
  { key: 'instagram', label: 'Instagram', icon: IconBrandInstagram, color: 'pink', blurb: 'A professional account, through the Facebook Page it is linked to.' },
  { key: 'linkedin', label: 'LinkedIn page', icon: IconBrandLinkedin, color: 'indigo', blurb: 'The practice’s organisation page. Reconnect every 60 days.' },
  { key: 'google', label: 'Google Business Profile', icon: IconBrandGoogle, color: 'green', blurb: 'Updates, events and offers on Google Maps and Search.' },
  { key: 'x', label: 'X', icon: IconBrandX, color: 'dark', blurb: 'Sign in to the practice’s X account in the browser.' },
];

const iconOf = (p: string) => platforms.find((x) => x.key === p) ?? platforms[0];

function StateBadge({ c }: { c: ChannelView }) {
  switch (c.state) {
    case 'connected':
      return <Badge color="teal" leftSection={<IconCircleCheck size={12} />}>{c.daysLeft >= 0 ? `Expires in ${c.daysLeft} days` : 'Connected'}</Badge>;
    case 'expiring_soon':
      return <Badge color="orange" leftSection={<IconClockHour4 size={12} />}>{c.daysLeft <= 0 ? 'Expires today' : `Expires in ${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'}`}</Badge>;
    case 'needs_reconnect':
      return <Badge color="red" leftSection={<IconAlertTriangle size={12} />}>Needs reconnecting</Badge>;
    default:
      return <Badge color="gray">Unavailable</Badge>;
  }
}

function ChannelCard({ c, onReconnect }: { c: ChannelView; onReconnect: (c: ChannelView) => void }) {
  const p = iconOf(c.platform);
  const [busy, setBusy] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string; url?: string } | null>(null);
  const run = async (what: string, fn: () => Promise<unknown>) => {
    setBusy(what);
    setResult(null);
    try {
      await fn();
    } catch (e) {
      setResult({ ok: false, text: toAppError(e).message });
    } finally {
      setBusy('');
    }
  };
  return (
    <Card withBorder radius="md" padding="md" data-testid={`channel-${c.platform}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <ThemeIcon size={40} radius="md" variant="light" color={p.color}><p.icon size={24} /></ThemeIcon>
          <div style={{ minWidth: 0 }}>
            <Text fw={600} truncate>{c.name}</Text>
            <Text size="sm" c="dimmed" truncate>{c.title}{c.handle ? ` · ${c.handle}` : ''}</Text>
          </div>
        </Group>
        <div style={{ flexShrink: 0 }}><StateBadge c={c} /></div>
      </Group>
      <Text size="sm" mt="sm" c={c.state === 'needs_reconnect' ? 'red.8' : c.state === 'expiring_soon' ? 'orange.8' : 'dimmed'} data-testid="channel-message">
        {c.message}
      </Text>
      <ImageRoute c={c} />
      {result && (
        <Alert mt="sm" color={result.ok ? 'teal' : 'red'} variant="light" data-testid="channel-result">
          {result.text}{' '}
          {result.url && <Anchor href={result.url} target="_blank" size="sm">Open the post <IconExternalLink size={12} /></Anchor>}
        </Alert>
      )}
      <Group gap="xs" mt="md">
        {c.state === 'needs_reconnect' || c.state === 'expiring_soon' ? (
          <Button size="xs" leftSection={<IconPlugConnected size={14} />} onClick={() => onReconnect(c)}>Reconnect</Button>
        ) : null}
        <Button
          size="xs" variant="light" leftSection={<IconSend size={14} />} loading={busy === 'test'} disabled={c.state === 'needs_reconnect'}
          onClick={() => run('test', async () => {
            const r = await sendTestPost(c.id);
            setResult({ ok: true, text: r.message, url: r.url });
          })}
        >
          Send a test post
        </Button>
        {c.lastTestId && (
          <Button size="xs" variant="subtle" color="gray" loading={busy === 'untest'}
            onClick={() => run('untest', async () => { await deleteTestPost(c.id); setResult({ ok: true, text: 'The test post was deleted.' }); })}>
            Delete the test post
          </Button>
        )}
        <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} loading={busy === 'remove'}
          onClick={() => {
            if (window.confirm(`Disconnect ${c.name}? Posts already made stay on ${c.title}; posts waiting for it will not go out.`)) {
              run('remove', () => disconnectChannel(c.id));
            }
          }}>
          Disconnect
        </Button>
      </Group>
    </Card>
  );
}

function MastodonForm({ initial, onDone }: { initial: string; onDone: () => void }) {
  const [instance, setInstance] = useState(initial);
  const { busy: waiting, error, run } = useAction();
  const go = () =>
    run(async () => {
      await connectMastodon(instance);
      onDone();
    });
  return (
    <Stack>
      <TextInput label="Your Mastodon server" description="The address of the server your account is on, for example mastodon.social or @you@mastodon.social"
        placeholder="mastodon.social" value={instance} onChange={(e) => setInstance(e.currentTarget.value)} error={error || undefined}
        data-testid="mastodon-instance" autoFocus disabled={waiting} />
      {waiting ? (
        <Alert color="blue" variant="light" icon={<Loader size={16} />} title="Waiting for you in the browser" data-testid="mastodon-waiting">
          Your web browser has opened your server’s sign-in page. Sign in there and click <b>Authorize</b>; this window carries on by itself.
          <Group mt="sm"><Button size="xs" variant="default" onClick={() => cancelSignIn()}>Cancel</Button></Group>
        </Alert>
      ) : (
        <Group justify="flex-end"><Button onClick={go} disabled={!instance.trim()} data-testid="mastodon-connect">Connect in the browser</Button></Group>
      )}
    </Stack>
  );
}

function BlueskyForm({ initial, onDone }: { initial: string; onDone: () => void }) {
  const [handle, setHandle] = useState(initial);
  const [password, setPassword] = useState('');
  const [server, setServer] = useState('');
  const { error, busy, run, at } = useConnect(onDone);
  const go = () => run(async () => {
    await connectBluesky(handle, password, server);
  });
  return (
    <Stack>
      <TextInput label="Handle" placeholder="yourpractice.bsky.social" value={handle} onChange={(e) => setHandle(e.currentTarget.value)} error={at('handle')} data-testid="bluesky-handle" />
      <PasswordInput label="App password" description="In Bluesky: Settings → Privacy and security → App passwords → Add. Never your main password."
        placeholder="abcd-efgh-ijkl-mnop" value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={at('appPassword')} data-testid="bluesky-password" />
      <TextInput label="Server (leave empty for Bluesky’s own)" placeholder="https://bsky.social" value={server} onChange={(e) => setServer(e.currentTarget.value)} error={at('service')} data-testid="bluesky-server" />
      {error && !error.field && <Alert color="red" data-testid="bluesky-error">{error.message}</Alert>}
      <Text size="xs" c="dimmed">The app password is kept in this computer’s keychain, never in PracticePost’s data file.</Text>
      <Group justify="flex-end"><Button onClick={go} loading={busy} data-testid="bluesky-connect">Connect</Button></Group>
    </Stack>
  );
}

function FacebookForm({ initial, onDone }: { initial: string; onDone: () => void }) {
  const [pageId, setPageId] = useState(initial);
  const [token, setToken] = useState('');
  const [sketches, setSketches] = useState(false);
  const { error, busy, run, at } = useConnect(onDone);
  const go = () => run(async () => {
    await connectFacebook(pageId, token);
  });
  return (
    <Stack>
      <Alert color="blue" variant="light" title="How to get a Page access token (about 5 minutes)" data-testid="facebook-guide">
        <List size="sm" type="ordered" spacing={4}>
          <List.Item>Open <Code>developers.facebook.com</Code>, sign in as an admin of the Page, and create an app of type <b>Business</b> (any name, e.g. “Our practice posts”).</List.Item>
          <List.Item>Open <b>Tools → Graph API Explorer</b>, pick your app, and under <b>Permissions</b> add <Code>pages_manage_posts</Code>, <Code>pages_read_engagement</Code> and <Code>pages_show_list</Code> (to post); <Code>pages_manage_engagement</Code> and <Code>pages_read_user_content</Code> (to read and answer comments in the Inbox); and <Code>read_insights</Code> (for reach and views in Insights).</List.Item>
          <List.Item>Click <b>Generate Access Token</b>, approve, then in <b>User or Page</b> choose your Page. The token shown is the Page token.</List.Item>
          <List.Item>For a token that lasts: open the <b>Access Token Tool</b>, click <b>Extend</b> on the user token, then get the Page token again from it (Page tokens made from a long-lived user token do not expire).</List.Item>
          <List.Item>Your Page ID is under the Page’s <b>About → Page transparency</b>. Paste both below; PracticePost checks the token with Facebook before saving it.</List.Item>
        </List>
      </Alert>
      <Alert color="gray" variant="light" title="Or, from Meta Business Settings (no developer tools)" data-testid="facebook-system-user-guide">
        <List size="sm" type="ordered" spacing={4}>
          <List.Item>On <Code>business.facebook.com</Code>, open <b>Settings → Users → System users</b> and add one (for example “PracticePost”, role Admin).</List.Item>
          <List.Item>Click <b>Assign assets</b>, choose <b>Pages</b>, your Page, and <b>Full control</b>.</List.Item>
          <List.Item>Click <b>Generate new token</b>, choose the app your business uses, set the expiry to <b>Never</b>, and tick the same permissions as above.</List.Item>
          <List.Item>Paste that token below with the Page ID. PracticePost swaps it for the Page’s own token and keeps only that.</List.Item>
        </List>
        <Group justify="space-between" mt="xs" wrap="nowrap">
          <Text size="xs">Meta’s screens change from time to time; if a step looks different, look for the same words.</Text>
          <Button size="xs" variant="subtle" onClick={() => setSketches((v) => !v)} aria-expanded={sketches} data-testid="meta-sketches-toggle" style={{ flexShrink: 0 }}>
            {sketches ? 'Hide the pictures' : 'Show me each step'}
          </Button>
        </Group>
        {sketches && <Box mt="sm"><MetaSketches /></Box>}
      </Alert>
      <TextInput label="Page ID" placeholder="100200300400500" value={pageId} onChange={(e) => setPageId(e.currentTarget.value)} error={at('pageId')} data-testid="facebook-page" />
      <PasswordInput label="Access token (the Page’s, or a system user’s)" value={token} onChange={(e) => setToken(e.currentTarget.value)} error={at('token')} data-testid="facebook-token" />
      {error && !error.field && <Alert color="red" data-testid="facebook-error">{error.message}</Alert>}
      <Group justify="flex-end"><Button onClick={go} loading={busy} data-testid="facebook-connect">Check and connect</Button></Group>
    </Stack>
  );
}

export function ChannelsPage() {
  const [channels, setChannels] = useState<ChannelView[] | null>(null);
  const [error, setError] = useState('');
  const [connecting, setConnecting] = useState<{ platform: Platform; initial: string } | null>(null);
  const load = useCallback(() => {
    listChannels().then((cs) => { setChannels(cs ?? []); setError(''); }).catch((e) => setError(toAppError(e).message));
  }, []);
  useEffect(() => {
    load();
    return onEvent(ChannelEvents.changed, load);
  }, [load]);

  const reconnect = (c: ChannelView) =>
    setConnecting({
      platform: c.platform,
      initial: c.platform === 'mastodon' ? c.baseUrl : c.platform === 'facebook' || c.platform === 'linkedin' ? c.accountId
        : c.platform === 'instagram' ? c.pageId ?? '' : c.handle.replace(/^@/, ''),
    });
  const done = () => { setConnecting(null); load(); };
  // The dialog keeps its title while it closes, so it is never a dialog
  // without a name (screen readers announce the title).
  const lastShown = useRef<ReturnType<typeof iconOf> | null>(null);
  const current = connecting ? iconOf(connecting.platform) : lastShown.current;
  if (connecting) lastShown.current = current;
  const missing = useMissingSignIns('Channels');
  // X and Google connect only by signing in; LinkedIn also takes a token.
  const cannot = (p: Platform) => (p === 'x' || p === 'google' ? missing.find((m) => m.key === p) : undefined);

  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Channels</Title>
        <Text c="dimmed">The accounts PracticePost posts to. Sign-ins are kept in this computer’s keychain.</Text>
      </div>
      {error && <Alert color="red">{error}</Alert>}
      {channels === null ? <Loader /> : channels.length === 0 ? (
        <Text c="dimmed" data-testid="no-channels">No accounts connected yet. Connect one below.</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="channel-list">
          {channels.map((c) => <ChannelCard key={c.id} c={c} onReconnect={reconnect} />)}
        </SimpleGrid>
      )}
      <div>
        <Title order={4} mb="sm">Connect an account</Title>
        {missing.length > 0 && <div style={{ marginBottom: 'var(--mantine-spacing-sm)' }}><MissingSignInsNotice missing={missing} testId="channels-missing-signins" /></div>}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          {platforms.map((p) => (
            <Card key={p.key} withBorder radius="md" padding="md">
              <Group gap="sm" mb="xs">
                <ThemeIcon size={34} radius="md" variant="light" color={p.color}><p.icon size={20} /></ThemeIcon>
                <Text fw={600}>{p.label}</Text>
              </Group>
              <Text size="sm" c="dimmed" mb="md" style={{ minHeight: 40 }}>{p.blurb}</Text>
              <Button variant="light" color={p.color} fullWidth onClick={() => setConnecting({ platform: p.key, initial: '' })} data-testid={`connect-${p.key}`}
                disabled={!!cannot(p.key)}>
                Connect {p.label}
              </Button>
              {cannot(p.key) && <Text size="xs" c="dimmed" mt={6} data-testid={`connect-${p.key}-why`}>Not in this copy of PracticePost (see above).</Text>}
            </Card>
          ))}
        </SimpleGrid>
      </div>
      <Modal opened={connecting !== null} onClose={() => { cancelSignIn(); setConnecting(null); }} size="lg"
        title={current ? <Group gap="xs"><current.icon size={20} /><Text fw={600}>Connect {current.label}</Text></Group> : null}>
        {connecting?.platform === 'mastodon' && <MastodonForm initial={connecting.initial} onDone={done} />}
        {connecting?.platform === 'bluesky' && <BlueskyForm initial={connecting.initial} onDone={done} />}
        {connecting?.platform === 'facebook' && <FacebookForm initial={connecting.initial} onDone={done} />}
        {connecting?.platform === 'instagram' && <InstagramForm initial={connecting.initial} onDone={done} />}
        {connecting?.platform === 'linkedin' && <LinkedInForm initial={connecting.initial} onDone={done} />}
        {connecting?.platform === 'google' && <GoogleForm onDone={done} />}
        {connecting?.platform === 'x' && <XForm onDone={done} />}
      </Modal>
    </Stack>
  );
}
