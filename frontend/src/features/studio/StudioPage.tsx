import { useEffect, useState } from 'react';
import { Alert, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconLibraryPhoto, IconPalette } from '@tabler/icons-react';
import { toAppError } from '../../api/errors';
import { Events, onEvent } from '../../api/system';
import { studioSetup, type StudioSetup } from '../../api/studio';
import { LibraryPanel } from './LibraryPanel';
import { StudioEditor } from './StudioEditor';

interface Props {
  tab: string;
  onTab: (tab: string) => void;
  /** A testimonial to start the quote card from ("Make an image" on the Testimonials page). */
  fromTestimonial?: number;
  /** Opens a post (after "Use in a post"). */
  go?: (to: string) => void;
}

export function StudioPage({ tab, onTab, fromTestimonial = 0, go }: Props) {
  const [setup, setSetup] = useState<StudioSetup | null>(null);
  const [error, setError] = useState('');
  const [libraryVersion, setLibraryVersion] = useState(0);

  useEffect(() => {
    const load = () => studioSetup().then(setSetup).catch((e) => setError(toAppError(e).message));
    load();
    const offs = [onEvent(Events.brandChanged, load), onEvent(Events.dataReplaced, load)];
    return () => offs.forEach((off) => off());
  }, []);

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">Studio</Title>
        <Text c="dimmed">Branded images in every platform size. Photos stay on this computer.</Text>
      </div>
      {error && <Alert color="red" title="The Studio could not start">{error}</Alert>}
      {!setup && !error && <Group p="xl"><Loader size="sm" /><Text>Opening the Studio…</Text></Group>}
      {setup && (
        <Tabs value={tab} onChange={(t) => t && onTab(t)}>
          <Tabs.List mb="md">
            <Tabs.Tab value="design" leftSection={<IconPalette size={16} />}>Design</Tabs.Tab>
            <Tabs.Tab value="library" leftSection={<IconLibraryPhoto size={16} />}>Library</Tabs.Tab>
          </Tabs.List>
          {/* The editor stays mounted so switching tabs keeps the design. */}
          <Tabs.Panel value="design" keepMounted>
            <StudioEditor setup={setup} onKept={() => setLibraryVersion((v) => v + 1)} fromTestimonial={fromTestimonial}
              onUseInPost={go ? (id) => go('drafts/' + id) : undefined} />
          </Tabs.Panel>
          <Tabs.Panel value="library">
            <LibraryPanel setup={setup} version={libraryVersion} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
