import { useState, type ReactNode } from 'react';
import { Box, Button, Container, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconLock } from '@tabler/icons-react';
import type { LockStatus } from '../../api/types';
import { UnlockModal } from '../lock/UnlockModal';

// The parts every screen handed to a patient shares (signing a consent,
// approving new words): written for someone of 75 holding a tablet, with
// near-black text on white.
export const ink = '#111827';
export const soft = '#374151';

/** The small staff button that asks for the manager PIN to take the screen back. */
export function StaffUnlock({ onUnlocked }: { onUnlocked: (s: LockStatus) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Group justify="center" mt="xl" mb="md">
      <Button variant="subtle" color="gray" size="sm" leftSection={<IconLock size={16} />} onClick={() => setOpen(true)}>
        Staff: unlock
      </Button>
      <UnlockModal opened={open} onClose={() => setOpen(false)} onUnlocked={onUnlocked} />
    </Group>
  );
}

/** The practice's name over the patient's screen, with what the screen is for on the right. */
export function PatientHeader({ practiceName, right }: { practiceName: string; right: string }) {
  return (
    <Box style={{ borderBottom: '1px solid #d1d5db', background: '#f9fafb' }} py="md">
      <Container size={900}>
        <Group justify="space-between" wrap="nowrap">
          <Text fz={22} fw={700} c={ink}>{practiceName}</Text>
          <Text fz={18} c={soft}>{right}</Text>
        </Group>
      </Container>
    </Box>
  );
}

/** The thank-you once the patient has answered, asking them to hand the screen back. */
export function ThankYou({ children, color = 'teal', onUnlocked, ...rest }: {
  children: ReactNode; color?: string; onUnlocked: (s: LockStatus) => void; 'data-testid': string; 'data-outcome'?: string;
}) {
  return (
    <Box component="main" bg="white" mih="100vh" c={ink} {...rest}>
      <Container size={760} pt={80}>
        <Stack align="center" gap="lg" ta="center">
          <ThemeIcon size={88} radius={44} color={color}>
            <IconCheck size={56} />
          </ThemeIcon>
          <Title order={1} fz={36} c={ink}>Thank you</Title>
          <Text fz={24} c={ink}>{children}</Text>
          <Text fz={24} fw={600} c={ink}>Please hand the screen back to a member of staff.</Text>
        </Stack>
        <StaffUnlock onUnlocked={onUnlocked} />
      </Container>
    </Box>
  );
}
