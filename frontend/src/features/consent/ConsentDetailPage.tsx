import { useCallback, useEffect, useState } from 'react';
import {
  Accordion, Alert, Anchor, Badge, Button, Card, Code, Group, Image, Loader, Modal, Select, SimpleGrid, Stack, Text, Textarea, Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconDownload, IconExternalLink, IconFileText, IconSquare, IconUserMinus } from '@tabler/icons-react';
import { ConsentEvents, consentSetup, getConsent, revokeConsent, saveConsentPDF } from '../../api/consent';
import { onEvent } from '../../api/system';
import { toAppError } from '../../api/errors';
import { useFieldAction } from '../../useAction';
import type { ChoiceState, ChoiceView, ConsentDetail } from '../../api/types';
import { StatusBadge } from './StatusBadge';
import { PatientCopyCard } from './PatientCopyCard';
import { PickDateField } from '../dates/PickDateField';
import { TakedownList } from '../publish/TakedownList';
import { dayIn } from '../../format';

function Choices({ title, items }: { title: string; items: ChoiceState[] }) {
  return (
    <div>
      <Text fw={600} size="sm" mb={6}>{title}</Text>
      <Stack gap={4}>
        {items.map((c) => (
          <Group key={c.value} gap={8} wrap="nowrap" data-testid={`choice-${c.value}`} data-ticked={c.ticked}>
            {c.ticked ? <IconCheck size={18} color="var(--mantine-color-teal-7)" /> : <IconSquare size={16} color="var(--mantine-color-gray-5)" />}
            <Text size="sm" c={c.ticked ? undefined : 'dimmed'}>{c.label}</Text>
          </Group>
        ))}
      </Stack>
    </div>
  );
}

export function ConsentDetailPage({ id }: { id: number }) {
  const [d, setD] = useState<ConsentDetail | null>(null);
  const [error, setError] = useState('');
  const [revokeOpen, setRevokeOpen] = useState(false);
  const [receivedByOptions, setReceivedByOptions] = useState<ChoiceView[]>([]);
  const [on, setOn] = useState(() => dayIn());
  const [receivedBy, setReceivedBy] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const { busy, error: revokeError, run: attempt, at: revokeAt } = useFieldAction();

  const load = useCallback(() => getConsent(id).then(setD).catch((e) => setError(toAppError(e).message)), [id]);
  useEffect(() => {
    load();
    consentSetup().then((s) => setReceivedByOptions(s.receivedBy)).catch(() => undefined);
    // A takedown elsewhere (Delete, removed by hand) changes what is live.
    return onEvent(ConsentEvents.changed, () => load());
  }, [load]);

  if (error) return <Alert color="red" title="This consent could not be opened">{error}</Alert>;
  if (!d) return <Loader />;
  const c = d.consent;
  const usNeedsWriting = c.country === 'US' && (receivedBy === 'phone' || receivedBy === 'in_person');

  const savePDF = async () => {
    try {
      const path = await saveConsentPDF(c.id);
      if (path) notifications.show({ color: 'teal', title: 'PDF saved', message: path });
    } catch (e) {
      notifications.show({ color: 'red', title: 'The PDF was not saved', message: toAppError(e).message });
    }
  };

  const revoke = () =>
    attempt(async () => {
      const r = await revokeConsent(c.id, on, receivedBy ?? '', note);
      setRevokeOpen(false);
      notifications.show({
        color: 'teal', autoClose: 12000, title: 'Withdrawal recorded',
        message: r.inWritingRequired
          ? 'Testimonials under this consent are now blocked everywhere. HIPAA needs the withdrawal in writing: ask the patient to confirm it by email or letter.'
          : 'Testimonials under this consent are now blocked everywhere.',
      });
      load();
    });

  return (
    <Stack gap="lg">
      <div>
        <Anchor size="sm" href={`#/patients/${c.patientId}`}>← {c.patientName}</Anchor>
        <Group justify="space-between" align="flex-end">
          <Group gap="sm">
            <Title order={1} size="h2">Consent #{c.id}</Title>
            <StatusBadge status={c.status} />
          </Group>
          <Group>
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={savePDF}>Save PDF…</Button>
            <Button variant="default" component="a" href={c.pdfUrl} target="_blank" leftSection={<IconExternalLink size={16} />} data-testid="open-pdf">
              Open PDF
            </Button>
            {!c.revocation && (
              <Button color="red" variant="light" leftSection={<IconUserMinus size={16} />} onClick={() => setRevokeOpen(true)}>Record withdrawal</Button>
            )}
          </Group>
        </Group>
        <Text c="dimmed" data-testid="consent-status-text">{c.statusText}. {c.methodLabel} on {c.signedOn}, form {c.templateVersion}.</Text>
      </div>

      {c.revocation && (
        <Alert color="red" variant="light" title={`Withdrawn on ${c.revocation.on}`} data-testid="revocation">
          <Stack gap={4}>
            <Text size="sm">Received: {c.revocation.receivedByLabel}{c.revocation.note ? ` (“${c.revocation.note}”)` : ''}.</Text>
            {c.revocation.inWritingRequired && (
              <Text size="sm" fw={600}>HIPAA needs withdrawals in writing: ask the patient to confirm by email or letter and keep it. Use of the content has stopped either way.</Text>
            )}
            <Text size="sm">Every testimonial under this consent is blocked on every channel, and scheduled posts that rely on it will not go out.</Text>
          </Stack>
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder padding="lg">
          <Title order={2} size="h4" mb="sm">What the patient agreed to</Title>
          <SimpleGrid cols={2}>
            <Choices title="How they may be identified" items={c.identity} />
            <Choices title="Where it may be used" items={c.channels} />
          </SimpleGrid>
          <Text size="sm" mt="md">Valid until the end of <b>{c.lastValidDay}</b>. Payment or gift: {c.remuneration}.</Text>
        </Card>
        <Card withBorder padding="lg">
          <Title order={2} size="h4" mb="sm">What it covers</Title>
          {c.quote && <Text size="sm" fs="italic" mb="sm" style={{ whiteSpace: 'pre-wrap' }}>“{c.quote}”</Text>}
          {c.healthDetails && <Text size="sm" mb="sm">Treatment that may be mentioned: {c.healthDetails}</Text>}
          {c.media.length > 0 && (
            <SimpleGrid cols={3} spacing="xs">
              {c.media.map((m) => (
                <div key={m.sha256}>
                  <Image src={m.url} h={90} fit="contain" bg="gray.0" radius="sm" alt={m.label} />
                  <Text size="xs" c="dimmed" ta="center">{m.label}</Text>
                </div>
              ))}
            </SimpleGrid>
          )}
          <Title order={3} size="h5" mt="md" mb={6}>Signed by</Title>
          <Text size="sm">
            {c.signer.name}
            {c.signer.representative ? ` (${c.signer.relationship}; ${c.signer.authority})` : ' (the patient)'}
          </Text>
          {c.signatureUrl && <Image src={c.signatureUrl} h={70} w="auto" fit="contain" mt={6} alt="Signature" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6 }} />}
          {c.scanUrl && <Anchor href={c.scanUrl} target="_blank" size="sm"><Group gap={4}><IconFileText size={16} />{c.method === 'email' ? 'Open the patient’s email reply' : 'Open the scanned paper form'}</Group></Anchor>}
        </Card>
      </SimpleGrid>

      <PatientCopyCard consentId={c.id} country={c.country} />

      {/* Once withdrawn, the takedown list below is the one place that says what is still live. */}
      {!c.revocation && (
        <Card withBorder padding="lg">
          <Title order={2} size="h4" mb={4}>Live posts that use this consent</Title>
          {d.takedown.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="takedown-empty">
              Nothing has been published with this consent yet. Every live post that uses it is listed here, so it can be
              taken down if the patient withdraws.
            </Text>
          ) : (
            <Stack gap={4}>
              {d.takedown.map((p) => (
                <Group key={p.platform + p.remoteId} gap="sm">
                  <Badge variant="light">{p.platform}</Badge>
                  <Anchor href={p.url} target="_blank" size="sm">{p.url || p.remoteId}</Anchor>
                </Group>
              ))}
            </Stack>
          )}
        </Card>
      )}
      {c.revocation && <TakedownList consentId={c.id} />}

      <Accordion variant="contained">
        <Accordion.Item value="text">
          <Accordion.Control>The exact text the patient saw, and the evidence hash</Accordion.Control>
          <Accordion.Panel>
            <Text size="sm" mb="sm">Evidence hash: <Code data-testid="evidence-hash">{c.evidenceHash}</Code></Text>
            <Code block style={{ whiteSpace: 'pre-wrap', fontSize: 13 }}>{d.text}</Code>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>

      <Modal opened={revokeOpen} onClose={() => !busy && setRevokeOpen(false)} title="Record a withdrawal of consent" centered>
        <Stack>
          <Text size="sm">
            The consent stays on file as evidence; the withdrawal is recorded beside it. From the date you enter, none of this
            patient's testimonials under this consent can be published.
          </Text>
          <PickDateField label="Date the withdrawal reached the practice" value={on} onChange={setOn} error={revokeAt('at')} testId="withdrawal-date" />
          <Select label="How it reached the practice" data={receivedByOptions} value={receivedBy} onChange={setReceivedBy} placeholder="Choose one"
            error={revokeAt('receivedBy')} />
          {usNeedsWriting && (
            <Alert color="orange" variant="light">HIPAA needs a withdrawal in writing. Record it now and stop using the content, then ask the patient to confirm by email or letter.</Alert>
          )}
          <Textarea label="Note (optional)" autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {revokeError && !revokeError.field && <Alert color="red" variant="light">{revokeError.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevokeOpen(false)} disabled={busy}>Cancel</Button>
            <Button color="red" onClick={revoke} loading={busy}>Record withdrawal</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
