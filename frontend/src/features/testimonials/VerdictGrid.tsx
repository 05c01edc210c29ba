import { Box, Group, SimpleGrid, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import type { ChannelVerdict } from '../../api/types';

const names: Record<string, string> = {
  website: 'Website', google_business: 'Google Business Profile', x: 'X', newsletter: 'Email newsletter',
  print: 'Print', review_sites: 'Review websites',
};

/** One line per channel: may it go out today, and if not, the first reason why. */
export function VerdictGrid({ verdicts }: { verdicts: ChannelVerdict[] }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" verticalSpacing={6}>
      {verdicts.map((v) => {
        // Channel labels are written to start a line on the form ("The
        // practice's website"); inside a reason they read better in lower case.
        const reasons = (v.problems ?? []).map((p) => ({ ...p, reason: p.reason.replace(/does not cover The /, 'does not cover the ') }));
        return (
          <Group key={v.channel} gap={8} wrap="nowrap" align="flex-start" data-testid={`verdict-${v.channel}`} data-publishable={v.mayPublish}>
            <ThemeIcon size={22} radius="xl" color={v.mayPublish ? 'teal' : 'red'} variant={v.mayPublish ? 'filled' : 'light'} mt={1}>
              {v.mayPublish ? <IconCheck size={14} /> : <IconX size={14} />}
            </ThemeIcon>
            <Box style={{ minWidth: 0 }}>
              <Text size="sm" fw={500}>{names[v.channel] ?? v.label}</Text>
              {v.mayPublish ? (
                <Text size="xs" c="dimmed">{v.mayBoost ? 'May publish, also as a paid advert' : 'May publish (not as a paid advert)'}</Text>
              ) : (
                <Text size="xs" c="red.8" data-testid={`reason-${v.channel}`}>{reasons[0]?.reason}{reasons.length > 1 ? ` (+${reasons.length - 1} more)` : ''}</Text>
              )}
            </Box>
          </Group>
        );
      })}
    </SimpleGrid>
  );
}
