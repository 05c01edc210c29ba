import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, Image, Select, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconPhotoQuestion } from '@tabler/icons-react';
import { toAppError } from '../../api/errors';
import { declareImage, sourceDeclarations, unplacedImages, type StudioOption, type StudioUnplaced } from '../../api/studio';
import { formatWhen } from '../../format';

/**
 * Home's "Images waiting for their source": library images made before
 * PracticePost recorded where their photos come from (or, for a quote card
 * typed by hand, whose words it carries). The consent gate holds every post
 * that uses one until the manager declares it here. Hidden when none wait.
 */
export function UnplacedImagesCard({ go }: { go: (to: string) => void }) {
  const [items, setItems] = useState<StudioUnplaced[]>([]);
  const [declarations, setDeclarations] = useState<StudioOption[]>([]);
  const load = useCallback(() => {
    unplacedImages().then((l) => setItems(l ?? [])).catch(() => setItems([]));
  }, []);
  useEffect(() => {
    load();
    sourceDeclarations().then((d) => setDeclarations(d ?? [])).catch(() => setDeclarations([]));
  }, [load]);

  if (items.length === 0) return null;
  const held = items.reduce((n, i) => n + i.drafts, 0);
  return (
    <Card withBorder padding="lg" style={{ borderColor: 'var(--mantine-color-orange-5)', borderWidth: 2 }} data-testid="unplaced-images">
      <Group gap="sm" mb="xs" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="filled" color="orange" size={32}><IconPhotoQuestion size={18} /></ThemeIcon>
        <div>
          <Text fw={700}>Images waiting for their source</Text>
          <Text size="sm" c="dimmed">
            {items.length} image{items.length === 1 ? '' : 's'} made before PracticePost recorded where photos come from
            {held > 0 ? ` · ${held} post${held === 1 ? '' : 's'} held until you say what they show` : ''}.
          </Text>
        </div>
      </Group>
      <Text size="sm" mb="sm">
        If an image shows no patient, say what it shows. If it shows a patient, make it again in the Studio from their consent, then remove
        this one from the library: posts that use it cannot go out.
      </Text>
      <Stack gap="sm">
        {items.map((it) => <UnplacedRow key={it.setId} item={it} declarations={declarations} onDone={setItems} />)}
      </Stack>
      <Group mt="sm">
        <Button size="xs" variant="subtle" onClick={() => go('studio')}>Open the Studio</Button>
      </Group>
    </Card>
  );
}

function UnplacedRow({ item, declarations, onDone }: { item: StudioUnplaced; declarations: StudioOption[]; onDone: (l: StudioUnplaced[]) => void }) {
  const [declared, setDeclared] = useState<string | null>(null);
  const [notPatient, setNotPatient] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const missing = [
    item.sourcesUnknown && !declared ? 'choose what the photo shows' : '',
    item.wordsUnknown && !notPatient ? 'confirm whose words they are' : '',
  ].filter(Boolean);
  const why = missing.length ? `To save, ${missing.join(' and ')}.` : '';

  const save = async () => {
    setBusy(true);
    setError('');
    try {
      onDone((await declareImage(item.setId, { declared: item.sourcesUnknown ? declared ?? '' : '', notPatientWords: item.wordsUnknown && notPatient })) ?? []);
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="sm" radius="md" data-testid="unplaced-image">
      <Group gap="md" wrap="nowrap" align="flex-start">
        <Image src={item.url} alt={item.altText} w={88} h={88} fit="cover" radius="sm" />
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6}>
            <Text fw={600} size="sm">{item.templateName}</Text>
            <Badge size="xs" variant="light" color="gray" tt="none">{item.sizes} size{item.sizes === 1 ? '' : 's'}</Badge>
            {item.drafts > 0 && <Badge size="xs" variant="light" color="orange" tt="none">in {item.drafts} post{item.drafts === 1 ? '' : 's'}</Badge>}
            <Text size="xs" c="dimmed">kept {formatWhen(item.createdAt)}</Text>
          </Group>
          <Text size="xs" c="dimmed" lineClamp={2}>{item.altText}</Text>
          {item.sourcesUnknown && (
            <Select label="What does the photo show?" placeholder="Team, premises, stock or illustration" data={declarations} value={declared}
              onChange={setDeclared} allowDeselect={false} size="xs" maw={360} data-testid="declare-select" />
          )}
          {item.wordsUnknown && (
            <Checkbox size="xs" checked={notPatient} onChange={(e) => setNotPatient(e.currentTarget.checked)}
              label="The words on this quote card are a team member's or a public figure's, not a patient's" />
          )}
          <Group gap="sm">
            <Button size="xs" onClick={save} loading={busy} disabled={!!why} data-testid="declare-save">Save declaration</Button>
            {why && <Text size="xs" c="dimmed">{why}</Text>}
          </Group>
          {error && <Alert color="red" variant="light" p="xs">{error}</Alert>}
        </Stack>
      </Group>
    </Card>
  );
}
