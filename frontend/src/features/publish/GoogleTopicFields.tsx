import { Checkbox, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { GoogleTopic } from '../../api/types';
import { PickDateField } from '../dates/PickDateField';
import { TimeField } from '../dates/TimeField';

export const emptyTopic: GoogleTopic = {
  type: 'STANDARD', title: '', startDate: '', startClock: '09:00', endDate: '', endClock: '17:00', allDay: false,
  couponCode: '', redeemUrl: '', terms: '', action: '', actionUrl: '',
};

const actions = [
  { value: '', label: 'No button (or “Learn more” for the post’s link)' },
  { value: 'BOOK', label: 'Book' },
  { value: 'CALL', label: 'Call now (the profile’s phone number)' },
  { value: 'LEARN_MORE', label: 'Learn more' },
  { value: 'SIGN_UP', label: 'Sign up' },
  { value: 'ORDER', label: 'Order online' },
  { value: 'SHOP', label: 'Buy' },
];

/** Google Business Profile only: make the post an event or an offer, and pick its button. */
export function GoogleTopicFields({ value, onChange, error }: { value: GoogleTopic; onChange: (t: GoogleTopic) => void; error?: string }) {
  const set = (patch: Partial<GoogleTopic>) => onChange({ ...value, ...patch });
  const dated = value.type === 'EVENT' || value.type === 'OFFER';
  return (
    <Paper withBorder radius="md" p="sm" bg="gray.0" data-testid="google-topic">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text size="sm" fw={600}>Google Business Profile post</Text>
          <SegmentedControl size="xs" value={value.type} onChange={(v) => set({ type: v as GoogleTopic['type'] })} data-testid="google-type"
            data={[{ value: 'STANDARD', label: 'Update' }, { value: 'EVENT', label: 'Event' }, { value: 'OFFER', label: 'Offer' }]} />
        </Group>
        {dated && (
          <>
            <TextInput size="xs" label={value.type === 'EVENT' ? 'Event title' : 'Offer title'} maxLength={58} value={value.title}
              onChange={(e) => set({ title: e.currentTarget.value })} data-testid="google-title" />
            <SimpleGrid cols={4} spacing="xs">
              <PickDateField size="xs" label="Starts" value={value.startDate} onChange={(v) => set({ startDate: v })} testId="google-start-date" />
              <TimeField size="xs" label="Starts at" disabled={value.allDay} value={value.startClock} onChange={(v) => set({ startClock: v })} testId="google-start-clock" />
              <PickDateField size="xs" label="Ends" value={value.endDate} onChange={(v) => set({ endDate: v })} testId="google-end-date" />
              <TimeField size="xs" label="Ends at" disabled={value.allDay} value={value.endClock} onChange={(v) => set({ endClock: v })} testId="google-end-clock" />
            </SimpleGrid>
            <Checkbox size="xs" label="All day (dates only)" checked={value.allDay} onChange={(e) => set({ allDay: e.currentTarget.checked })} />
          </>
        )}
        {value.type === 'OFFER' ? (
          <SimpleGrid cols={3} spacing="xs">
            <TextInput size="xs" label="Voucher code" value={value.couponCode} onChange={(e) => set({ couponCode: e.currentTarget.value })} />
            <TextInput size="xs" label="Redeem online at" placeholder="https://" value={value.redeemUrl} onChange={(e) => set({ redeemUrl: e.currentTarget.value })} />
            <TextInput size="xs" label="Terms" value={value.terms} onChange={(e) => set({ terms: e.currentTarget.value })} />
          </SimpleGrid>
        ) : (
          <Group grow align="flex-end">
            <Select size="xs" label="Button" data={actions} value={value.action} onChange={(v) => set({ action: v ?? '' })} allowDeselect={false} data-testid="google-action" />
            {value.action && value.action !== 'CALL' && (
              <TextInput size="xs" label="Button opens" placeholder="the post’s link" value={value.actionUrl} onChange={(e) => set({ actionUrl: e.currentTarget.value })} />
            )}
          </Group>
        )}
        {error && <Text size="xs" c="red" data-testid="google-topic-error">{error}</Text>}
      </Stack>
    </Paper>
  );
}
