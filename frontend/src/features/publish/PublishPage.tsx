import { Alert, Anchor, Badge, Group, Image, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { getDraft } from '../../api/drafts';
import { useLoaded } from '../../useLoaded';
import type { DraftView } from '../../api/types';
import { PublishPanel } from './PublishPanel';
import { PostNumbers } from '../insights/PostNumbers';

/** A draft on its way out: what will be posted, and the publish panel. */
export function PublishPage({ draftId }: { draftId: number }) {
  const { value: view, error, reload: load } = useLoaded<DraftView>(() => getDraft(draftId), [draftId], ['drafts:changed']);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!view) return <Loader />;
  const d = view.draft;
  const reason = view.check.blocked ? view.check.reasons.join(' ') : view.publishReason;
  return (
    <Stack gap="md">
      <div>
        <Group gap="xs">
          <Title order={1} size="h2">Publish “{d.title || 'Untitled post'}”</Title>
          <Badge variant="light">{d.status}</Badge>
        </Group>
        <Text c="dimmed">
          The checks run again as it goes out. <Anchor href={'#/drafts/' + d.id}>Back to the editor</Anchor>
        </Text>
      </div>
      <Paper withBorder p="md" radius="md">
        <Group align="flex-start" wrap="nowrap" gap="md">
          {d.media?.length > 0 && <Image src={`/media/${d.media[0].sha256}`} w={120} h={120} radius="sm" fit="cover" alt={d.media[0].altText} />}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="publish-text">{d.body}</Text>
        </Group>
      </Paper>
      <PublishPanel draftId={d.id} platforms={d.channels} reason={reason} zone={view.zone} checks={view.check.channels} onDone={load} />
      <PostNumbers draftId={d.id} />
    </Stack>
  );
}
