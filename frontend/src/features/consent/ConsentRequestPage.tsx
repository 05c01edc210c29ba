import { useEffect, useState } from 'react';
import {
  Alert, Anchor, Button, Card, Checkbox, Group, Loader, Radio, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowBackUp, IconDeviceTablet, IconFileUpload, IconInfoCircle, IconQuote, IconVideoOff } from '@tabler/icons-react';
import { fileToBase64 } from '../../api/brand';
import { consentSetup, handToPatient, recordPaper } from '../../api/consent';
import { toAppError } from '../../api/errors';
import { useFieldAction } from '../../useAction';
import { getPatient } from '../../api/patients';
import { getTestimonial } from '../../api/testimonials';
import type { ConsentRequest, ConsentSetup, PatientView, Remuneration, TestimonialView } from '../../api/types';
import { useRoute } from '../../router';
import { SetPinModal } from '../lock/SetPinModal';
import { setLockStatus } from '../lock/lockStore';
import { ConsentSettingsForm } from './ConsentSettingsForm';
import { MediaPicker, pairProblem, type PickedMedia } from './MediaPicker';
import { EmailConsentPanel } from '../mail/SendByEmail';
import { PickDateField } from '../dates/PickDateField';
import { formatDay } from '../../format';

interface Props {
  patientId: number;
  go: (to: string) => void;
}

type Mode = 'screen' | 'paper' | 'email';
type Words = '' | 'use_edited' | 'new_testimonial';

const normal = (q: string) => q.replace(/\r\n/g, '\n').trim();

/** Whether the request's words or photos are no longer exactly the waiting testimonial's. */
export function wordsEdited(t: TestimonialView['testimonial'], quote: string, media: { sha256: string }[]): { quote: boolean; media: boolean } {
  const a = new Set(t.media.map((m) => m.sha256));
  const b = new Set(media.map((m) => m.sha256));
  return { quote: normal(t.quote) !== normal(quote), media: a.size !== b.size || [...a].some((x) => !b.has(x)) };
}

const expiryOptions = ['6', '12', '24', '36'].map((m) => ({ value: m, label: `${m} months${m === '24' ? ' (recommended)' : ''}` }));

/** The manager prepares what the consent covers, then hands the screen over or records a paper form. */
export function ConsentRequestPage({ patientId, go }: Props) {
  // "#/patients/<patient>/consent/<testimonial>/<how>": asked from a testimonial waiting for consent.
  const [route] = useRoute();
  const testimonialId = route[2] === 'consent' ? Number(route[3]) || 0 : 0;
  const askedMode = route[4];
  const [forT, setForT] = useState<TestimonialView | null>(null);
  const [words, setWords] = useState<Words>('');
  const [setup, setSetup] = useState<ConsentSetup | null>(null);
  const [patient, setPatient] = useState<PatientView | null>(null);
  const [loadError, setLoadError] = useState('');
  const [template, setTemplate] = useState<string | null>(null);
  const [quote, setQuote] = useState('');
  const [source, setSource] = useState('Said in clinic');
  const [health, setHealth] = useState('');
  const [media, setMedia] = useState<PickedMedia[]>([]);
  const [showsFace, setShowsFace] = useState(false);
  const [expiry, setExpiry] = useState('24');
  const [pay, setPay] = useState<Remuneration>({ kind: 'none', description: '', disclosure: '' });
  const [mode, setMode] = useState<Mode>('screen');
  const { busy, error, setError, run, at: err } = useFieldAction();
  const [pinOpen, setPinOpen] = useState(false);
  // paper
  const [paperIdentity, setPaperIdentity] = useState<string[]>([]);
  const [paperChannels, setPaperChannels] = useState<string[]>([]);
  const [signedOn, setSignedOn] = useState('');
  const [signer, setSigner] = useState('');
  const [rep, setRep] = useState(false);
  const [relationship, setRelationship] = useState('');
  const [authority, setAuthority] = useState('');
  const [scan, setScan] = useState<File | null>(null);

  useEffect(() => {
    Promise.all([consentSetup(), getPatient(patientId), testimonialId ? getTestimonial(testimonialId) : Promise.resolve(null)])
      .then(([s, p, t]) => {
        if (t && t.testimonial.patientId !== patientId) {
          setLoadError('That testimonial is another patient’s. Open it again from Testimonials.');
          return;
        }
        setSetup(s);
        setTemplate(s.defaultTemplate);
        setPatient(p);
        setSigner(p.patient.fullName);
        setRep(p.needsRepresentative);
        setExpiry(String(s.defaultExpiry));
        setForT(t);
        if (t) {
          // The form shows exactly what the patient gave: their words and photos.
          setQuote(t.testimonial.quote);
          setSource(t.testimonial.source);
          setShowsFace(t.testimonial.showsFace);
          setMedia(t.media.map(({ sha256, kind, label, url }) => ({ sha256, kind, label, url })));
          setWords('');
        }
        if (askedMode === 'screen' || askedMode === 'paper' || askedMode === 'email') setMode(askedMode);
      })
      .catch((e) => setLoadError(toAppError(e).message));
  }, [patientId, testimonialId, askedMode]);

  if (loadError) return <Alert color="red" title="This page could not be opened">{loadError}</Alert>;
  if (!setup || !patient) return <Loader />;

  const edits = forT ? wordsEdited(forT.testimonial, quote, media) : { quote: false, media: false };
  const edited = edits.quote || edits.media;
  const request = (): ConsentRequest => ({
    patientId, templateVersion: template ?? '', quote, source, healthDetails: health,
    media: media.map(({ sha256, kind, label }) => ({ sha256, kind, label })), expiryMonths: Number(expiry), remuneration: pay, showsFace,
    testimonialId: forT?.testimonial.id ?? 0, words: edited ? words : '',
  });
  const putBack = () => {
    if (!forT) return;
    setQuote(forT.testimonial.quote);
    setMedia(forT.media.map(({ sha256, kind, label, url }) => ({ sha256, kind, label, url })));
    setWords('');
    setError(null);
  };
  const tpl = setup.templates.find((t) => t.versionId === template);

  const handOver = async () => {
    setError(null);
    const pair = pairProblem(media);
    if (pair) return setError({ code: 'invalid', field: 'media', message: pair });
    if (!setup.pinSet) return setPinOpen(true);
    await send();
  };

  const send = () =>
    run(async () => {
      const st = await handToPatient(request());
      window.scrollTo({ top: 0 });
      setLockStatus(st);
    });

  const savePaper = async () => {
    setError(null);
    const pair = pairProblem(media);
    if (pair) return setError({ code: 'invalid', field: 'media', message: pair });
    if (!scan) return setError({ code: 'invalid', field: 'scan', message: 'Attach the scan of the signed paper form (PDF, JPEG or PNG).' });
    await run(async () => {
      const c = await recordPaper({
        request: request(),
        draft: { identity: paperIdentity, channels: paperChannels, signerName: signer, representative: rep, relationship, authority },
        signedOn, scanFileName: scan.name, scanBase64: await fileToBase64(scan),
      });
      notifications.show({ color: 'teal', title: 'Paper consent recorded', message: 'The scan and the signed copy (PDF) are kept with it.' });
      go(`consents/${c.id}`);
    });
  };

  return (
    <Stack gap="lg">
      <div>
        <Anchor size="sm" href={`#/patients/${patientId}`}>← {patient.patient.fullName}</Anchor>
        <Title order={1} size="h2">{forT ? 'Ask for consent for a testimonial' : 'Ask for consent'}</Title>
        <Text c="dimmed">Choose what the consent covers. The patient then ticks, one by one, where and how it may be used.</Text>
      </div>

      {forT && (
        <Card withBorder padding="lg" data-testid="for-testimonial" style={{ borderLeft: '4px solid var(--mantine-color-orange-5)' }}>
          <Group gap="sm" align="flex-start" wrap="nowrap">
            <IconQuote size={24} color="var(--mantine-color-orange-6)" style={{ flexShrink: 0 }} />
            <div style={{ minWidth: 0 }}>
              <Text fw={600}>For {patient.patient.fullName}&apos;s testimonial waiting for consent</Text>
              <Text size="sm" c="dimmed">
                From {forT.testimonial.source}{forT.testimonial.saidOn ? `, ${formatDay(forT.testimonial.saidOn)}` : ''}. The form below shows their exact
                words{forT.media.length > 0 ? ' and photos' : ''}. Once the consent is signed, this testimonial is published only where it allows;
                no second copy is made.
              </Text>
              {forT.consent && (
                <Alert mt="sm" color="red" variant="light">
                  This testimonial is already covered by consent #{forT.consent.id}. It needs no second consent.{' '}
                  <Anchor href={`#/consents/${forT.consent!.id}`}>Open consent #{forT.consent.id}</Anchor>
                </Alert>
              )}
            </div>
          </Group>
        </Card>
      )}

      {setup.missing.length > 0 && (
        <Card withBorder padding="lg" style={{ borderColor: 'var(--mantine-color-orange-4)' }}>
          <Group gap="xs" mb="xs"><IconAlertTriangle size={20} color="var(--mantine-color-orange-7)" /><Text fw={600}>Before you ask for consent</Text></Group>
          <Stack gap={2} mb="md">
            {setup.missing.map((m) => <Text key={m} size="sm">• {m}</Text>)}
          </Stack>
          <ConsentSettingsForm setup={setup} onSaved={setSetup} />
        </Card>
      )}

      <Card withBorder padding="lg">
        <Title order={2} size="h4" mb="sm">The form</Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Consent form" data={setup.templates.map((t) => ({ value: t.versionId, label: `${t.country === 'US' ? 'US: HIPAA authorization' : 'UK: UK GDPR explicit consent'} (${t.versionId})` }))}
            value={template} onChange={setTemplate} allowDeselect={false} error={err('templateVersion')} />
          <Select label="How long it lasts" data={expiryOptions} value={expiry} onChange={(v) => v && setExpiry(v)} allowDeselect={false} error={err('expiryMonths')} />
        </SimpleGrid>
        {tpl?.reviewNotice && (
          <Alert mt="sm" variant="light" color="gray" icon={<IconInfoCircle size={18} />}>
            <Text size="sm">{tpl.reviewNotice}</Text>
          </Alert>
        )}
        {patient.needsRepresentative && (
          <Alert mt="sm" variant="light" color="blue" icon={<IconInfoCircle size={18} />}>
            {patient.patient.fullName} is {patient.age}: a parent, guardian or other representative signs, and records their authority.
          </Alert>
        )}
      </Card>

      <Card withBorder padding="lg">
        <Title order={2} size="h4" mb="sm">What will be used</Title>
        <Stack gap="sm">
          <Textarea label="Testimonial, exactly as it will be used" autosize minRows={3} value={quote} onChange={(e) => setQuote(e.currentTarget.value)}
            error={err('quote')} data-testid="request-quote" />
          {forT && edited && (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="words-edited"
              title={edits.quote && edits.media ? 'You changed the testimonial’s words and photos' : edits.quote ? 'You changed the testimonial’s words' : 'You changed the testimonial’s photos'}>
              <Text size="sm" mb="xs">
                The patient consents to exactly what this form shows, and only those words can be published. Say what the change means:
              </Text>
              <Radio.Group value={words} onChange={(v) => setWords(v as Words)} error={err('words')}>
                <Stack gap={6}>
                  <Radio value="use_edited" label="Use the edited words: the testimonial changes to what the patient signs" />
                  <Radio value="new_testimonial" label="Save as a new testimonial: the original keeps waiting, unchanged" />
                </Stack>
              </Radio.Group>
              <Button mt="sm" size="xs" variant="default" leftSection={<IconArrowBackUp size={16} />} onClick={putBack}>
                Put the patient&apos;s original back
              </Button>
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Where it came from" value={source} onChange={(e) => setSource(e.currentTarget.value)} />
            <TextInput label="Treatment the posts may mention (optional)" placeholder="For example: Invisalign" value={health}
              onChange={(e) => setHealth(e.currentTarget.value)} error={err('healthDetails')} />
          </SimpleGrid>
          <Text size="sm" fw={500} mt="xs">Photos, videos and recordings</Text>
          <MediaPicker value={media} onChange={setMedia} />
          {err('media') && <Alert color="red" variant="light">{err('media')}</Alert>}
          {media.length > 0 && (
            <Checkbox label="A photo shows the patient's face" checked={showsFace} onChange={(e) => setShowsFace(e.currentTarget.checked)} />
          )}
          <Alert variant="light" color="gray" icon={<IconVideoOff size={18} />}>
            <Text size="sm">
              Video and voice recordings: PracticePost cannot store them yet. If you want to use a video, take a separate paper
              consent that names it and keep the recording outside PracticePost.
            </Text>
          </Alert>
        </Stack>
      </Card>

      <Card withBorder padding="lg">
        <Title order={2} size="h4" mb="sm">Payment, discount or gift</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select label="Did the patient receive anything for the testimonial?" data={setup.remuneration} value={pay.kind}
            onChange={(k) => k && setPay({ ...pay, kind: k })} allowDeselect={false} />
          {pay.kind !== 'none' && (
            <>
              <TextInput label="What they received" placeholder="For example: 20% off whitening" value={pay.description}
                onChange={(e) => setPay({ ...pay, description: e.currentTarget.value })} error={err('remuneration')} />
              <TextInput label="Wording for posts (optional)" placeholder="For example: received complimentary whitening" value={pay.disclosure}
                onChange={(e) => setPay({ ...pay, disclosure: e.currentTarget.value })} />
            </>
          )}
        </SimpleGrid>
      </Card>

      <Card withBorder padding="lg">
        <Title order={2} size="h4" mb="sm">How the patient signs</Title>
        <SegmentedControl value={mode} onChange={(v) => setMode(v as Mode)} mb="md"
          data={[{ value: 'screen', label: 'On this screen' }, { value: 'paper', label: 'Already signed on paper' }, { value: 'email', label: 'By email' }]} />
        {mode === 'email' ? (
          <EmailConsentPanel request={request} patientEmail={patient.patient.email} disabled={setup.missing.length > 0}
            validate={() => pairProblem(media)} />
        ) : mode === 'screen' ? (
          <Stack gap="sm">
            <Text size="sm">
              “Hand to patient” shows the form in large print with every box unticked. The rest of PracticePost stays locked
              until you enter the manager PIN.{!setup.pinSet && ' You will be asked to set a PIN first.'}
            </Text>
            {error && !['media', 'quote'].includes(error.field ?? '') && (
              <Alert color="red" variant="light" title="The form cannot be handed over yet" data-testid="request-error">{error.message}</Alert>
            )}
            <Group>
              <Button size="md" leftSection={<IconDeviceTablet size={20} />} onClick={handOver} loading={busy} disabled={setup.missing.length > 0}>
                Hand to patient
              </Button>
              {/* A disabled button says why beside it. */}
              {setup.missing.length > 0 && (
                <Text size="sm" c="dimmed" data-testid="hand-over-why">
                  Not yet: first complete “Before you ask for consent” above ({setup.missing.join(' ')})
                </Text>
              )}
            </Group>
          </Stack>
        ) : (
          <Stack gap="md">
            <Text size="sm">Enter exactly what the patient ticked on the paper form, and attach the scan. The consent is marked as signed on paper.</Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Checkbox.Group label="How they may be identified" value={paperIdentity} onChange={setPaperIdentity}>
                <Stack gap={6} mt={6}>{setup.identity.map((c) => <Checkbox key={c.value} value={c.value} label={c.label} />)}</Stack>
              </Checkbox.Group>
              <Checkbox.Group label="Where it may be used" value={paperChannels} onChange={setPaperChannels}>
                <Stack gap={6} mt={6}>{setup.channels.map((c) => <Checkbox key={c.value} value={c.value} label={c.label} />)}</Stack>
              </Checkbox.Group>
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <PickDateField label="Date written on the form" value={signedOn} onChange={setSignedOn} error={err('signedOn')} allow="up-to-today" />
              <TextInput label="Name of the person who signed" value={signer} onChange={(e) => setSigner(e.currentTarget.value)} error={err('signerName')} />
            </SimpleGrid>
            <Checkbox label="A representative signed for the patient" checked={rep} onChange={(e) => setRep(e.currentTarget.checked)} />
            {rep && (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label="Their relationship to the patient" value={relationship} onChange={(e) => setRelationship(e.currentTarget.value)} />
                <TextInput label="Their authority" placeholder="For example: parent with parental responsibility" value={authority} onChange={(e) => setAuthority(e.currentTarget.value)} />
              </SimpleGrid>
            )}
            <Dropzone onDrop={(f) => setScan(f[0] ?? null)} accept={['application/pdf', 'image/png', 'image/jpeg']} maxSize={20 * 1024 * 1024}
              onReject={() => setError({ code: 'invalid', field: 'scan', message: 'Attach a PDF, JPEG or PNG of at most 20 MB.' })} multiple={false} data-testid="scan-dropzone">
              <Group justify="center" gap="sm" mih={56} style={{ pointerEvents: 'none' }}>
                <IconFileUpload size={26} stroke={1.5} />
                <Text size="sm">{scan ? `Scan: ${scan.name}` : 'Drop the scan of the signed form here, or click to choose (PDF, JPEG or PNG, up to 20 MB)'}</Text>
              </Group>
            </Dropzone>
            {error && !['media', 'quote', 'signedOn', 'signerName'].includes(error.field ?? '') && (
              <Alert color="red" variant="light" data-testid="request-error">{error.message}</Alert>
            )}
            <Group>
              <Button onClick={savePaper} loading={busy} disabled={setup.missing.length > 0}>Save paper consent</Button>
            </Group>
          </Stack>
        )}
      </Card>

      <SetPinModal opened={pinOpen} onClose={() => setPinOpen(false)}
        onDone={() => { setPinOpen(false); setSetup({ ...setup, pinSet: true }); void send(); }} />
    </Stack>
  );
}
