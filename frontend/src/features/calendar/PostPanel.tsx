import { useRef } from 'react';
import { Alert, Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconCalendar } from '@tabler/icons-react';
import type { CalendarPost, ChannelView, JobView } from '../../api/types';
import { JobItem, reconnectNote } from '../publish/JobActions';
import { PostNumbers } from '../insights/PostNumbers';
import { pillarColors } from './colors';
import { formatWallClock } from '../../format';

/** A queued post from the calendar: where it stands on each channel, with its actions. */
export function PostPanel({ post: current, jobs: currentJobs, channels, onClose, go, onChanged }: {
  post: CalendarPost | null;
  jobs: JobView[];
  channels: ChannelView[];
  onClose: () => void;
  go: (to: string) => void;
  onChanged: () => void;
}) {
  // The last post stays on the panel while it fades out.
  const last = useRef<{ post: CalendarPost; jobs: JobView[] } | null>(null);
  if (current) last.current = { post: current, jobs: currentJobs };
  const post = last.current?.post ?? null;
  const jobs = current ? currentJobs : last.current?.jobs ?? [];
  const missed = jobs.filter((j) => j.state === 'missed').length;
  return (
    <Modal opened={!!current} onClose={onClose} size="lg" title={<Text fw={700}>{post?.title}</Text>}>
      {post && (
        <Stack gap="sm" data-testid="post-panel">
          <Group gap={6}>
            <Badge variant="light" color="gray" tt="none" leftSection={<IconCalendar size={12} />}>{formatWallClock(post.start)}{post.zone ? ` (${post.zone})` : ''}</Badge>
            {pillarColors[post.pillar] && <Badge variant="light" color={pillarColors[post.pillar].name}>{pillarColors[post.pillar].label}</Badge>}
            {post.localNote && <Text size="xs" c="dimmed">{post.localNote}</Text>}
          </Group>
          {missed > 0 && (
            <Alert color="orange" variant="light" title="Missed while PracticePost was closed" data-testid="post-missed-alert">
              Its time passed while PracticePost was not running, so PracticePost did not post it late on its own. Choose what to do for each channel below.
            </Alert>
          )}
          {jobs.map((j) => (
            <JobItem key={j.id} job={j} reconnect={reconnectNote(channels, j.channel)} onChanged={onChanged} />
          ))}
          {/* Once it has gone out, its numbers per channel (nothing shows before). */}
          <PostNumbers draftId={post.id} />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {jobs.some((j) => ['queued', 'waiting', 'missed', 'failed', 'scheduled_remote'].includes(j.state))
                ? 'Drag the post in the calendar to move it with every channel still waiting.'
                : ''}
            </Text>
            <Group gap="xs">
              <Button variant="default" size="xs" onClick={() => go('drafts/' + post.id)}>Open the post</Button>
              <Button variant="light" size="xs" onClick={onClose} data-testid="post-panel-close">Close</Button>
            </Group>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
