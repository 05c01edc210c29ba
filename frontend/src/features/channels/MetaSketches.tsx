import { Badge, Box, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';

/**
 * Drawn pictures of the four Business Settings steps that make a system
 * user's token (docs/meta.md §3). PracticePost cannot reach Meta's real
 * screens to photograph them, so these are drawings from Meta's
 * documentation, labelled as such: the words to look for matter, not the
 * exact layout.
 */

/** One drawn window: Meta's left menu with the item to open, and the page. */
function Window({ menu, active, children }: { menu: string[]; active: string; children: React.ReactNode }) {
  return (
    <Paper withBorder radius="sm" style={{ overflow: 'hidden' }}>
      <Box px={8} py={4} bg="gray.1" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Text size="xs" c="gray.8">business.facebook.com › Settings</Text>
      </Box>
      <Group gap={0} align="stretch" wrap="nowrap" mih={120}>
        <Stack gap={2} p={6} w={104} bg="gray.0" style={{ borderRight: '1px solid var(--mantine-color-gray-3)', flexShrink: 0 }}>
          {menu.map((m) => (
            <Text key={m} size="xs" px={4} py={2} fw={m === active ? 700 : 400} c={m === active ? 'blue.9' : 'gray.8'}
              bg={m === active ? 'blue.1' : undefined} style={{ borderRadius: 4 }}>
              {m}
            </Text>
          ))}
        </Stack>
        <Box p={8} style={{ flex: 1, minWidth: 0 }}>{children}</Box>
      </Group>
    </Paper>
  );
}

/** A drawn button; the one to click is outlined. */
function Btn({ label, click }: { label: string; click?: boolean }) {
  return (
    <Text span size="xs" px={6} py={2} fw={600} c={click ? 'white' : 'gray.8'} bg={click ? 'blue.8' : 'gray.2'}
      style={{ borderRadius: 4, outline: click ? '2px solid var(--mantine-color-orange-6)' : undefined, outlineOffset: 2, whiteSpace: 'nowrap' }}>
      {label}
    </Text>
  );
}

const menu = ['Users', 'System users', 'Accounts', 'Pages', 'Apps'];

const steps: { title: string; picture: React.ReactNode }[] = [
  {
    title: 'Add a system user',
    picture: (
      <Window menu={menu} active="System users">
        <Stack gap={4} mb={6} align="flex-start"><Text size="xs" fw={700}>System users</Text><Btn label="Add" click /></Stack>
        <Text size="xs" c="gray.8">Name: PracticePost · Role: Admin</Text>
      </Window>
    ),
  },
  {
    title: 'Give it your Page, with full control',
    picture: (
      <Window menu={menu} active="System users">
        <Stack gap={4} mb={6} align="flex-start"><Text size="xs" fw={700}>PracticePost</Text><Btn label="Assign assets" click /></Stack>
        <Text size="xs" c="gray.8">Pages › your Page</Text>
        <Text size="xs" c="gray.8">☑ Full control</Text>
      </Window>
    ),
  },
  {
    title: 'Generate a token that never expires',
    picture: (
      <Window menu={menu} active="System users">
        <Stack gap={4} mb={6} align="flex-start"><Text size="xs" fw={700}>PracticePost</Text><Btn label="Generate new token" click /></Stack>
        <Text size="xs" c="gray.8">Expiry: Never</Text>
        <Text size="xs" c="gray.8">☑ pages_manage_posts ☑ pages_read_engagement …</Text>
      </Window>
    ),
  },
  {
    title: 'Copy it, then paste it here',
    picture: (
      <Window menu={menu} active="System users">
        <Text size="xs" fw={700} mb={6}>Your token</Text>
        <Group gap={6} wrap="nowrap">
          <Text size="xs" c="gray.8" ff="monospace" truncate style={{ flex: 1 }}>EAAG…xYz</Text>
          <Btn label="Copy" click />
        </Group>
      </Window>
    ),
  },
];

export function MetaSketches() {
  return (
    <Stack gap="xs" data-testid="meta-sketches">
      <Group gap="xs">
        <Badge color="orange" variant="light" tt="none">Drawings, not Meta’s real screens</Badge>
        <Text size="xs" c="gray.8">Drawn from Meta’s help pages; the words to look for are what counts.</Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {steps.map((s, i) => (
          <Stack key={s.title} gap={4}>
            <Text size="sm" fw={600}>{i + 1}. {s.title}</Text>
            {s.picture}
          </Stack>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
