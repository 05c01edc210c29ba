import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Paper, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconFileText } from '@tabler/icons-react';
import { consentWording, restoreShippedWording, saveConsentWording, type WordingView } from '../../api/consentWording';
import { getBrand } from '../../api/brand';
import { toAppError, type AppError } from '../../api/errors';
import { formatWhen } from '../../format';

const countries = [
  { value: 'GB', label: 'UK: UK GDPR explicit consent' },
  { value: 'US', label: 'US: HIPAA authorization' },
];

/** Settings → Consent wording: the practice's own words for each consent form, saved as versions. */
export function ConsentWordingPanel() {
  const [country, setCountry] = useState<string | null>(null);
  const [view, setView] = useState<WordingView | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState('');

  // Start on the practice's own country; the other form stays one click away.
  useEffect(() => {
    getBrand().then((b) => setCountry(b.kit.country === 'US' ? 'US' : 'GB')).catch(() => setCountry('GB'));
  }, []);

  const show = (v: WordingView) => {
    setView(v);
    setText(v.markdown);
  };
  const load = useCallback((c: string) => {
    setView(null);
    setError(null);
    consentWording(c).then(show).catch((e) => setError(toAppError(e)));
  }, []);
  useEffect(() => {
    if (country) load(country);
  }, [country, load]);

  const run = async (what: string, fn: () => Promise<WordingView>) => {
    if (!view) return;
    setBusy(what);
    setError(null);
    try {
      const before = view.version;
      const v = await fn();
      show(v);
      notifications.show({
        color: 'teal',
        message: v.version === before ? 'The wording is unchanged, so no new version was made.' : `Saved as version ${v.version}. New consent requests use it.`,
      });
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy('');
    }
  };

  const changed = view !== null && text.replace(/\r\n/g, '\n') !== view.markdown;
  const textError = error?.field === 'markdown' ? error.message : null;

  return (
    <Stack gap="md" maw={900} data-testid="consent-wording-panel">
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="xs">
          <Group gap="xs"><IconFileText size={20} /><Title order={2} size="h4">Consent wording</Title></Group>
          {view && (
            <Group gap="xs">
              <Badge variant="light" data-testid="wording-version">Version {view.version}</Badge>
              {view.shipped && <Badge variant="light" color="gray">Shipped wording</Badge>}
            </Group>
          )}
        </Group>
        <Text size="sm">
          Change the words of the consent form in your own way. Words in double braces, such as <code>{'{{patient_name}}'}</code>, are
          filled in by PracticePost: keep them as they are. Each save is a new version used by new requests; consents already signed keep
          the exact words they showed.
        </Text>
        {view && (
          <Text size="sm" c="dimmed" mt="xs" data-testid="wording-saved">
            Version {view.version}, saved {formatWhen(view.savedAt)} by {view.savedBy}.
          </Text>
        )}
      </Paper>

      <SegmentedControl value={country ?? 'GB'} onChange={setCountry} data={countries} disabled={busy !== '' || changed}
        aria-label="Form" />
      {changed && <Text size="xs" c="dimmed">Save or undo your change to switch forms.</Text>}

      {!view && !error && <Loader />}
      {view && (
        <>
          <Textarea
            label="Form text (Markdown)"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autosize
            minRows={16}
            maxRows={30}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          />
          {textError && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} data-testid="wording-problems">
              <Text size="sm" style={{ whiteSpace: 'pre-line' }}>{textError}</Text>
            </Alert>
          )}
          <Group justify="space-between">
            <Button variant="default" onClick={() => run('restore', () => restoreShippedWording(view.country))}
              loading={busy === 'restore'} disabled={busy !== '' || (view.shipped && !changed)}>
              Restore the shipped wording
            </Button>
            <Group gap="xs">
              <Button variant="subtle" onClick={() => { setText(view.markdown); setError(null); }} disabled={!changed || busy !== ''}>
                Undo changes
              </Button>
              <Button onClick={() => run('save', () => saveConsentWording(view.country, text))} loading={busy === 'save'}
                disabled={!changed || busy !== ''}>
                Save
              </Button>
            </Group>
          </Group>
        </>
      )}
      {error && !textError && <Alert color="red" variant="light">{error.message}</Alert>}
    </Stack>
  );
}
