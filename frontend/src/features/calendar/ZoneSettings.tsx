import { useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Group, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { calendarSettings, saveCalendarSettings } from '../../api/calendar';
import { toAppError } from '../../api/errors';
import type { CalendarSettings } from '../../api/types';

// Settings → Calendar: the practice's time zone (posts are planned in its
// wall-clock time) and the specialties that pick its awareness days.
export function ZoneSettings() {
  const [st, setSt] = useState<CalendarSettings | null>(null);
  const [zone, setZone] = useState<string | null>(null);
  const [specs, setSpecs] = useState<string[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    calendarSettings()
      .then((s) => {
        setSt(s);
        setZone(s.zone);
        setSpecs(s.specialties ?? []);
      })
      .catch((e) => setError(toAppError(e).message));
  }, []);
  const save = async () => {
    setError('');
    try {
      const s = await saveCalendarSettings(zone ?? '', specs);
      setSt(s);
      notifications.show({ color: 'teal', message: 'Calendar settings saved.' });
    } catch (e) {
      setError(toAppError(e).message);
    }
  };
  if (!st) return error ? <Alert color="red">{error}</Alert> : null;
  return (
    <Card withBorder padding="lg" maw={640}>
      <Stack gap="md">
        <Title order={2} size="h4">Calendar</Title>
        <Select
          label="Practice time zone"
          description={`Posts are planned at the practice's local time: 09:00 stays 09:00 when the clocks change.${st.osZone ? ` This computer is set to ${st.osZone}.` : ''}`}
          data={st.zones}
          value={zone}
          onChange={setZone}
          searchable
        />
        <Checkbox.Group label="Specialties" description="Picks the health awareness days the calendar highlights." value={specs} onChange={setSpecs}>
          <Group mt="xs">
            {st.specialtyChoices.map((c) => <Checkbox key={c.value} value={c.value} label={c.label} />)}
          </Group>
        </Checkbox.Group>
        {error && <Alert color="red">{error}</Alert>}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">Now: {st.zoneLabel}</Text>
          <Button onClick={save}>Save</Button>
        </Group>
      </Stack>
    </Card>
  );
}
