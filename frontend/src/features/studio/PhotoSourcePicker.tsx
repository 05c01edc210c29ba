import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, Image, Loader, Radio, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconInfoCircle, IconPhotoUp } from '@tabler/icons-react';
import { fileToBase64 } from '../../api/brand';
import { toAppError } from '../../api/errors';
import {
  consentPhotos, photoFromConsent, uploadPhoto, type StudioConsentChoice, type StudioOption, type StudioPhoto, type StudioPhotoSlot,
} from '../../api/studio';

/**
 * Asks where a photo comes from before it can be placed: chosen from a
 * patient's signed consent (the consent is then checked wherever the image
 * is used), or declared as showing no patient. A photo with neither cannot
 * be placed, so the file picker opens only after a declaration is chosen.
 */

type Kind = '' | 'consent' | 'declared';

interface Props {
  slot: StudioPhotoSlot;
  declarations: StudioOption[];
  maxMb: number;
  formatsNote: string;
  /** A photo opened with its provenance, the URL to draw it from, and what to do before using it. */
  onPicked: (photo: StudioPhoto, url: string, note?: string) => void;
  onError: (message: string) => void;
}

export function PhotoSourcePicker({ slot, declarations, maxMb, formatsNote, onPicked, onError }: Props) {
  const [kind, setKind] = useState<Kind>('');
  const [declared, setDeclared] = useState('');
  const [busy, setBusy] = useState(false);
  const id = `photo-source-${slot.id}`;

  const onDrop = async (files: File[]) => {
    const file = files[0];
    if (!file) return;
    setBusy(true);
    onError('');
    try {
      const photo = await uploadPhoto(file.name, await fileToBase64(file), declared);
      onPicked(photo, URL.createObjectURL(file));
    } catch (e) {
      onError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm" data-testid={id}>
      <Radio.Group
        label="Where does this photo come from?"
        description="PracticePost records it with the photo, so every post that uses the image is checked against it."
        value={kind}
        onChange={(v) => {
          setKind(v as Kind);
          onError('');
        }}
      >
        <Stack gap={6} mt={6}>
          <Radio value="consent" label="From a patient's signed consent"
            description="A photo the patient agreed to. Their consent is checked whenever the image is used." />
          <Radio value="declared" label="A photo that shows no patient"
            description="Our team, our premises, a stock photo or an illustration. Your declaration goes in the activity log." />
        </Stack>
      </Radio.Group>

      {kind === '' && (
        <Text size="xs" c="dimmed" data-testid={`${id}-why`}>
          Choose where the photo comes from first: a photo that is neither a consented patient photo nor declared cannot be placed.
        </Text>
      )}

      {kind === 'consent' && (
        <ConsentPhotoChooser slot={slot} onPicked={onPicked} onError={onError} />
      )}

      {kind === 'declared' && (
        <>
          <Radio.Group label="What does the photo show?" value={declared} onChange={setDeclared}>
            <Stack gap={4} mt={6}>
              {declarations.map((d) => <Radio key={d.value} value={d.value} label={d.label} />)}
            </Stack>
          </Radio.Group>
          {declared ? (
            <Dropzone
              onDrop={onDrop}
              multiple={false}
              loading={busy}
              maxSize={maxMb * 1024 * 1024}
              onReject={(r) => onError(r[0]?.errors[0]?.code === 'file-too-large'
                ? `${r[0].file.name} is larger than ${maxMb} MB. Save a smaller copy and add it again.`
                : 'Add one photo at a time.')}
              data-testid={`photo-dropzone-${slot.id}`}
              radius="md"
              p="md"
            >
              <Group gap="sm" wrap="nowrap" style={{ pointerEvents: 'none' }}>
                <IconPhotoUp size={28} stroke={1.5} color="var(--mantine-color-teal-7)" />
                <div>
                  <Text size="sm">Drag a photo here or click to choose</Text>
                  <Text size="xs" c="dimmed">{formatsNote} It stays on this computer.</Text>
                </div>
              </Group>
            </Dropzone>
          ) : (
            // Not a button: nothing can be chosen until the declaration is made, and it says so.
            <Group gap="sm" wrap="nowrap" p="md" data-testid={`photo-dropzone-waiting-${slot.id}`}
              style={{ border: '1px dashed var(--mantine-color-gray-4)', borderRadius: 8, color: 'var(--mantine-color-dimmed)' }}>
              <IconPhotoUp size={28} stroke={1.5} />
              <Text size="sm">Choose what the photo shows first, then add the photo.</Text>
            </Group>
          )}
        </>
      )}
      {busy && <Group gap="xs"><Loader size="xs" /><Text size="xs">Opening the photo…</Text></Group>}
    </Stack>
  );
}

/** Pick a consent, then one of its photos, then say whether it shows the face. */
function ConsentPhotoChooser({ slot, onPicked, onError }: Pick<Props, 'slot' | 'onPicked' | 'onError'>) {
  const [list, setList] = useState<StudioConsentChoice[] | null>(null);
  const [loadError, setLoadError] = useState('');
  const [consentId, setConsentId] = useState<string | null>(null);
  const [sha, setSha] = useState('');
  const [face, setFace] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    consentPhotos().then((l) => setList(l ?? [])).catch((e) => setLoadError(toAppError(e).message));
  }, []);

  if (loadError) return <Alert color="red" variant="light">{loadError}</Alert>;
  if (list === null) return <Group gap="xs"><Loader size="xs" /><Text size="xs">Reading the signed consents…</Text></Group>;
  const usable = list.filter((c) => c.usable);
  const unusable = list.filter((c) => !c.usable);
  if (usable.length === 0) {
    return (
      <Alert variant="light" color="gray" icon={<IconInfoCircle />} data-testid={`consent-photos-none-${slot.id}`}>
        No signed consent that can be used today covers a photo. Ask the patient for consent with the photo (Patients or Testimonials →
        Ask for consent), then choose it here.
        {unusable.length > 0 && <UnusableList list={unusable} />}
      </Alert>
    );
  }
  const chosen = usable.find((c) => String(c.consentId) === consentId) ?? null;
  const photo = chosen?.photos.find((p) => p.sha256 === sha) ?? null;
  const why = !chosen ? 'Choose the consent first.' : !photo ? 'Choose one of the consent’s photos first.' : '';

  const use = async () => {
    if (!chosen || !photo) return;
    setBusy(true);
    onError('');
    try {
      const p = await photoFromConsent(chosen.consentId, photo.sha256, face && chosen.faceAllowed);
      onPicked(p, photo.url, chosen.faceAllowed ? undefined
        : `${chosen.patientName}'s consent does not allow their face to be shown: drag a box over the face to blur it, or set the focal point so the crop leaves it out.`);
    } catch (e) {
      onError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm">
      <Select
        label="Consent"
        placeholder="Choose the patient's consent"
        data={usable.map((c) => ({ value: String(c.consentId), label: `${c.patientName} · consent ${c.consentId}, signed ${c.signedOn}` }))}
        value={consentId}
        onChange={(v) => {
          setConsentId(v);
          setSha('');
          setFace(false);
        }}
        searchable
        nothingFoundMessage="No consent matches"
        data-testid={`consent-picker-${slot.id}`}
      />
      {unusable.length > 0 && <UnusableList list={unusable} />}
      {chosen && (
        <Radio.Group label="Which photo?" value={sha} onChange={setSha}>
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs" mt={6}>
            {chosen.photos.map((p, i) => (
              <Radio.Card key={p.sha256} value={p.sha256} radius="md" p={6} data-testid="consent-photo"
                aria-label={`${p.label || `Photo ${i + 1}`}${p.kind === 'before_after' ? ' (before and after)' : ''}`}>
                <Stack gap={4} align="center">
                  <Image src={p.url} alt="" h={84} w="100%" fit="cover" radius="sm" />
                  <Group gap={6} wrap="nowrap">
                    <Radio.Indicator size="xs" />
                    <Text size="xs" truncate>{p.label || `Photo ${i + 1}`}{p.kind === 'before_after' ? ' · before/after' : ''}</Text>
                  </Group>
                </Stack>
              </Radio.Card>
            ))}
          </SimpleGrid>
        </Radio.Group>
      )}
      {chosen && (
        <Checkbox
          label="Shows the patient's face"
          checked={face && chosen.faceAllowed}
          disabled={!chosen.faceAllowed}
          onChange={(e) => setFace(e.currentTarget.checked)}
          description={chosen.faceAllowed
            ? 'Tick it if the face can be seen in the photo as you will use it.'
            : `${chosen.patientName}'s consent does not allow their face to be shown, so this cannot be ticked. Use a photo without the face, or crop or blur the face out after adding it.`}
          data-testid={`shows-face-${slot.id}`}
        />
      )}
      {photo?.kind === 'before_after' && (
        <Text size="xs" c="dimmed">Recorded as a before-and-after photo, which the consent must allow.</Text>
      )}
      <Group gap="sm">
        <Button onClick={use} loading={busy} disabled={!!why} data-testid={`use-consent-photo-${slot.id}`}>Use this photo</Button>
        {why && <Text size="xs" c="dimmed">{why}</Text>}
      </Group>
    </Stack>
  );
}

function UnusableList({ list }: { list: StudioConsentChoice[] }) {
  return (
    <Stack gap={2} mt={4} data-testid="consent-photos-unusable">
      <Text size="xs" fw={500}>Not offered:</Text>
      {list.map((c) => (
        <Text key={c.consentId} size="xs" c="dimmed">{c.patientName} (consent {c.consentId}, signed {c.signedOn}): {c.reason}</Text>
      ))}
    </Stack>
  );
}
