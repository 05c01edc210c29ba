import { useEffect, useState } from 'react';
import {
  Alert, Button, Code, Group, List, Loader, PasswordInput, Radio, SegmentedControl, Stack, Text, TextInput,
} from '@mantine/core';
import {
  cancelSignIn, chooseGoogleLocation, connectGoogle, connectInstagram, connectLinkedIn, connectLinkedInToken, connectX, signInOptions,
} from '../../api/channels';
import type { GoogleSignIn, SignInOptions } from '../../api/channels';
import { useAction } from '../../useAction';
import { toAppError } from '../../api/errors';
import { useConnect } from './useConnect';


function useSignInOptions(): SignInOptions | null {
  const [opts, setOpts] = useState<SignInOptions | null>(null);
  useEffect(() => {
    signInOptions().then(setOpts).catch(() => setOpts({ x: false, google: false, linkedin: false, mediaHosting: false }));
  }, []);
  return opts;
}

/** Shown while the system browser has a sign-in page open. */
function Waiting({ provider, testId }: { provider: string; testId: string }) {
  return (
    <Alert color="blue" variant="light" icon={<Loader size={16} />} title="Waiting for you in the browser" data-testid={testId}>
      Your web browser has opened {provider}’s sign-in page. Sign in there and allow PracticePost; this window carries on by itself.
      <Group mt="sm"><Button size="xs" variant="default" onClick={() => cancelSignIn()}>Cancel</Button></Group>
    </Alert>
  );
}

export function InstagramForm({ initial, onDone }: { initial: string; onDone: () => void }) {
  const opts = useSignInOptions();
  const [pageId, setPageId] = useState(initial);
  const [token, setToken] = useState('');
  const { error, busy, run, at } = useConnect(onDone);
  const go = () => run(async () => {
    await connectInstagram(pageId, token);
  });
  return (
    <Stack>
      <Alert color="blue" variant="light" title="Instagram posts through the Facebook Page it is linked to" data-testid="instagram-guide">
        <List size="sm" type="ordered" spacing={4}>
          <List.Item>In the Instagram app, make sure the account is a <b>professional</b> (business or creator) account and is linked to the practice’s Facebook Page (Settings → Account type and tools).</List.Item>
          <List.Item>On <Code>developers.facebook.com</Code>, in the same app you use for Facebook, open <b>Graph API Explorer</b> and add the permissions <Code>instagram_basic</Code>, <Code>instagram_content_publish</Code>, <Code>pages_show_list</Code>, <Code>pages_read_engagement</Code> and <Code>pages_manage_posts</Code> (to post; the last one lets images go through the Page, no bucket needed); <Code>instagram_manage_comments</Code> (to read and answer comments in the Inbox); and <Code>instagram_manage_insights</Code> (for reach and views in Insights).</List.Item>
          <List.Item>Generate the token, choose your Page under <b>User or Page</b>, and copy the Page token. Extend the user token first in the Access Token Tool for a token that does not run out.</List.Item>
          <List.Item>Paste the Page ID and the token below. PracticePost checks the token with Facebook and finds the Instagram account linked to the Page.</List.Item>
        </List>
        <Text size="xs" mt="xs">Meta only hands out long-lasting tokens to apps that keep a secret on a server; PracticePost runs on this computer only, so you make the token yourself.</Text>
      </Alert>
      <Alert color="teal" variant="light" data-testid="instagram-page-route-note">
        No storage bucket needed: with <Code>pages_manage_posts</Code> and <Code>pages_read_engagement</Code> on the token, PracticePost passes each
        image to Instagram through your Facebook Page, as an unpublished photo (never shown on the Page) that it deletes as soon as Instagram has it.
        {opts?.mediaHosting ? ' The storage bucket in Settings → Media hosting stays available as the other way.' : ''}
      </Alert>
      <TextInput label="Facebook Page ID" placeholder="100200300400500" value={pageId} onChange={(e) => setPageId(e.currentTarget.value)} error={at('pageId')} data-testid="instagram-page" />
      <PasswordInput label="Page access token" value={token} onChange={(e) => setToken(e.currentTarget.value)} error={at('token')} data-testid="instagram-token" />
      {error && !error.field && <Alert color="red" data-testid="instagram-error">{error.message}</Alert>}
      <Group justify="flex-end"><Button onClick={go} loading={busy} data-testid="instagram-connect">Check and connect</Button></Group>
    </Stack>
  );
}

export function LinkedInForm({ initial, onDone }: { initial: string; onDone: () => void }) {
  const opts = useSignInOptions();
  const [org, setOrg] = useState(initial);
  const [token, setToken] = useState('');
  const [mode, setMode] = useState<'browser' | 'token'>('token');
  const { error, busy, run, at } = useConnect(onDone);
  useEffect(() => {
    if (opts?.linkedin) setMode('browser');
  }, [opts]);
  const go = () => run(async () => {
    if (mode === 'browser') await connectLinkedIn(org);
    else await connectLinkedInToken(org, token);
  });
  return (
    <Stack>
      <TextInput label="Your LinkedIn page" description="Open the page as an admin and paste its address, for example linkedin.com/company/12345678/admin"
        placeholder="https://www.linkedin.com/company/12345678/admin/" value={org} onChange={(e) => setOrg(e.currentTarget.value)}
        error={at('organization')} data-testid="linkedin-org" disabled={busy && mode === 'browser'} />
      {opts?.linkedin && (
        <SegmentedControl value={mode} onChange={(v) => setMode(v as 'browser' | 'token')}
          data={[{ value: 'browser', label: 'Sign in in the browser' }, { value: 'token', label: 'Paste a token' }]} />
      )}
      {mode === 'token' ? (
        <>
          <Alert color="blue" variant="light" title="How to get a LinkedIn access token" data-testid="linkedin-guide">
            <List size="sm" type="ordered" spacing={4}>
              <List.Item>On <Code>developer.linkedin.com</Code>, create an app linked to your LinkedIn page and request the <b>Community Management API</b>.</List.Item>
              <List.Item>Open <b>Docs and tools → OAuth token tools → Create token</b>, pick the app and tick <Code>w_organization_social</Code> and <Code>r_organization_social</Code>.</List.Item>
              <List.Item>Sign in as an admin of the page and copy the access token.</List.Item>
            </List>
            <Text size="xs" mt="xs">LinkedIn tokens last 60 days and LinkedIn does not renew them for most apps. PracticePost reminds you a week before, on this screen and on Home.</Text>
          </Alert>
          <PasswordInput label="Access token" value={token} onChange={(e) => setToken(e.currentTarget.value)} error={at('token')} data-testid="linkedin-token" />
        </>
      ) : busy ? <Waiting provider="LinkedIn" testId="linkedin-waiting" /> : (
        <Text size="sm" c="dimmed">Your web browser opens LinkedIn’s sign-in page. Sign in as an admin of the page. The sign-in lasts 60 days; PracticePost reminds you before it runs out.</Text>
      )}
      {error && !error.field && <Alert color="red" data-testid="linkedin-error">{error.message}</Alert>}
      {!(busy && mode === 'browser') && (
        <Group justify="flex-end">
          <Button onClick={go} loading={busy} data-testid={mode === 'browser' ? 'linkedin-signin' : 'linkedin-connect'}>
            {mode === 'browser' ? 'Sign in to LinkedIn' : 'Check and connect'}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function GoogleForm({ onDone }: { onDone: () => void }) {
  const opts = useSignInOptions();
  const [waiting, setWaiting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [signIn, setSignIn] = useState<GoogleSignIn | null>(null);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState('');
  const start = async () => {
    setError('');
    setWaiting(true);
    try {
      const r = await connectGoogle();
      if (r.channel) {
        onDone();
        return;
      }
      setSignIn(r);
      setChoice(r.locations[0]?.locationId ?? '');
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setWaiting(false);
    }
  };
  const choose = async () => {
    if (!signIn) return;
    setError('');
    setBusy(true);
    try {
      await chooseGoogleLocation(signIn.pending, choice);
      onDone();
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };
  if (opts && !opts.google) {
    return <Alert color="orange">This copy of PracticePost cannot sign in to Google. Install the official PracticePost release.</Alert>;
  }
  return (
    <Stack>
      {!signIn && (
        <Text size="sm">
          Sign in with the Google account that manages the practice on Google Maps. PracticePost asks only to manage your Business Profile
          and stays signed in, renewing the sign-in by itself.
        </Text>
      )}
      {opts && !opts.mediaHosting && !signIn && (
        <Alert color="orange" variant="light" data-testid="no-bucket-note">
          Google downloads photos from the internet. Without a storage bucket (Settings → Media hosting) Google posts go out as text only.
        </Alert>
      )}
      {signIn && (
        <Radio.Group label="Which location should PracticePost post to?" value={choice} onChange={setChoice} data-testid="google-locations">
          <Stack gap="xs" mt="xs">
            {signIn.locations.map((l) => (
              <Radio key={l.locationId} value={l.locationId} data-testid={`google-location-${l.locationId}`}
                label={<><Text size="sm" fw={600} span>{l.title}</Text><Text size="xs" c="dimmed">{[l.address, l.accountName].filter(Boolean).join(' · ')}</Text></>} />
            ))}
          </Stack>
        </Radio.Group>
      )}
      {waiting && <Waiting provider="Google" testId="google-waiting" />}
      {error && <Alert color="red" data-testid="google-error">{error}</Alert>}
      <Group justify="flex-end">
        {signIn ? (
          <Button onClick={choose} loading={busy} disabled={!choice} data-testid="google-choose">Connect this location</Button>
        ) : !waiting && (
          <Button onClick={start} data-testid="google-signin">Sign in with Google</Button>
        )}
      </Group>
    </Stack>
  );
}

export function XForm({ onDone }: { onDone: () => void }) {
  const opts = useSignInOptions();
  const { busy: waiting, error, run } = useAction();
  const start = () =>
    run(async () => {
      await connectX();
      onDone();
    });
  if (opts && !opts.x) {
    return <Alert color="orange">This copy of PracticePost cannot sign in to X. Install the official PracticePost release.</Alert>;
  }
  return (
    <Stack>
      <Text size="sm">
        Sign in to the practice’s X account in your web browser. PracticePost renews the sign-in by itself. Note that X charges per post,
        and a post containing a link costs about thirteen times more than one without.
      </Text>
      {waiting && <Waiting provider="X" testId="x-waiting" />}
      {error && <Alert color="red" data-testid="x-error">{error}</Alert>}
      {!waiting && <Group justify="flex-end"><Button onClick={start} data-testid="x-signin">Sign in to X</Button></Group>}
    </Stack>
  );
}
