import { useState } from 'react';
import { ActionIcon, Alert, Box, Group, Image, Paper, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconMicrophone, IconPhotoPlus, IconTrash, IconVideo } from '@tabler/icons-react';
import { fileToBase64 } from '../../api/brand';
import { uploadMedia } from '../../api/consent';
import { toAppError } from '../../api/errors';
import type { ConsentMedia } from '../../api/types';

export interface PickedMedia extends ConsentMedia {
  url: string;
  /** Known only for a file added in this session; not sent with the request. */
  fileName?: string;
  size?: number;
}

// What the picker offers; the app checks the bytes of each file itself, so
// the extensions only help the file chooser and the drop check.
export const acceptedMedia = {
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'video/mp4': ['.mp4', '.m4v'],
  'video/quicktime': ['.mov'],
  'audio/mp4': ['.m4a'],
  'audio/x-m4a': ['.m4a'],
  'audio/mpeg': ['.mp3'],
};

const avWords: Record<string, string> = { video: 'Video', audio: 'Recording' };

export function sizeText(bytes: number): string {
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The next free default label for a video or recording: “Video 2”, “Recording 1”. */
function nextLabel(list: ConsentMedia[], kind: string): string {
  return `${avWords[kind]} ${list.filter((x) => x.kind === kind).length + 1}`;
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

/** A video or recording: its icon, name and size, and a small player to check it is the right clip. */
function AVTile({ m, index, onRemove }: { m: PickedMedia; index: number; onRemove: () => void }) {
  const video = m.kind === 'video';
  return (
    <Paper withBorder p="xs" radius="md" data-testid="media-av-tile">
      {video ? (
        <Box component="video" src={m.url} controls preload="metadata" aria-label={m.label} h={110} w="100%" bg="gray.0" style={{ borderRadius: 4, display: 'block' }} />
      ) : (
        <Box component="audio" src={m.url} controls preload="metadata" aria-label={m.label} w="100%" mt={34} mb={34} style={{ display: 'block' }} />
      )}
      <Group gap={6} mt={6} wrap="nowrap">
        {video ? <IconVideo size={18} stroke={1.6} aria-hidden /> : <IconMicrophone size={18} stroke={1.6} aria-hidden />}
        <div style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" fw={600} truncate>{m.label}</Text>
          <Text size="xs" c="dimmed" truncate>{[m.fileName, m.size ? sizeText(m.size) : ''].filter(Boolean).join(' · ') || (video ? 'Video' : 'Recording')}</Text>
        </div>
        <ActionIcon variant="subtle" color="red" aria-label={`Remove ${m.label.toLowerCase()} (item ${index + 1})`} onClick={onRemove}>
          <IconTrash size={16} />
        </ActionIcon>
      </Group>
    </Paper>
  );
}

/** Photos, videos and recordings the consent or testimonial covers. A photo is marked as a photo or as half of a
 * before-and-after pair; a video or recording takes its kind from the file itself. */
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
        if (next.some((x) => x.sha256 === m.sha256)) continue;
        const av = m.kind === 'video' || m.kind === 'audio';
        next.push({ sha256: m.sha256, url: m.url, kind: av ? m.kind : 'photo', label: av ? nextLabel(next, m.kind) : `Photo ${next.length + 1}`, fileName: f.name, size: m.size });
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
          {value.map((m, i) => (m.kind === 'video' || m.kind === 'audio' ? (
            <AVTile key={m.sha256} m={m} index={i} onRemove={() => onChange(value.filter((_, j) => j !== i))} />
          ) : (
            <Paper key={m.sha256} withBorder p="xs" radius="md">
              <Image src={m.url} h={110} fit="contain" alt={m.label} radius="sm" bg="gray.0" />
              <Group gap={4} mt={6} wrap="nowrap">
                <Select size="xs" data={roles} value={roleOf(m)} onChange={(r) => r && setRole(i, r)} aria-label={`Photo ${i + 1} type`} style={{ flex: 1 }} allowDeselect={false} />
                <ActionIcon variant="subtle" color="red" aria-label={`Remove photo ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Paper>
          )))}
        </SimpleGrid>
      )}
      <Dropzone onDrop={add} accept={acceptedMedia} loading={busy} multiple data-testid="media-dropzone" p="md"
        onReject={() => setError('Only photos (PNG or JPEG), videos (MP4 or MOV) and recordings (M4A or MP3) can be added.')}>
        <Group justify="center" gap="sm" mih={48} style={{ pointerEvents: 'none' }}>
          <IconPhotoPlus size={26} stroke={1.5} />
          <Text size="sm">Drop photos, videos or recordings here or click to choose (PNG, JPEG, MP4, MOV, M4A or MP3; videos up to 50 MB)</Text>
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
