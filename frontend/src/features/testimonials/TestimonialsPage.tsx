import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Image, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconQuote } from '@tabler/icons-react';
import { ConsentEvents } from '../../api/consent';
import { toAppError } from '../../api/errors';
import { onEvent } from '../../api/system';
import { listTestimonials } from '../../api/testimonials';
import type { TestimonialView } from '../../api/types';
import { StatusBadge } from '../consent/StatusBadge';
import { AddTestimonialModal } from './AddTestimonialModal';
import { VerdictGrid } from './VerdictGrid';

const nameLabel: Record<string, string> = { full_name: 'full name', first_name: 'first name', initials: 'initials', anonymous: 'anonymous' };

export function TestimonialsPage({ go }: { go: (to: string) => void }) {
  const [items, setItems] = useState<TestimonialView[] | null>(null);
  const [error, setError] = useState('');
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    const load = () => listTestimonials().then(setItems).catch((e) => setError(toAppError(e).message));
    load();
    return onEvent(ConsentEvents.changed, load);
  }, []);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Testimonials</Title>
          <Text c="dimmed">What patients said, and where each may be published today under their consent.</Text>
        </div>
        <Button leftSection={<IconPlus size={18} />} onClick={() => setAdding(true)}>Add testimonial</Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {items && items.length === 0 && (
        <Card withBorder padding="xl">
          <Text c="dimmed">No testimonials yet. Asking a patient for consent adds the testimonial they agreed to.</Text>
        </Card>
      )}
      {items?.map((t) => (
        <Card key={t.testimonial.id} withBorder padding="lg" data-testid="testimonial-card">
          <Group justify="space-between" align="flex-start" wrap="nowrap" mb="sm">
            <Group gap="sm" align="flex-start" wrap="nowrap" style={{ minWidth: 0 }}>
              <IconQuote size={26} color="var(--mantine-color-teal-6)" style={{ flexShrink: 0 }} />
              <div style={{ minWidth: 0 }}>
                {t.testimonial.quote && <Text size="lg" style={{ whiteSpace: 'pre-wrap' }}>{t.testimonial.quote}</Text>}
                <Text size="sm" c="dimmed" mt={4}>
                  {t.patientName} · {t.testimonial.source}{t.testimonial.saidOn ? ` · ${t.testimonial.saidOn}` : ''} · posts name them by {nameLabel[t.testimonial.nameAs] ?? t.testimonial.nameAs}
                </Text>
              </div>
            </Group>
            <Badge size="lg" variant="light" tt="none" color={t.publishable === 0 ? 'red' : 'teal'} style={{ flexShrink: 0 }} data-testid="testimonial-summary">
              {t.publishable === 0 ? 'Blocked everywhere' : `${t.publishable} of ${t.verdicts.length} channels`}
            </Badge>
          </Group>
          {t.media.length > 0 && (
            <Group gap="xs" mb="sm">
              {t.media.map((m) => (
                <Stack key={m.sha256} gap={0} align="center">
                  <Image src={m.url} h={64} w={64} fit="cover" radius="sm" alt={m.label} />
                  <Text size="xs" c="dimmed">{m.label}</Text>
                </Stack>
              ))}
            </Group>
          )}
          <Group gap="xs" mb="sm">
            {t.consent ? (
              <>
                <StatusBadge status={t.consent.status} />
                <Text size="sm">{t.consent.statusText}.</Text>
                <Anchor size="sm" onClick={() => go(`consents/${t.consent!.id}`)}>Consent #{t.consent.id}</Anchor>
              </>
            ) : (
              <Text size="sm" c="red.8">No signed consent yet.</Text>
            )}
          </Group>
          {t.disclosure && <Text size="sm" mb="sm">Posts must say: “{t.disclosure}”.</Text>}
          <VerdictGrid verdicts={t.verdicts} />
        </Card>
      ))}
      <AddTestimonialModal opened={adding} onClose={() => setAdding(false)}
        onCreated={(t) => {
          setAdding(false);
          setItems((xs) => [t, ...(xs ?? [])]);
          notifications.show({ color: 'teal', message: 'Testimonial added.' });
        }} />
    </Stack>
  );
}
