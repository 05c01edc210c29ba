import { useState } from 'react';
import { Alert, SegmentedControl, Stack, Text } from '@mantine/core';
import { setImageRoute } from '../../api/channels';
import { toAppError } from '../../api/errors';
import type { ChannelView } from '../../api/types';

/**
 * Instagram only: which way its images travel (Instagram downloads them).
 * Through the linked Facebook Page needs no storage bucket; where both
 * routes are open the practice chooses.
 */
export function ImageRoute({ c }: { c: ChannelView }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const r = c.images;
  if (c.platform !== 'instagram' || !r) return null;
  const choose = async (route: string) => {
    setBusy(true);
    setError('');
    try {
      await setImageRoute(c.id, route);
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={6} mt="sm" data-testid="instagram-image-route" data-route={r.route}>
      <Text size="sm" fw={600}>Images</Text>
      {r.canChoose && (
        <SegmentedControl size="xs" disabled={busy} value={r.route} onChange={choose} aria-label="How images reach Instagram"
          data={[{ value: 'page', label: 'Through the Facebook Page' }, { value: 'bucket', label: 'Through the storage bucket' }]} />
      )}
      {r.route ? (
        <Text size="sm" c="dimmed" data-testid="instagram-image-note">{r.note}</Text>
      ) : (
        <Alert color="orange" variant="light" p="xs" data-testid="instagram-image-note">{r.note}</Alert>
      )}
      {error && <Alert color="red" variant="light" p="xs">{error}</Alert>}
    </Stack>
  );
}
