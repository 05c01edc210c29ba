import { useEffect, useMemo, useState } from 'react';
import { Accordion, Alert, Badge, Button, Code, Group, Loader, Modal, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { licences } from '../../api/system';
import { toAppError } from '../../api/errors';
import type { Library } from '../../api/types';

/**
 * About → "Licences": every library PracticePost is built from, with the
 * licence it is used under and the licence's full text (most ask that it
 * travel with the program). The list is written at build time.
 */
export function LicencesDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [libs, setLibs] = useState<Library[] | null>(null);
  const [error, setError] = useState('');
  const [filter, setFilter] = useState('');

  useEffect(() => {
    if (!opened || libs) return;
    licences().then(setLibs).catch((e) => setError(toAppError(e).message));
  }, [opened, libs]);

  // Each entry keeps its place in the whole list: the accordion's value,
  // which becomes element ids (aria-controls), so no spaces or slashes.
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (libs ?? []).map((l, i) => ({ ...l, key: `lib-${i}` }))
      .filter((l) => !f || l.name.toLowerCase().includes(f) || l.licence.toLowerCase().includes(f));
  }, [libs, filter]);

  return (
    <Modal opened={opened} onClose={onClose} title="Licences of the libraries in PracticePost" size="xl" data-testid="licences-dialog">
      <Stack>
        <Text size="sm">
          PracticePost is built with open-source software. Each library below is used under the licence shown; open one
          to read its licence in full. The fonts in PracticePost’s designs (Inter and Noto) are used under the SIL Open Font
          License 1.1.
        </Text>
        {error && <Alert color="red">{error}</Alert>}
        {!libs && !error && <Group><Loader size="sm" /><Text size="sm">Loading the list…</Text></Group>}
        {libs && (
          <>
            <TextInput
              label="Find a library or licence"
              placeholder="For example react, sqlite or Apache-2.0"
              leftSection={<IconSearch size={16} />}
              value={filter}
              onChange={(e) => setFilter(e.currentTarget.value)}
              data-testid="licences-filter"
            />
            <Text size="xs" c="dimmed" data-testid="licences-count">
              {shown.length === libs.length ? `${libs.length} libraries` : `${shown.length} of ${libs.length} libraries`}
            </Text>
            <ScrollArea.Autosize mah="42vh" type="auto">
              <Accordion variant="contained" chevronPosition="left">
                {shown.map((l) => (
                  <Accordion.Item key={l.key} value={l.key}>
                    <Accordion.Control>
                      <Group gap="xs" wrap="nowrap">
                        <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>{l.name}</Text>
                        <Text size="xs" c="dimmed">{l.version}</Text>
                        <Badge variant="light" color="gray" size="sm" ml="auto" style={{ flexShrink: 0, textTransform: 'none' }}>{l.licence}</Badge>
                      </Group>
                    </Accordion.Control>
                    <Accordion.Panel>
                      <Code block tabIndex={0} aria-label={`Licence of ${l.name}`} style={{ whiteSpace: 'pre-wrap', maxHeight: 320, overflow: 'auto' }}>{l.text}</Code>
                    </Accordion.Panel>
                  </Accordion.Item>
                ))}
              </Accordion>
            </ScrollArea.Autosize>
            {shown.length === 0 && <Text size="sm">No library matches “{filter}”.</Text>}
          </>
        )}
        <Group justify="flex-end"><Button variant="default" onClick={onClose} data-testid="licences-close">Close</Button></Group>
      </Stack>
    </Modal>
  );
}
