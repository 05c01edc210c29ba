import { useState } from 'react';
import {
  Alert, Badge, Box, Button, Card, Checkbox, Group, Image, List, SimpleGrid, Stack, Text, Textarea, TextInput, Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconBookmark, IconFileExport, IconFolderOpen, IconPencil } from '@tabler/icons-react';
import { createDraft } from '../../api/drafts';
import { toAppError } from '../../api/errors';
import { getTestimonial } from '../../api/testimonials';
import { allowedPostChannels } from '../testimonials/postChannels';
import { chooseExportFolder, exportRender, keepRender, type StudioLibraryItem, type StudioRender, type StudioSetup } from '../../api/studio';
import { formatBytes } from './design';

interface Props {
  setup: StudioSetup;
  render: StudioRender;
  altText: string;
  onAltText: (v: string) => void;
  onKept: () => void;
  /** Opens a new post with this design attached (the Studio's "Use in a post"). */
  onUseInPost?: (draftId: number) => void;
  testimonialId?: number;
  /** The testimonial's approved words, which a post must carry exactly. */
  quote?: string;
}

export function SizesPanel({ setup, render, altText, onAltText, onKept, onUseInPost, testimonialId = 0, quote = '' }: Props) {
  const [accept, setAccept] = useState(false);
  const [folder, setFolder] = useState(setup.exportFolder);
  const [busy, setBusy] = useState<'' | 'keep' | 'export'>('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [kept, setKept] = useState(false);
  const [exported, setExported] = useState<string[]>([]);
  const overflowSizes = render.variants.filter((v) => v.overflows.length > 0);
  const blocked = overflowSizes.length > 0 && !accept;

  const fail = (title: string, e: unknown) => {
    const err = toAppError(e);
    // A problem with one field is shown under that field, not as an alarm.
    if (err.field === 'altText' || err.field === 'folder' || err.field === 'overflow') {
      setErrors({ [err.field]: err.message });
      return;
    }
    notifications.show({ color: 'red', title, message: err.message, autoClose: 10000 });
  };

  const [keptItems, setKeptItems] = useState<StudioLibraryItem[]>([]);
  const keep = async (): Promise<StudioLibraryItem[] | null> => {
    setBusy('keep');
    setErrors({});
    try {
      const lib = await keepRender(render.id, altText, accept);
      setKept(true);
      onKept();
      // The set just kept: the newest set in the library.
      const items = lib.items ?? [];
      const mine = items.filter((i) => i.setId === items[0]?.setId);
      setKeptItems(mine);
      notifications.show({ color: 'teal', title: 'Kept in the library', message: `${lib.items.length} images are in Studio → Library, with their alt text.` });
      return mine;
    } catch (e) {
      fail('Not kept', e);
      return null;
    } finally {
      setBusy('');
    }
  };

  // Keeps the design (if not yet kept) and opens a new post with it.
  const useInPost = async () => {
    const items = kept ? keptItems : await keep();
    if (!items || !items.length || !onUseInPost) return;
    const square = items.find((i) => i.sizeId === 'square') ?? items[0];
    try {
      // A quote card starts its post on the channels the consent allows, as
      // the testimonial's own "Use in a post" does.
      const channels = testimonialId ? allowedPostChannels((await getTestimonial(testimonialId)).verdicts) : undefined;
      const v = await createDraft({
        title: testimonialId ? `Testimonial ${testimonialId}` : '',
        body: testimonialId && quote ? `“${quote}”` : '',
        pillar: testimonialId ? 'testimonial' : '',
        testimonials: testimonialId ? [testimonialId] : [],
        ...(channels ? { channels } : {}),
        // The whole design: each channel gets the size its platform takes.
        media: [{ mediaId: square.id, sha256: square.sha256, altText: square.altText, setId: square.setId }],
      });
      onUseInPost(v.draft.id);
    } catch (e) {
      fail('No post made', e);
    }
  };

  const exportNow = async () => {
    setBusy('export');
    setErrors({});
    try {
      const out = await exportRender(render.id, folder, altText, accept);
      setExported(out.files);
      notifications.show({ color: 'teal', title: 'Images saved', message: `${out.files.length} images and the alt text are in ${out.folder}.` });
    } catch (e) {
      fail('Not exported', e);
    } finally {
      setBusy('');
    }
  };

  const pick = async () => {
    try {
      const dir = await chooseExportFolder();
      if (dir) setFolder(dir);
    } catch (e) {
      fail('Folder not chosen', e);
    }
  };

  return (
    <Card withBorder padding="lg" data-testid="sizes-panel">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={2} size="h4">Every size</Title>
          <Text size="sm" c="dimmed">
            Made in {(render.millis / 1000).toFixed(1)} s. Each file is a clean JPEG without camera or location data, under {formatBytes(setup.exportBudget)} so every platform takes it.
          </Text>
        </div>
      </Group>
      <SimpleGrid cols={3} spacing="md" data-testid="size-grid">
        {render.variants.map((v) => (
          <Stack key={v.sizeId} gap={6} data-testid={`variant-${v.sizeId}`}>
            <Box style={{ height: 210, display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'var(--mantine-color-gray-1)', borderRadius: 8, padding: 8 }}>
              <Image src={v.image} alt={`${v.name} version`} fit="contain" h="100%" w="auto" radius="sm"
                style={{ boxShadow: '0 1px 4px rgba(0,0,0,0.18)', maxWidth: '100%' }} />
            </Box>
            <Group justify="space-between" gap={4} wrap="nowrap">
              <Text size="sm" fw={500} truncate>{v.name.replace(/ \(.*\)$/, '')}</Text>
              {v.overflows.length > 0
                ? <Badge color="red" variant="light">Text cut off</Badge>
                : <Badge color="teal" variant="light">Fits</Badge>}
            </Group>
            <Text size="xs" c="dimmed">{v.width}×{v.height} · {formatBytes(v.bytes)}</Text>
          </Stack>
        ))}
      </SimpleGrid>

      {overflowSizes.length > 0 && (
        <Alert mt="md" color="orange" icon={<IconAlertTriangle />} title="Some text does not fit" data-testid="overflow-alert">
          <List size="sm" spacing={2}>
            {overflowSizes.flatMap((v) => v.overflows.map((o, i) => <List.Item key={v.sizeId + i}>{o.message}</List.Item>))}
          </List>
          <Checkbox mt="sm" checked={accept} onChange={(e) => setAccept(e.currentTarget.checked)} error={errors.overflow}
            label="Use these images anyway: I have looked at the cut-off text" />
        </Alert>
      )}

      <Stack gap="sm" mt="lg">
        <Textarea
          label="Alt text"
          withAsterisk
          description="Describe the image in a sentence or two. Screen readers read it aloud to people who cannot see the picture, and it is posted with every size."
          placeholder="e.g. Quote card in teal: “The whole team made me feel at ease.” A patient of Harbour Dental."
          autosize minRows={2} maxRows={5}
          value={altText}
          maxLength={setup.maxAltText}
          error={errors.altText}
          onChange={(e) => onAltText(e.currentTarget.value)}
        />
        <Group justify="space-between" align="flex-end" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Button variant="light" leftSection={<IconBookmark size={16} />} onClick={keep} loading={busy === 'keep'}
              disabled={blocked || kept}>
              {kept ? 'Kept in the library' : 'Keep in library'}
            </Button>
            {onUseInPost && (
              <Button leftSection={<IconPencil size={16} />} onClick={useInPost} disabled={blocked} data-testid="studio-use-in-post">
                Use in a post
              </Button>
            )}
          </Group>
          <Group gap="xs" align="flex-end" wrap="nowrap" style={{ flex: 1, justifyContent: 'flex-end' }}>
            <TextInput label="Export to folder" data-testid="export-folder" value={folder} error={errors.folder}
              onChange={(e) => setFolder(e.currentTarget.value)} style={{ flex: 1, maxWidth: 380 }} />
            <Button variant="default" leftSection={<IconFolderOpen size={16} />} onClick={pick}>Choose…</Button>
            <Button leftSection={<IconFileExport size={16} />} onClick={exportNow} loading={busy === 'export'} disabled={blocked}>
              Export {render.variants.length} images
            </Button>
          </Group>
        </Group>
        {exported.length > 0 && (
          <Text size="xs" c="dimmed" data-testid="export-result">Saved {exported.length} images, for example {exported[0]}</Text>
        )}
      </Stack>
    </Card>
  );
}
