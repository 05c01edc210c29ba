import { useEffect, useState } from 'react';
import {
  Alert, Anchor, Badge, Box, Button, Card, Center, Checkbox, Grid, Group, Image, Loader, Modal, ScrollArea, SegmentedControl,
  SimpleGrid, Stack, Text, Textarea, TextInput, Title, UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle, IconCheck, IconFileTypePdf, IconHandStop, IconInbox, IconMailForward, IconPaperclip, IconShieldCheck,
  IconShieldX, IconX,
} from '@tabler/icons-react';
import { lookup } from '../../api/lookup';
import { toAppError } from '../../api/errors';
import { useFieldAction } from '../../useAction';
import { useLoaded } from '../../useLoaded';
import {
  answerWords, confirmConsentReply, confirmTestimonialReply, dismissReply, getReply, listReplies, MailEvents,
  type ReplyStatus, type ReplySummary, type ReplyView, type ScopeOptionView,
} from '../../api/mail';
import { formatWhen } from '../../format';
import { MailStatusLine } from './MailStatusLine';
import { mayTick, replyAnswerWords } from './replyScope';

const filters: { value: ReplyStatus; label: string }[] = [
  { value: 'pending', label: 'Waiting for review' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'ignored', label: 'Ignored' },
];

const kindLabel = { consent: 'Consent', testimonial: 'Testimonial', quote_approval: 'New-words approval', '': 'Not matched' } as const;
const kindColor = { consent: 'teal', testimonial: 'grape', quote_approval: 'blue', '': 'gray' } as const;

/** The review queue: replies picked up from the mailbox, each waiting for a person. */
export function RepliesPage({ id, go }: { id: number | null; go: (to: string) => void }) {
  const [filter, setFilter] = useState<ReplyStatus>('pending');
  const { value: list, error, reload: load } = useLoaded<ReplySummary[]>(() => listReplies(filter), [filter], [MailEvents.changed, MailEvents.status]);

  // Open the first reply of the list when none is chosen.
  const selected = id ?? list?.[0]?.id ?? null;

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">Email replies</Title>
        <Text c="dimmed">
          Patients&apos; answers to your emailed requests. Nothing here is consent until you check it and confirm it.
        </Text>
      </div>
      <MailStatusLine onSettings={() => go('settings/mailbox')} />
      <SegmentedControl value={filter} onChange={(v) => { setFilter(v as ReplyStatus); go('replies'); }} data={filters} w="fit-content" />
      {error && <Alert color="red">{error}</Alert>}
      {!list ? (
        <Loader />
      ) : list.length === 0 && selected === null ? (
        <EmptyQueue filter={filter} />
      ) : (
        <Grid gap="md" align="flex-start">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <ScrollArea.Autosize mah="calc(100vh - 260px)" type="auto" offsetScrollbars>
              <Stack gap="xs" data-testid="reply-list">
                {list.map((r) => (
                  <ReplyRow key={r.id} r={r} active={r.id === selected} onClick={() => go(`replies/${r.id}`)} />
                ))}
                {list.length === 0 && <Text size="sm" c="dimmed">{filter === 'pending' ? 'No other replies waiting.' : 'No other replies here.'}</Text>}
              </Stack>
            </ScrollArea.Autosize>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            {selected && (
              <ReplyDetail key={selected} id={selected}
                onDecided={() => {
                  // Keep the decided reply on screen while the queue moves on.
                  go(`replies/${selected}`);
                  load();
                }} />
            )}
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}

function EmptyQueue({ filter }: { filter: ReplyStatus }) {
  return (
    <Card withBorder padding="xl">
      <Center>
        <Stack align="center" gap={6}>
          <IconInbox size={36} stroke={1.4} color="var(--mantine-color-dimmed)" />
          <Text fw={600}>{filter === 'pending' ? 'No replies waiting' : 'Nothing here yet'}</Text>
          <Text size="sm" c="dimmed" ta="center" maw={420}>
            {filter === 'pending'
              ? 'When a patient answers a consent or testimonial request, the reply appears here by itself.'
              : 'Replies you deal with are kept here.'}
          </Text>
        </Stack>
      </Center>
    </Card>
  );
}

function ReplyRow({ r, active, onClick }: { r: ReplySummary; active: boolean; onClick: () => void }) {
  return (
    <UnstyledButton onClick={onClick} data-testid="reply-row">
      <Card withBorder padding="sm" radius="md"
        style={{ borderColor: active ? 'var(--mantine-primary-color-filled)' : undefined, background: active ? 'var(--mantine-primary-color-light)' : undefined }}>
        <Group justify="space-between" gap={6} wrap="nowrap">
          <Text fw={600} size="sm" truncate>{r.patientName || r.fromAddress}</Text>
          <Badge size="xs" variant="light" color={lookup(kindColor, r.kind)} tt="none">{lookup(kindLabel, r.kind)}</Badge>
        </Group>
        <Text size="xs" c="dimmed">{formatWhen(r.receivedAt)}</Text>
        <Text size="sm" lineClamp={2} mt={4}>{r.preview || '(no text)'}</Text>
        {r.flags.length > 0 && (
          <Group gap={4} mt={6}>
            <IconAlertTriangle size={14} color="var(--mantine-color-orange-6)" />
            <Text size="xs" c="orange.8">{r.flags.length === 1 ? '1 thing to check' : `${r.flags.length} things to check`}</Text>
          </Group>
        )}
      </Card>
    </UnstyledButton>
  );
}

function ReplyDetail({ id, onDecided }: { id: number; onDecided: () => void }) {
  const [v, setV] = useState<ReplyView | null>(null);
  const [loadError, setLoadError] = useState('');
  useEffect(() => {
    getReply(id).then(setV).catch((e) => setLoadError(toAppError(e).message));
  }, [id]);
  if (loadError) return <Alert color="red" title="This reply could not be opened">{loadError}</Alert>;
  if (!v) return <Loader />;
  const done = (nv: ReplyView) => {
    setV(nv);
    onDecided();
  };

  return (
    <Card withBorder padding="lg" radius="md" data-testid="reply-detail">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Title order={2} size="h3">{v.recordName || v.fromName || v.fromAddress}</Title>
              <Badge variant="light" color={lookup(kindColor, v.kind)} tt="none">{v.kind ? `${lookup(kindLabel, v.kind)} request` : 'Not matched to a request'}</Badge>
            </Group>
            <Text size="sm" c="dimmed">
              From {v.fromName ? `${v.fromName} <${v.fromAddress}>` : v.fromAddress} · received {formatWhen(v.receivedAt)}
              {v.request ? ` · request ${v.request.token}` : ''}
            </Text>
          </div>
          <Button component="a" href={v.rawUrl} target="_blank" size="xs" variant="default" style={{ flexShrink: 0 }}>Original email</Button>
        </Group>

        <Decision v={v} />
        <IntentBanner v={v} />
        <SenderLine v={v} />

        {v.flagViews.length > 0 && (
          <Stack gap={6} data-testid="reply-flags">
            {v.flagViews.map((f) => (
              <Alert key={f.flag} color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={f.title} py="xs">
                <Text size="sm">{f.text}</Text>
              </Alert>
            ))}
          </Stack>
        )}
        {v.notes.filter((n) => !v.flagViews.some((f) => f.text === n)).length > 0 && (
          <Stack gap={2}>
            {v.notes.map((n) => <Text key={n} size="sm" c="dimmed">• {n}</Text>)}
          </Stack>
        )}

        <div>
          <Text fw={600} size="sm" mb={4}>The patient wrote</Text>
          <Box p="md" data-testid="reply-words"
            style={{ background: 'var(--mantine-color-gray-0)', borderLeft: '3px solid var(--mantine-color-gray-4)', borderRadius: 6, whiteSpace: 'pre-wrap' }}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{v.words.trim() || '(The reply has no text of its own.)'}</Text>
          </Box>
          {v.htmlOnly && <Text size="xs" c="dimmed" mt={4}>The email was formatted (HTML only); this is its text.</Text>}
        </div>

        {v.attachments.length > 0 && <Attachments v={v} />}

        {v.status === 'pending' && v.kind === 'consent' && v.canConfirm && <ConfirmConsent v={v} onDone={done} />}
        {v.status === 'pending' && v.kind === 'testimonial' && v.intent === 'answer' && v.canConfirm && <ConfirmTestimonial v={v} onDone={done} />}
        {v.status === 'pending' && <DismissButtons v={v} onDone={done} />}
      </Stack>
    </Card>
  );
}

function Decision({ v }: { v: ReplyView }) {
  if (v.status === 'pending') return null;
  if (v.status === 'confirmed') {
    return (
      <Alert color="teal" icon={<IconCheck />} title={v.consentId ? 'Confirmed: consent recorded' : 'Confirmed: draft testimonial saved'} data-testid="reply-decision">
        <Text size="sm">
          {v.consentId ? (
            <>The consent was recorded as signed by email, with this email kept as its evidence. <Anchor href={`#/consents/${v.consentId}`}>Open the consent</Anchor></>
          ) : (
            <>
              The patient&apos;s words are a draft testimonial awaiting consent.{' '}
              {v.testimonialId && v.patientId ? (
                <Anchor href={`#/patients/${v.patientId}/consent/${v.testimonialId}/email`} data-testid="ask-consent-for-draft">Ask for consent</Anchor>
              ) : null}
              {v.testimonialId && v.patientId ? ' · ' : null}
              <Anchor href="#/testimonials">Open testimonials</Anchor>
            </>
          )}
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="gray" icon={<IconX />} title={v.status === 'rejected' ? 'Rejected' : 'Ignored'} data-testid="reply-decision">
      <Text size="sm">{v.note || (v.status === 'rejected' ? 'This reply was not accepted as consent.' : 'This reply was set aside.')} The email stays stored.</Text>
    </Alert>
  );
}

/** What the reply is, when it is not a plain answer: a withdrawal, a later reply, an unknown reference. */
function IntentBanner({ v }: { v: ReplyView }) {
  if (v.intent === 'withdrawal') {
    return (
      <Alert color="red" icon={<IconHandStop />} title="The patient asks to withdraw" data-testid="reply-withdrawal">
        <Text size="sm">They wrote: “{v.withdrawal}”</Text>
        <Text size="sm" mt={4}>
          {v.held.length > 0
            ? `${v.held.length === 1 ? 'Their consent is' : `${v.held.length} of their consents are`} on hold: no post relying on ${v.held.length === 1 ? 'it' : 'them'} can go out. `
            : 'None of their consents was in force to put on hold. '}
          Confirm the withdrawal or release the hold on <Anchor href="#/home">Home</Anchor>.
          {v.canConfirm ? ' This reply also answers the request; it can only be confirmed once you record how you checked with the patient.' : ''}
        </Text>
      </Alert>
    );
  }
  if (v.intent === 'bounced') {
    return (
      <Alert color="orange" variant="light" title="The request came back undelivered" data-testid="reply-bounced">
        <Text size="sm">The patient’s mail server returned the request, so it is marked as come back on the patient’s page, with why.
          Nothing here needs confirming: check the address on the patient’s record, then send the request again.</Text>
      </Alert>
    );
  }
  if (v.intent === 'needs_look') {
    return (
      <Alert color="blue" variant="light" title="A later reply to an answered request" data-testid="reply-needs-look">
        <Text size="sm">This request was already answered and confirmed, so this reply can never become a consent. Read it and deal with it by hand, then ignore it.</Text>
      </Alert>
    );
  }
  if (v.headersOnly) {
    return (
      <Alert color="gray" variant="light" title="Only the header was kept" data-testid="reply-headers-only">
        <Text size="sm">This email matches no request PracticePost sent, so its text and attachments were not stored. Open it in your email program if it matters.</Text>
      </Alert>
    );
  }
  return null;
}

/** What the practice's mail provider said about who sent the reply. */
function SenderLine({ v }: { v: ReplyView }) {
  const s = v.sender;
  if (!s || (!s.authServId && s.verdict === 'unknown' && !s.forged)) return null;
  const ok = s.verdict === 'pass' && !s.forged;
  return (
    <Group gap={6} data-testid="reply-sender">
      {ok ? <IconShieldCheck size={16} color="var(--mantine-color-teal-7)" /> : <IconShieldX size={16} color="var(--mantine-color-orange-7)" />}
      <Text size="xs" c={ok ? 'teal.8' : 'orange.8'}>
        {ok
          ? `Your mail provider confirmed the sender's domain (DMARC pass for ${s.headerFrom || 'the sender'}).`
          : `Your mail provider could not confirm the sender (DMARC ${s.dmarc || 'none'}, SPF ${s.spf || 'none'}, DKIM ${s.dkim || 'none'}${s.forged ? '; a forged check was found' : ''}).`}
      </Text>
    </Group>
  );
}

function Attachments({ v }: { v: ReplyView }) {
  const [preview, setPreview] = useState<string | null>(null);
  return (
    <div>
      <Text fw={600} size="sm" mb={6}>Attachments</Text>
      <Group gap="sm" data-testid="reply-attachments">
        {v.attachments.map((a) =>
          a.isImage && a.url ? (
            <UnstyledButton key={a.sha256 + a.filename} onClick={() => setPreview(a.url)} title={`Preview ${a.filename}`}>
              <Card withBorder padding={4} radius="md">
                <Image src={a.url} w={120} h={90} fit="cover" radius="sm" alt={a.filename} />
                <Text size="xs" ta="center" truncate maw={120}>{a.filename}</Text>
              </Card>
            </UnstyledButton>
          ) : (
            <Card key={a.sha256 + a.filename} withBorder padding="sm" radius="md">
              <Group gap="xs" wrap="nowrap">
                {a.contentType === 'application/pdf' ? <IconFileTypePdf size={28} color="var(--mantine-color-red-7)" /> : <IconPaperclip size={24} />}
                <div>
                  <Text size="sm" maw={200} truncate>{a.filename}</Text>
                  <Text size="xs" c="dimmed">{Math.max(1, Math.round(a.size / 1024))} KB</Text>
                </div>
                {a.url && <Button component="a" href={a.url} target="_blank" size="xs" variant="default">Open</Button>}
              </Group>
            </Card>
          ),
        )}
      </Group>
      <Modal opened={!!preview} onClose={() => setPreview(null)} size="xl" title="Attachment" centered>
        {preview && <Image src={preview} alt="The attached image, full size" fit="contain" mah="75vh" />}
      </Modal>
    </div>
  );
}

const answerColor: Record<ScopeOptionView['answer'], string> = { yes: 'teal', no: 'gray', ambiguous: 'orange', unanswered: 'gray' };

function ConfirmConsent({ v, onDone }: { v: ReplyView; onDone: (v: ReplyView) => void }) {
  const initial = v.options.filter((o) => o.answer === 'yes').map((o) => o.key);
  const [ticked, setTicked] = useState<string[]>(initial);
  const [signer, setSigner] = useState(v.typedName);
  const [how, setHow] = useState('');
  const [who, setWho] = useState('');
  const [when, setWhen] = useState('');
  const [senderCheck, setSenderCheck] = useState('');
  const [nameCheck, setNameCheck] = useState('');
  const { busy, error, run, at: fieldError } = useFieldAction();
  const groups: { key: 'identity' | 'channel'; title: string }[] = [
    { key: 'identity', title: 'How they may be identified' },
    { key: 'channel', title: 'Where it may be used' },
  ];
  // Unclear boxes open up only once the resolution is on record.
  const recorded = !!how.trim() && !!who.trim() && !!when.trim();
  const resolved = !v.needsResolution || recorded;
  const allowed = (o: ScopeOptionView) => mayTick(o, v.options, v.needsResolution && recorded);
  // Only boxes the reply allows count, whatever was ticked before the
  // resolution was cleared again.
  const effective = ticked.filter((k) => v.options.some((o) => o.key === k && allowed(o)));
  const changed = effective.length !== initial.length || effective.some((k) => !initial.includes(k));
  const senderChecked = !v.needsSenderCheck || !!senderCheck.trim();
  const nameChecked = !v.needsNameCheck || !!nameCheck.trim();
  const ready = resolved && senderChecked && nameChecked;

  const confirm = () =>
    run(async () => {
      const identity = v.options.filter((o) => o.group === 'identity' && effective.includes(o.key)).map((o) => o.key);
      const channels = v.options.filter((o) => o.group === 'channel' && effective.includes(o.key)).map((o) => o.key);
      const nv = await confirmConsentReply(v.id, {
        identity, channels, signerName: signer,
        resolution: v.needsResolution ? { how, who, when } : undefined,
        senderCheck: v.needsSenderCheck ? senderCheck : undefined,
        nameCheck: v.needsNameCheck ? nameCheck : undefined,
      });
      notifications.show({ color: 'teal', title: 'Consent recorded', message: 'Signed by email; the reply is kept as evidence.' });
      onDone(nv);
    });

  return (
    <Card withBorder padding="md" radius="md" bg="var(--mantine-color-gray-0)" data-testid="confirm-consent">
      <Stack gap="sm">
        <div>
          <Text fw={600}>Check the answers, then confirm</Text>
          <Text size="sm" c="dimmed">
            Beside each box is what the reply said. The consent can cover only what the patient ticked: you can untick a box,
            never tick one they left blank. To cover more, send a new request.
          </Text>
        </div>
        {(v.quote || v.media.length > 0) && (
          <Box>
            <Text size="xs" c="dimmed">The request covered</Text>
            {v.quote && <Text size="sm" fs="italic">“{v.quote}”</Text>}
            {v.media.length > 0 && (
              <Group gap={6} mt={4}>{v.media.map((m) => <Image key={m.sha256} src={m.url} w={56} h={42} radius="sm" fit="cover" alt={m.label} />)}</Group>
            )}
          </Box>
        )}
        {v.unclear.length > 0 && (
          <Alert color="orange" variant="light" title="Lines PracticePost did not tick for you" py="xs">
            {v.unclear.map((l) => <Text key={l} size="sm">“{l}”</Text>)}
          </Alert>
        )}
        {v.needsResolution && (
          <Card withBorder padding="sm" radius="md" data-testid="resolution">
            <Text fw={600} size="sm">Check this reply with the patient first</Text>
            <Text size="sm" c="dimmed" mb={6}>
              It can be read more than one way, or boxes are missing from it. Ask the patient (for example by phone) and record
              how it was settled. Until then only the boxes the reply clearly ticked can be kept; afterwards the unclear ones
              can be ticked too. Boxes left blank or missing never can.
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput label="How it was settled" placeholder="Phoned the patient; she confirmed Facebook only" value={how}
                onChange={(e) => setHow(e.currentTarget.value)} error={fieldError('resolution.how')} />
              <TextInput label="Who" placeholder="Sam at reception" value={who} onChange={(e) => setWho(e.currentTarget.value)} error={fieldError('resolution.who')} />
              <TextInput label="When" placeholder="6 Dec 2026, 10:15" value={when} onChange={(e) => setWhen(e.currentTarget.value)} error={fieldError('resolution.when')} />
            </SimpleGrid>
          </Card>
        )}
        {v.needsSenderCheck && (
          <TextInput label="How you checked it really is the patient" data-testid="sender-check"
            description="The sender could not be confirmed. Contact the patient another way (the phone number in their record) before confirming."
            placeholder="Phoned Zoë on her usual number; she sent this reply" value={senderCheck}
            onChange={(e) => setSenderCheck(e.currentTarget.value)} error={fieldError('senderCheck')} />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          {groups.map((g) => (
            <Checkbox.Group key={g.key} label={g.title} value={effective} onChange={setTicked} error={fieldError(g.key === 'identity' ? 'identity' : 'channels')}>
              <Stack gap={6} mt={6}>
                {v.options.filter((o) => o.group === g.key).map((o) => (
                  <div key={o.key} data-testid={`box-${o.key}`}>
                    <Group gap={6} wrap="nowrap" align="flex-start" justify="space-between">
                      <Checkbox value={o.key} label={o.label} disabled={!allowed(o)} />
                      <Badge size="xs" variant="light" color={answerColor[o.answer]} tt="none" style={{ flexShrink: 0 }}
                        title={answerWords[o.answer]}>
                        {replyAnswerWords[o.answer]}
                      </Badge>
                    </Group>
                    {o.line && <Text size="xs" c="dimmed" ml={30}>They wrote: “{o.line}”</Text>}
                  </div>
                ))}
              </Stack>
            </Checkbox.Group>
          ))}
        </SimpleGrid>
        <TextInput label="Signed with the name" description={`On record: ${v.recordName}`} value={signer}
          onChange={(e) => setSigner(e.currentTarget.value)} error={fieldError('signerName')} maw={360} />
        {v.needsNameCheck && (
          <TextInput label="How you confirmed the name they sign with" data-testid="name-check"
            description={v.typedName
              ? `The reply is signed “${v.typedName}”, not the name on record. Check with the patient (for example by phone) before confirming.`
              : 'The reply gives no full name. Check with the patient (for example by phone) the name they sign with, and type it above.'}
            placeholder="Phoned the patient: they sign with their married name" value={nameCheck}
            onChange={(e) => setNameCheck(e.currentTarget.value)} error={fieldError('nameCheck')} />
        )}
        {error && !['identity', 'channels', 'signerName', 'senderCheck', 'nameCheck', 'resolution.how', 'resolution.who', 'resolution.when'].includes(error.field ?? '') && (
          <Alert color="red" variant="light">{error.message}</Alert>
        )}
        <Group>
          <Button leftSection={<IconCheck size={18} />} onClick={confirm} loading={busy} disabled={!ready}>
            {changed ? 'Confirm with my corrections' : 'Confirm consent'}
          </Button>
          {!ready && (
            <Text size="sm" c="dimmed">
              {!resolved ? 'Record how the unclear answer was settled first.'
                : !senderChecked ? 'Say how you checked the sender first.' : 'Say how you confirmed the name first.'}
            </Text>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

function ConfirmTestimonial({ v, onDone }: { v: ReplyView; onDone: (v: ReplyView) => void }) {
  const images = v.attachments.filter((a) => a.isImage && a.sha256);
  const [quote, setQuote] = useState(v.words.trim());
  const [photos, setPhotos] = useState<string[]>(images.map((a) => a.sha256));
  const { busy, error, run } = useFieldAction();
  const save = () =>
    run(async () => {
      const nv = await confirmTestimonialReply(v.id, quote, photos);
      notifications.show({ color: 'teal', title: 'Draft testimonial saved', message: 'Ask the patient for consent before it is used.' });
      onDone(nv);
    });
  return (
    <Card withBorder padding="md" radius="md" bg="var(--mantine-color-gray-0)">
      <Stack gap="sm">
        <div>
          <Text fw={600}>Keep as a draft testimonial</Text>
          <Text size="sm" c="dimmed">Trim greetings and sign-offs; keep the patient&apos;s own words. It cannot be published until the patient signs a consent.</Text>
        </div>
        <Textarea label="Testimonial" autosize minRows={3} value={quote} onChange={(e) => setQuote(e.currentTarget.value)}
          error={error?.field === 'quote' ? error.message : undefined} />
        {images.length > 0 && (
          <Checkbox.Group label="Photos to keep" value={photos} onChange={setPhotos} error={error?.field === 'photos' ? error.message : undefined}>
            <Group gap="sm" mt={6}>
              {images.map((a) => (
                <Checkbox key={a.sha256} value={a.sha256} label={<Image src={a.url} w={72} h={54} radius="sm" fit="cover" alt={a.filename} />} />
              ))}
            </Group>
          </Checkbox.Group>
        )}
        {error && !['quote', 'photos'].includes(error.field ?? '') && <Alert color="red" variant="light">{error.message}</Alert>}
        <Group>
          <Button leftSection={<IconMailForward size={18} />} onClick={save} loading={busy}>Save draft testimonial</Button>
        </Group>
      </Stack>
    </Card>
  );
}

function DismissButtons({ v, onDone }: { v: ReplyView; onDone: (v: ReplyView) => void }) {
  const [open, setOpen] = useState<'rejected' | 'ignored' | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const dismiss = async () => {
    if (!open) return;
    setBusy(true);
    setError('');
    try {
      onDone(await dismissReply(v.id, open, note));
      setOpen(null);
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Group gap="xs">
        <Text size="sm" c="dimmed">Not right?</Text>
        <Button size="xs" variant="default" color="red" onClick={() => setOpen('rejected')}>Reject</Button>
        <Button size="xs" variant="subtle" color="gray" onClick={() => setOpen('ignored')}>Ignore</Button>
      </Group>
      <Modal opened={!!open} onClose={() => setOpen(null)} title={open === 'rejected' ? 'Reject this reply' : 'Ignore this reply'} centered>
        <Stack>
          <Text size="sm">
            {open === 'rejected'
              ? 'No consent is recorded. Use this when the patient said no, or the reply is not from them.'
              : 'Use this for replies that do not answer a request, such as a question about an appointment.'}{' '}
            The email stays stored and in your mailbox.
          </Text>
          <TextInput label="Note (optional)" placeholder="For example: patient phoned to say no" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {error && <Alert color="red" variant="light">{error}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(null)}>Cancel</Button>
            <Button color={open === 'rejected' ? 'red' : 'gray'} onClick={dismiss} loading={busy}>{open === 'rejected' ? 'Reject' : 'Ignore'}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
