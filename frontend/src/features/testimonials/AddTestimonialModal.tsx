import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { listConsents } from '../../api/consent';
import { useFieldAction } from '../../useAction';
import { listPatients } from '../../api/patients';
import { createTestimonial, updateTestimonial } from '../../api/testimonials';
import type { ConsentView, PatientView, TestimonialView } from '../../api/types';
import { MediaPicker, type PickedMedia } from '../consent/MediaPicker';
import { PickDateField } from '../dates/PickDateField';

const nameOptions = [
  { value: 'full_name', label: 'Full name' },
  { value: 'first_name', label: 'First name only' },
  { value: 'initials', label: 'Initials only' },
  { value: 'anonymous', label: 'No name (anonymous)' },
];

interface Props {
  opened: boolean;
  onClose: () => void;
  /** Called with the added (or, when editing, the saved) testimonial. */
  onCreated: (t: TestimonialView) => void;
  /** A testimonial to edit: the form opens filled with it, for the same patient and consent. */
  editing?: TestimonialView | null;
}

export function AddTestimonialModal({ opened, onClose, onCreated, editing }: Props) {
  const [patients, setPatients] = useState<PatientView[]>([]);
  const [patientId, setPatientId] = useState<string | null>(null);
  const [consents, setConsents] = useState<ConsentView[]>([]);
  const [consentId, setConsentId] = useState<string | null>(null);
  const [quote, setQuote] = useState('');
  const [source, setSource] = useState('');
  const [saidOn, setSaidOn] = useState('');
  const [nameAs, setNameAs] = useState('first_name');
  const [showsFace, setShowsFace] = useState(false);
  const [media, setMedia] = useState<PickedMedia[]>([]);
  const { busy, error, setError, run, at: err } = useFieldAction();

  useEffect(() => {
    if (opened) listPatients('').then(setPatients).catch(() => undefined);
  }, [opened]);
  // Editing: the form starts from the testimonial as it is.
  useEffect(() => {
    if (!opened || !editing) return;
    const t = editing.testimonial;
    setPatientId(String(t.patientId));
    setQuote(t.quote);
    setSource(t.source);
    setSaidOn(t.saidOn ?? '');
    setNameAs(t.nameAs);
    setShowsFace(t.showsFace);
    setMedia(editing.media.map((m) => ({ sha256: m.sha256, kind: m.kind, label: m.label, url: m.url })));
    setError(null);
  }, [opened, editing]);
  useEffect(() => {
    setConsentId(editing?.testimonial.consentId ? String(editing.testimonial.consentId) : null);
    if (patientId) listConsents(Number(patientId)).then(setConsents).catch(() => setConsents([]));
    else setConsents([]);
  }, [patientId, editing]);

  const save = () =>
    run(async () => {
      const input = {
        patientId: Number(patientId ?? 0), consentId: Number(consentId ?? 0), quote, source, saidOn, nameAs, showsFace,
        media: media.map(({ sha256, kind, label }) => ({ sha256, kind, label })),
      };
      const t = editing ? await updateTestimonial(editing.testimonial.id, input) : await createTestimonial(input);
      onCreated(t);
    });

  return (
    <Modal opened={opened} onClose={onClose} title={editing ? 'Edit the testimonial' : 'Add a testimonial'} size="lg" centered>
      <Stack>
        <SimpleGrid cols={2}>
          <Select label="Patient" searchable data={patients.map((p) => ({ value: String(p.patient.id), label: p.patient.fullName }))}
            value={patientId} onChange={setPatientId} error={err('patientId')} disabled={!!editing}
            description={editing ? 'A testimonial stays with the patient who gave it.' : undefined} />
          <Select label="Consent it relies on" placeholder={patientId ? (consents.length ? 'Choose a consent' : 'No consent yet') : 'Choose the patient first'}
            data={consents.map((c) => ({ value: String(c.id), label: `#${c.id}, ${c.signedOn} (${c.statusText.toLowerCase()})` }))}
            value={consentId} onChange={setConsentId} error={err('consentId')} clearable disabled={!!editing}
            description={editing ? (editing.consent ? 'To rely on another consent, ask the patient again.' : 'Ask the patient from the testimonial’s card.') : undefined} />
        </SimpleGrid>
        {editing?.consent && (
          <Text size="sm" c="orange.9" data-testid="edit-consent-note">
            {editing.patientName} signed consent #{editing.consent.id} for the words as they are now. If you change the words or photos,
            the testimonial cannot be published until they approve the new version.
          </Text>
        )}
        <Textarea label="What the patient said" autosize minRows={3} value={quote} onChange={(e) => setQuote(e.currentTarget.value)} error={err('quote')} />
        <SimpleGrid cols={3}>
          <TextInput label="Source" placeholder="Google review" value={source} onChange={(e) => setSource(e.currentTarget.value)} error={err('source')} />
          <PickDateField label="Date" value={saidOn} onChange={setSaidOn} error={err('saidOn')} clearable description="When they said it (optional)" />
          <Select label="Posts would name them by" data={nameOptions} value={nameAs} onChange={(v) => v && setNameAs(v)} allowDeselect={false} />
        </SimpleGrid>
        <MediaPicker value={media} onChange={setMedia} />
        {media.length > 0 && <Checkbox label="A photo shows the patient's face" checked={showsFace} onChange={(e) => setShowsFace(e.currentTarget.checked)} />}
        {error && !['patientId', 'consentId', 'quote', 'source', 'saidOn'].includes(error.field ?? '') && <Alert color="red" variant="light">{error.message}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button onClick={save} loading={busy} data-testid="testimonial-save">{editing ? 'Save changes' : 'Add testimonial'}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
