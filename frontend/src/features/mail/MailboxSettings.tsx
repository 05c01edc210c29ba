import { useEffect, useState } from 'react';
import {
  Alert, Anchor, Button, Card, Checkbox, Group, Loader, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconInfoCircle, IconPlugConnected, IconAlertTriangle } from '@tabler/icons-react';
import { lookup } from '../../api/lookup';
import { toAppError, type AppError } from '../../api/errors';
import {
  lookBack, mailSettings, saveMailSettings, signInMailbox, signInOptions, testMailbox, removeMailbox, type MailSignInOption,
  type MailServer, type MailSettings, type MailSettingsView, type Security, type TestResult,
} from '../../api/mail';
import { MailStatusLine } from './MailStatusLine';
import { MissingSignInsNotice, useMissingSignIns } from '../release/MissingSignIns';

const securityOptions = [
  { value: 'tls', label: 'TLS (SSL)' },
  { value: 'starttls', label: 'STARTTLS' },
  { value: 'none', label: 'None (local only)' },
];

const usualPort: Record<'imap' | 'smtp', Record<Security, number>> = {
  imap: { tls: 993, starttls: 143, none: 143 },
  smtp: { tls: 465, starttls: 587, none: 25 },
};

/** Settings → Mailbox: where requests go out from and replies come back to. */
export function MailboxSettings() {
  const [view, setView] = useState<MailSettingsView | null>(null);
  const [st, setSt] = useState<MailSettings | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [test, setTest] = useState<TestResult | null>(null);
  const [busy, setBusy] = useState<'' | 'test' | 'save' | 'remove'>('');
  const [loadError, setLoadError] = useState('');

  useEffect(() => {
    mailSettings()
      .then((v) => {
        setView(v);
        setSt(v.settings);
      })
      .catch((e) => setLoadError(toAppError(e).message));
  }, []);

  if (loadError) return <Alert color="red" title="The mailbox settings could not be opened">{loadError}</Alert>;
  if (!st || !view) return <Loader />;

  // A failed test or save points at one field; its message shows under it.
  const fieldError = (f: string) => {
    if (error?.field === f) return error.message;
    if (test && !test.ok && test.field === f) return test.message;
    return undefined;
  };
  const set = (patch: Partial<MailSettings>) => {
    setSt({ ...st, ...patch });
    setTest(null);
    setError(null);
  };
  const setServer = (proto: 'imap' | 'smtp', patch: Partial<MailServer>) => {
    const cur = st[proto];
    const next = { ...cur, ...patch };
    // Switching security moves a port that was the usual one along with it.
    if (patch.security && cur.port === lookup(usualPort[proto], cur.security)) next.port = lookup(usualPort[proto], patch.security) ?? next.port;
    set({ [proto]: next } as Partial<MailSettings>);
  };

  const runTest = async () => {
    setBusy('test');
    setError(null);
    setTest(null);
    try {
      setTest(await testMailbox({ settings: st, password }));
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy('');
    }
  };

  const save = async () => {
    setBusy('save');
    setError(null);
    try {
      const v = await saveMailSettings({ settings: st, password });
      setView(v);
      setSt(v.settings);
      setPassword('');
      notifications.show({ color: 'teal', message: 'Mailbox saved. PracticePost now watches it for replies.' });
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy('');
    }
  };

  const remove = async () => {
    setBusy('remove');
    try {
      const v = await removeMailbox();
      setView(v);
      setSt(v.settings);
      setTest(null);
      notifications.show({ message: 'The mailbox was removed and its password deleted from this computer.' });
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy('');
    }
  };

  const server = (proto: 'imap' | 'smtp', title: string, hint: string) => {
    const L = proto.toUpperCase();
    return (
      <Card withBorder padding="md">
        <Text fw={600}>{title}</Text>
        <Text size="xs" c="dimmed" mb="sm">{hint}</Text>
        <Stack gap="sm">
          <TextInput label={`${L} server`} placeholder={`${proto}.example.com`} value={st[proto].host}
            onChange={(e) => setServer(proto, { host: e.currentTarget.value })} error={fieldError(`${proto}.host`)} />
          <SimpleGrid cols={2}>
            <Select label={`${L} security`} data={securityOptions} value={st[proto].security} allowDeselect={false}
              onChange={(v) => v && setServer(proto, { security: v as Security })} error={fieldError(`${proto}.security`)} />
            <NumberInput label={`${L} port`} value={st[proto].port} min={1} max={65535} hideControls
              onChange={(v) => setServer(proto, { port: Number(v) || 0 })} error={fieldError(`${proto}.port`)} />
          </SimpleGrid>
        </Stack>
      </Card>
    );
  };

  const generalError = error && !error.field ? error.message : test && !test.ok && !test.field ? test.message : '';

  return (
    <Stack gap="md" maw={860}>
      <div>
        <Title order={2} size="h3">Practice mailbox</Title>
        <Text size="sm" c="dimmed">
          Consent and testimonial requests are sent from this mailbox, and PracticePost watches it for the patients&apos; replies
          while it is open. The password is kept in this computer&apos;s password store (keychain), never in the data file or backups.
        </Text>
      </div>
      {view.notice && <Alert color="orange" variant="light" icon={<IconAlertTriangle />} data-testid="mailbox-notice">{view.notice}</Alert>}
      {view.configured && <MailStatusLine />}
      <SignInCard view={view} onSignedIn={(v) => { setView(v); setSt(v.settings); setTest(null); setError(null); }} />
      {st.signIn ? (
        <Alert variant="light" color="teal" icon={<IconCircleCheck />} data-testid="signed-in-note">
          PracticePost signs in to this mailbox with {st.signIn === 'microsoft' ? 'Microsoft' : 'Google'}
          {view.signedIn ? '' : ' (the sign-in is missing on this computer: sign in again above)'}. No password is needed.{' '}
          <Anchor component="button" type="button" size="sm" onClick={() => set({ signIn: '' })}>Use a password instead</Anchor>
        </Alert>
      ) : (
        <Alert variant="light" color="blue" icon={<IconInfoCircle />}>
          Other providers take the mailbox password here. Gmail and Google Workspace can also take an <b>app password</b>,
          created in your Google account&apos;s security settings.
        </Alert>
      )}
      <Card withBorder padding="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Practice email address" description="Patients see it and reply to it" placeholder="hello@yourpractice.co.uk"
            value={st.fromAddress} onChange={(e) => set({ fromAddress: e.currentTarget.value })} error={fieldError('fromAddress')} />
          <TextInput label="Sender name" description="Shown as who the email is from" value={st.fromName}
            onChange={(e) => set({ fromName: e.currentTarget.value })} error={fieldError('fromName')} />
          <TextInput label="User name" description="Usually the full email address" value={st.username}
            onChange={(e) => set({ username: e.currentTarget.value })} error={fieldError('username')} />
          {!st.signIn && <PasswordInput label="Password" description={view.passwordSaved ? 'Saved on this computer. Type a new one to replace it.' : 'The mailbox or app password'}
            placeholder={view.passwordSaved ? '••••••••  (saved)' : ''} value={password}
            onChange={(e) => { setPassword(e.currentTarget.value); setTest(null); setError(null); }} error={fieldError('password')} />}
        </SimpleGrid>
      </Card>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {server('imap', 'Incoming mail (IMAP)', 'Where replies arrive. Usually port 993 with TLS.')}
        {server('smtp', 'Outgoing mail (SMTP)', 'How requests are sent. Usually port 465 with TLS or 587 with STARTTLS.')}
      </SimpleGrid>
      <Card withBorder padding="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Folder to watch" placeholder="INBOX" value={st.mailbox}
            onChange={(e) => set({ mailbox: e.currentTarget.value })} error={fieldError('mailbox')} />
          <Checkbox mt={28} label="Move replies PracticePost has read into “PracticePost/Processed”" checked={st.moveProcessed}
            onChange={(e) => set({ moveProcessed: e.currentTarget.checked })} />
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt="xs">Emails are never deleted. Other mail in the folder is not read.</Text>
        <TextInput mt="sm" label="Sender checks come from (advanced)" data-testid="authserv-id"
          description="The name your mail provider writes in its Authentication-Results header. Leave empty: PracticePost knows Gmail and Microsoft 365, and otherwise uses the incoming server's name."
          placeholder="mx.google.com" value={st.authServId ?? ''} onChange={(e) => set({ authServId: e.currentTarget.value })}
          error={fieldError('authServId')} maw={520} />
      </Card>
      {view.configured && <LookBack />}
      {test?.ok && (
        <Alert color="teal" icon={<IconCircleCheck />} title="The mailbox works" data-testid="mail-test-result">{test.message}</Alert>
      )}
      {test && !test.ok && (
        <Alert color="red" icon={<IconAlertTriangle />} title="The connection test failed" data-testid="mail-test-result">{test.message}</Alert>
      )}
      {generalError && !test && <Alert color="red" icon={<IconAlertTriangle />}>{generalError}</Alert>}
      <Group>
        <Button variant="default" leftSection={<IconPlugConnected size={18} />} onClick={runTest} loading={busy === 'test'}>Test connection</Button>
        <Button onClick={save} loading={busy === 'save'}>Save mailbox</Button>
        {view.configured && (
          <Button variant="subtle" color="red" onClick={remove} loading={busy === 'remove'}>Remove mailbox</Button>
        )}
      </Group>
    </Stack>
  );
}

/**
 * Replies that arrived before the mailbox was connected are not read unless
 * the practice asks: this reads the mailbox again from N days back.
 */
function LookBack() {
  const [days, setDays] = useState<number | string>(30);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async () => {
    setBusy(true);
    setMsg(null);
    try {
      await lookBack(Number(days));
      setMsg({ ok: true, text: `Looking for replies from the last ${days} days. Any found appear under Email replies.` });
    } catch (e) {
      setMsg({ ok: false, text: toAppError(e).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="md" data-testid="look-back">
      <Text fw={600} size="sm">Older replies</Text>
      <Text size="sm" c="dimmed">PracticePost reads mail that arrived after the mailbox was connected. To pick up replies from before that, look back:</Text>
      <Group mt="xs" align="flex-end">
        <NumberInput label="Days" min={1} max={365} value={days} onChange={setDays} w={120} />
        <Button variant="default" onClick={run} loading={busy}>Look back</Button>
      </Group>
      {msg && <Text size="sm" mt="xs" c={msg.ok ? 'teal.8' : 'red.9'}>{msg.text}</Text>}
    </Card>
  );
}

/**
 * Sign in with Microsoft 365 / Outlook.com or Google in the system browser.
 * Says plainly which providers sign in this way and which take a password,
 * and what this copy of PracticePost lacks.
 */
function SignInCard({ view, onSignedIn }: { view: MailSettingsView; onSignedIn: (v: MailSettingsView) => void }) {
  const [options, setOptions] = useState<MailSignInOption[]>([]);
  const [address, setAddress] = useState(view.settings.fromAddress);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const missing = useMissingSignIns('Mailbox');
  useEffect(() => {
    signInOptions().then((o) => setOptions(o ?? [])).catch(() => setOptions([]));
  }, []);
  if (options.length === 0) return null;
  const run = async (provider: string) => {
    setBusy(provider);
    setError(null);
    try {
      const v = await signInMailbox(provider, address);
      notifications.show({ color: 'teal', message: 'Signed in. PracticePost is watching the mailbox for replies.' });
      onSignedIn(v);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy('');
    }
  };
  return (
    <Card withBorder padding="md" data-testid="mail-signin">
      <Text fw={600}>Sign in with your email provider</Text>
      <Text size="sm" c="dimmed" mb="sm">
        Your browser opens the provider&apos;s own sign-in page; PracticePost never sees your password and keeps only a sign-in
        token in this computer&apos;s keychain.
      </Text>
      {missing.length > 0 && <div style={{ marginBottom: 'var(--mantine-spacing-sm)' }}><MissingSignInsNotice missing={missing} testId="mailbox-missing-signins" /></div>}
      <TextInput label="Address to sign in as" value={address} onChange={(e) => setAddress(e.currentTarget.value)} maw={420}
        error={error?.field === 'fromAddress' ? error.message : undefined} />
      <Stack gap="xs" mt="sm">
        {options.map((o) => (
          <Group key={o.provider} gap="sm" wrap="nowrap" align="flex-start">
            <Button variant={o.available ? 'light' : 'default'} disabled={!o.available} loading={busy === o.provider}
              onClick={() => run(o.provider)} style={{ flexShrink: 0 }} w={260}>
              {o.provider === 'microsoft' ? 'Sign in with Microsoft' : 'Sign in with Google'}
            </Button>
            <div>
              <Text size="sm" fw={500}>{o.label}</Text>
              <Text size="xs" c="dimmed">{!o.available && missing.some((m) => m.key === o.provider) ? 'Not in this copy of PracticePost (see above).' : o.note}</Text>
            </div>
          </Group>
        ))}
      </Stack>
      {error && error.field !== 'fromAddress' && <Alert color="red" variant="light" mt="sm">{error.message}</Alert>}
    </Card>
  );
}
