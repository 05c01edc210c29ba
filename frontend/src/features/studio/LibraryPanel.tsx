import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Badge, Card, Group, Image, Loader, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPhotoOff, IconTrash } from '@tabler/icons-react';
import { toAppError } from '../../api/errors';
import { deleteMedia, studioLibrary, type StudioLibraryItem, type StudioSetup } from '../../api/studio';
import { formatBytes, sizeShortNames } from './design';
import { formatWhen } from '../../format';

interface Props {
  setup: StudioSetup;
  version: number; // bumped when images are kept, to reload
}

export function LibraryPanel({ setup, version }: Props) {
  const [items, setItems] = useState<StudioLibraryItem[] | null>(null);
  const [error, setError] = useState('');

  const load = () =>
    studioLibrary()
      .then((p) => {
        setItems(p.items);
        setError('');
      })
      .catch((e) => setError(toAppError(e).message));

  useEffect(() => {
    load();
  }, [version]);

  const remove = async (m: StudioLibraryItem) => {
    try {
      await deleteMedia(m.id);
      notifications.show({ color: 'teal', title: 'Removed', message: 'The image was removed from the library.' });
      load();
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not removed', message: toAppError(e).message });
    }
  };

  if (error) return <Alert color="red" title="The library could not be loaded">{error}</Alert>;
  if (!items) return <Group p="xl"><Loader size="sm" /><Text>Loading the library…</Text></Group>;
  if (!items.length) {
    return (
      <Card withBorder padding="xl">
        <Stack align="center" gap="xs">
          <IconPhotoOff size={32} color="var(--mantine-color-gray-5)" />
          <Text fw={500}>Nothing kept yet</Text>
          <Text size="sm" c="dimmed">Render a design in the Design tab and click “Keep in library” to keep its sizes here for drafts.</Text>
        </Stack>
      </Card>
    );
  }

  // One card per design, its sizes side by side.
  const sets: StudioLibraryItem[][] = [];
  for (const m of items) {
    const last = sets[sets.length - 1];
    if (last && last[0].setId === m.setId) last.push(m);
    else sets.push([m]);
  }
  const templateName = (id: string) => setup.templates.find((t) => t.id === id)?.name ?? id;

  return (
    <Stack gap="md" data-testid="library">
      {sets.map((set) => (
        <Card key={set[0].setId} withBorder padding="md">
          <Group justify="space-between" mb={4}>
            <Text fw={600}>{templateName(set[0].template)}</Text>
            <Text size="xs" c="dimmed">{formatWhen(set[0].createdAt)}</Text>
          </Group>
          <Text size="sm" c="dimmed" lineClamp={2}>Alt text: {set[0].altText}</Text>
          <Text size="xs" mb="sm" c={set[0].sourcesKnown ? 'dimmed' : 'orange.9'} data-testid="library-provenance">{set[0].provenance}</Text>
          <SimpleGrid cols={6} spacing="sm">
            {[...set].reverse().map((m) => (
              <Stack key={m.id} gap={4} data-testid="library-item">
                <Image src={m.url} alt={m.altText} h={110} fit="contain" bg="gray.1" radius="sm" />
                <Group justify="space-between" gap={2} wrap="nowrap">
                  <Badge size="xs" variant="light">{sizeShortNames[m.sizeId] ?? m.sizeId}</Badge>
                  <Tooltip label="Remove from the library">
                    <ActionIcon size="sm" variant="subtle" color="red" aria-label={`Remove ${m.sizeId} image`} onClick={() => remove(m)}>
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
                <Text size="xs" c="dimmed">{m.width}×{m.height} · {formatBytes(m.bytes)}</Text>
              </Stack>
            ))}
          </SimpleGrid>
        </Card>
      ))}
    </Stack>
  );
}
