import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Box, Button, Center, Checkbox, Container, Group, Image, Loader, Paper, Select, SimpleGrid, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { IconAlertCircle, IconLock, IconSignature } from '@tabler/icons-react';
import { previewForm, signForm, signingView } from '../../api/consent';
import { toAppError, type AppError } from '../../api/errors';
import type { ChoiceView, LockStatus, PreviewView, SigningDraft, SigningView } from '../../api/types';
import { UnlockModal } from '../lock/UnlockModal';
import { inlineRuns, parseForm, type Block } from './formText';
import { SignatureField, type SignatureHandle } from './SignatureField';
import { ink, PatientHeader, soft, StaffUnlock, ThankYou } from './PatientScreen';

// The patient-facing screen. Written for someone of 75 holding a tablet:
// 20 px body text, near-black on white, one large unticked box per choice,
// and nothing else of the app reachable until staff unlock it.
const body = 20;
const kindWords: Record<string, string> = { photo: 'Photo', before_after: 'Before-and-after photo', video: 'Video', audio: 'Voice recording' };

interface Props {
  onUnlocked: (s: LockStatus) => void;
}

function Inline({ text }: { text: string }) {
  return (
    <>
      {inlineRuns(text).map((r, i) => (r.bold ? <b key={i}>{r.text}</b> : <Fragment key={i}>{r.text}</Fragment>))}
    </>
  );
}

type Group_ = { kind: 'checks'; items: { label: string }[] } | Block;

/** Consecutive tick boxes become one grid. */
function groupChecks(blocks: Block[]): Group_[] {
  const out: Group_[] = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (b.kind === 'check') {
      if (last && last.kind === 'checks') last.items.push({ label: b.label });
      else out.push({ kind: 'checks', items: [{ label: b.label }] });
    } else out.push(b);
  }
  return out;
}

export function SigningScreen({ onUnlocked }: Props) {
  const [view, setView] = useState<SigningView | null>(null);
  const [loadError, setLoadError] = useState('');
  const [identity, setIdentity] = useState<string[]>([]);
  const [channels, setChannels] = useState<string[]>([]);
  const [typedName, setTypedName] = useState('');
  const [representative, setRepresentative] = useState(false);
  const [relationship, setRelationship] = useState('');
  const [authority, setAuthority] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [unlockOpen, setUnlockOpen] = useState(false);
  const pad = useRef<SignatureHandle>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const padBox = useRef<HTMLDivElement>(null);

  useEffect(() => {
    signingView()
      .then((v) => {
        setView(v);
        setPreview(v.preview);
        setRepresentative(v.needsRepresentative);
      })
      .catch((e) => setLoadError(toAppError(e).message));
  }, []);

  const draft: SigningDraft = useMemo(
    () => ({ identity, channels, signerName: typedName, representative, relationship, authority: authority ?? '' }),
    [identity, channels, typedName, representative, relationship, authority],
  );

  // The text on screen is rendered by the backend from the choices, so the
  // patient signs exactly what they see.
  useEffect(() => {
    if (!view?.active || view.signed) return;
    const t = setTimeout(() => {
      previewForm(draft).then(setPreview).catch(() => undefined);
    }, 250);
    return () => clearTimeout(t);
  }, [draft, view]);

  const labelled = useMemo(() => {
    const m = new Map<string, { group: 'identity' | 'channels'; choice: ChoiceView }>();
    view?.identity?.forEach((c) => m.set(c.label, { group: 'identity', choice: c }));
    view?.channels?.forEach((c) => m.set(c.label, { group: 'channels', choice: c }));
    return m;
  }, [view]);

  const toggle = (group: 'identity' | 'channels', value: string, on: boolean) => {
    const set = group === 'identity' ? setIdentity : setChannels;
    set((xs) => (on ? [...xs.filter((x) => x !== value), value] : xs.filter((x) => x !== value)));
  };

  const showError = (e: AppError) => {
    setError(e);
    // The signature message sits inside the pad, so that is what comes into view.
    const target = () => (e.field === 'signature' ? padBox.current : errorRef.current);
    requestAnimationFrame(() => target()?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
  };

  const sign = async () => {
    setError(null);
    if (!typedName.trim()) return showError({ code: 'invalid', field: 'typedName', message: 'Please type your full name.' });
    if (!pad.current || pad.current.isEmpty()) {
      return showError({ code: 'invalid', field: 'signature', message: 'Please sign in the box with your finger, a pen or the mouse.' });
    }
    setBusy(true);
    try {
      const pv = await previewForm(draft);
      setPreview(pv);
      const cap = pad.current.capture();
      const v = await signForm(draft, { ...cap, typedName }, pv.sha256);
      setView(v);
      window.scrollTo({ top: 0 });
    } catch (e) {
      showError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const staff = <StaffUnlock onUnlocked={onUnlocked} />;

  if (!view) {
    return (
      <Center component="main" h="100vh" bg="white">
        {loadError ? (
          <Stack align="center">
            <Alert color="red" fz={body}>{loadError}</Alert>
            {staff}
          </Stack>
        ) : (
          <Loader />
        )}
      </Center>
    );
  }

  if (!view.active) {
    // Locked with no form waiting: it was left idle (or the form was
    // already dealt with). Nothing of the practice's data is on screen.
    return (
      <Box component="main" bg="white" mih="100vh" c={ink} data-testid="lock-screen">
        <Container size={640} pt={120}>
          <Stack align="center" gap="lg" ta="center">
            <ThemeIcon size={88} radius={44} color="gray" variant="light">
              <IconLock size={52} />
            </ThemeIcon>
            <Title order={1} fz={32} c={ink}>PracticePost is locked</Title>
            <Text fz={20} c={soft}>
              It locks itself when nobody has used it for a while, so patient records are never left open on the screen.
            </Text>
            <Button size="lg" leftSection={<IconLock size={20} />} onClick={() => setUnlockOpen(true)} data-testid="lock-screen-unlock">
              Unlock with the manager PIN
            </Button>
            <UnlockModal opened={unlockOpen} onClose={() => setUnlockOpen(false)} onUnlocked={onUnlocked} />
          </Stack>
        </Container>
      </Box>
    );
  }

  if (view.signed) {
    return (
      <ThankYou data-testid="signing-done" onUnlocked={onUnlocked}>
        Your choices and your signature have been saved. You will be given a copy of the signed form.
      </ThankYou>
    );
  }

  const blocks = groupChecks(parseForm(preview?.text ?? ''));
  const firstName = view.patientName.split(' ')[0];

  return (
    <Box component="main" bg="white" mih="100vh" c={ink} fz={body} style={{ lineHeight: 1.55 }} data-testid="signing-screen">
      <PatientHeader practiceName={view.practiceName} right={`Form for ${view.patientName}`} />
      <Container size={900} py="lg">
        <Paper bg="#eef6ff" p="lg" radius="md" mb="xl" style={{ border: '1px solid #bfdbfe' }}>
          <Text fz={22} fw={700} c={ink} mb={6}>Hello {firstName}. Please read this form.</Text>
          <Text fz={body} c={ink}>
            Tick a box only if you agree to it. You do not have to agree to anything, and saying no will not change your
            care in any way. When you are ready, type your name and sign at the bottom.
          </Text>
        </Paper>

        <Stack gap="md">
          {blocks.map((b, i) => {
            switch (b.kind) {
              case 'h1':
                return <Title key={i} order={1} fz={30} c={ink} lh={1.25}>{b.text}</Title>;
              case 'h2':
                return <Title key={i} order={2} fz={25} c={ink} mt="md" lh={1.3}>{b.text}</Title>;
              case 'quote':
                return (
                  <Box key={i} p="md" style={{ borderLeft: '6px solid #0b6e6e', background: '#f3f4f6', borderRadius: 8 }}>
                    <Text fz={22} fs="italic" c={ink} style={{ whiteSpace: 'pre-wrap' }}>“{b.text.trim()}”</Text>
                  </Box>
                );
              case 'item': {
                const m = /^(.*) \((\w+), fingerprint ([0-9a-f]+)\)$/.exec(b.text);
                const photo = m && view.media?.find((x) => x.sha256.startsWith(m[3]));
                if (m && photo && (photo.kind === 'video' || photo.kind === 'audio')) {
                  // The patient plays the clip itself before agreeing to it:
                  // native controls, large enough to hit on a 1024×768 tablet.
                  const video = photo.kind === 'video';
                  return (
                    <Stack key={i} gap={6} pl="md" data-testid="signing-av">
                      <div>
                        <Text fz={body} fw={600} c={ink}>{m[1]}</Text>
                        <Text fz={18} c={soft}>{kindWords[m[2]] ?? m[2]} · fingerprint {m[3]}</Text>
                      </div>
                      {video ? (
                        <Box component="video" src={photo.url} controls preload="metadata" aria-label={m[1]}
                          w="100%" maw={640} h={360} bg="#111827" style={{ borderRadius: 8, display: 'block' }} />
                      ) : (
                        <Box component="audio" src={photo.url} controls preload="metadata" aria-label={m[1]}
                          w="100%" maw={480} h={54} style={{ display: 'block' }} />
                      )}
                    </Stack>
                  );
                }
                if (m && photo) {
                  return (
                    <Group key={i} gap="md" wrap="nowrap" pl="md" align="center">
                      <Image src={photo.url} h={120} w={160} fit="contain" radius="sm" bg="#f3f4f6" alt={m[1]} style={{ border: '1px solid #d1d5db' }} />
                      <div>
                        <Text fz={body} fw={600} c={ink}>{m[1]}</Text>
                        <Text fz={18} c={soft}>{kindWords[m[2]] ?? m[2]} · fingerprint {m[3]}</Text>
                      </div>
                    </Group>
                  );
                }
                return <Text key={i} fz={body} c={ink} pl="md">• <Inline text={b.text} /></Text>;
              }
              case 'checks':
                return (
                  <SimpleGrid key={i} cols={{ base: 1, sm: 2 }} spacing="sm">
                    {b.items.map(({ label }) => {
                      const hit = labelled.get(label);
                      if (!hit) return <Text key={label}>{label}</Text>;
                      const list = hit.group === 'identity' ? identity : channels;
                      const on = list.includes(hit.choice.value);
                      return (
                        <Paper key={label} withBorder p="sm" radius="md"
                          style={{ borderColor: on ? '#0b6e6e' : '#9ca3af', borderWidth: 2, background: on ? '#e6f6f5' : '#fff' }}>
                          <Checkbox size="xl" checked={on} label={label} onChange={(e) => toggle(hit.group, hit.choice.value, e.currentTarget.checked)}
                            styles={{ label: { fontSize: body, color: ink, lineHeight: 1.35 }, body: { alignItems: 'center' } }} />
                        </Paper>
                      );
                    })}
                  </SimpleGrid>
                );
              case 'p':
                return <Text key={i} fz={body} c={ink}><Inline text={b.text} /></Text>;
              default:
                return null;
            }
          })}
        </Stack>

        <Paper withBorder radius="md" p="lg" mt={40} style={{ borderWidth: 2, borderColor: '#6b7280' }}>
          <Group gap="sm" mb="md">
            <IconSignature size={30} />
            <Title order={2} fz={25} c={ink}>Sign the form</Title>
          </Group>
          <Stack gap="lg">
            {view.needsRepresentative ? (
              <Alert color="blue" variant="light" fz={body} styles={{ message: { fontSize: body, color: ink } }}>
                {view.patientName} needs a parent, guardian or other representative to sign for them. If that is you, fill in
                your details below.
              </Alert>
            ) : (
              <Checkbox size="lg" checked={representative} onChange={(e) => setRepresentative(e.currentTarget.checked)}
                label="I am signing for the patient (for example as their parent, guardian or attorney)"
                styles={{ label: { fontSize: body, color: ink } }} />
            )}
            {representative && (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput size="lg" label="Your relationship to the patient" placeholder="For example: mother" value={relationship}
                  onChange={(e) => setRelationship(e.currentTarget.value)} styles={{ label: { fontSize: body, color: ink } }}
                  error={error?.field === 'representative' && !relationship.trim() ? 'Please fill this in.' : undefined} />
                <Select size="lg" label="What gives you the authority to sign" placeholder="Choose one" data={view.authorities}
                  value={authority} onChange={setAuthority} styles={{ label: { fontSize: body, color: ink } }}
                  comboboxProps={{ withinPortal: true }}
                  error={error?.field === 'representative' && !authority ? 'Please choose one.' : undefined} />
              </SimpleGrid>
            )}
            <TextInput size="xl" label={representative ? 'Type your own full name' : 'Type your full name'} value={typedName}
              onChange={(e) => setTypedName(e.currentTarget.value)} autoComplete="off" data-testid="typed-name"
              styles={{ label: { fontSize: body, color: ink, marginBottom: 6 } }}
              error={error?.field === 'typedName' ? error.message : undefined} />
            {/* A stroke that starts or ends off the pad must not select the label text. */}
            <Box ref={padBox} style={{ userSelect: 'none', WebkitUserSelect: 'none' }}>
              <Text fz={body} fw={500} mb={6} c={ink}>Your signature</Text>
              <SignatureField ref={pad} label="Signature" error={error?.field === 'signature' ? error.message : undefined}
                onChange={() => error?.field === 'signature' && setError(null)} />
            </Box>
            {error && error.field !== 'signature' && (
              <Alert ref={errorRef} color="red" variant="light" icon={<IconAlertCircle size={28} />} data-testid="signing-error"
                styles={{ message: { fontSize: body, color: '#7f1d1d' } }}>
                {error.message}
              </Alert>
            )}
            <Button size="xl" h={72} fz={24} fullWidth onClick={sign} loading={busy} data-testid="sign-button">
              I agree and sign
            </Button>
            <Text fz={18} c={soft} ta="center">
              Signing records only the boxes you ticked above. You can withdraw your consent at any time.
            </Text>
          </Stack>
        </Paper>
        {staff}
      </Container>
    </Box>
  );
}
