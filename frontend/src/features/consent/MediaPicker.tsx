import { useState } from 'react';
import { ActionIcon, Alert, Group, Image, Paper, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconPhotoPlus, IconTrash } from '@tabler/icons-react';
import { fileToBase64 } from '../../api/brand';
import { uploadMedia } from '../../api/consent';
import { toAppError } from '../../api/errors';
import type { ConsentMedia } from '../../api/types';

export interface PickedMedia extends ConsentMedia {
  url: string;
}

interface Props {
  value: PickedMedia[];
  onChange: (m: PickedMedia[]) => void;
}

const roles = [
  { value: 'photo', label: 'Photo' },
  { value: 'before', label: 'Before (of a before-and-after pair)' },
  { value: 'after', label: 'After (of a before-and-after pair)' },
];

function roleOf(m: ConsentMedia) {
  if (m.kind !== 'before_after') return 'photo';
  return m.label.toLowerCase().startsWith('after') ? 'after' : 'before';
}

/** Photos the consent or testimonial covers, each marked as a photo or as half of a before-and-after pair. */
export function MediaPicker({ value, onChange }: Props) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const add = async (files: File[]) => {
    setError('');
    setBusy(true);
    const next = [...value];
    for (const f of files) {
      try {
        const m = await uploadMedia(f.name, await fileToBase64(f));
        if (!next.some((x) => x.sha256 === m.sha256)) next.push({ sha256: m.sha256, url: m.url, kind: 'photo', label: `Photo ${next.length + 1}` });
      } catch (e) {
        setError(toAppError(e).message);
      }
    }
    onChange(next);
    setBusy(false);
  };

  const setRole = (i: number, role: string) => {
    onChange(value.map((m, j) => (j !== i ? m : role === 'photo' ? { ...m, kind: 'photo', label: `Photo ${i + 1}` } : { ...m, kind: 'before_after', label: role === 'before' ? 'Before' : 'After' })));
  };

  return (
    <Stack gap="sm">
      {value.length > 0 && (
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
          {value.map((m, i) => (
            <Paper key={m.sha256} withBorder p="xs" radius="md">
              <Image src={m.url} h={110} fit="contain" alt={m.label} radius="sm" bg="gray.0" />
              <Group gap={4} mt={6} wrap="nowrap">
                <Select size="xs" data={roles} value={roleOf(m)} onChange={(r) => r && setRole(i, r)} aria-label={`Photo ${i + 1} type`} style={{ flex: 1 }} allowDeselect={false} />
                <ActionIcon variant="subtle" color="red" aria-label={`Remove photo ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Paper>
          ))}
        </SimpleGrid>
      )}
      <Dropzone onDrop={add} accept={['image/png', 'image/jpeg']} loading={busy} multiple data-testid="media-dropzone" p="md"
        onReject={() => setError('Only PNG and JPEG photos can be added.')}>
        <Group justify="center" gap="sm" mih={48} style={{ pointerEvents: 'none' }}>
          <IconPhotoPlus size={26} stroke={1.5} />
          <Text size="sm">Drop photos here or click to choose (PNG or JPEG)</Text>
        </Group>
      </Dropzone>
      {error && <Alert color="red" variant="light" data-testid="media-error">{error}</Alert>}
    </Stack>
  );
}

/** Before-and-after images only make sense as a pair. */
export function pairProblem(m: ConsentMedia[]): string {
  const b = m.filter((x) => x.kind === 'before_after' && x.label === 'Before').length;
  const a = m.filter((x) => x.kind === 'before_after' && x.label === 'After').length;
  return b !== a ? 'A before-and-after pair needs one “Before” and one “After” photo.' : '';
}
