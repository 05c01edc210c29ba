import { useState } from 'react';
import { Alert, Anchor, Box, Group, SimpleGrid, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import type { ChannelVerdict } from '../../api/types';

const names: Record<string, string> = {
  website: 'Website', google_business: 'Google Business Profile', x: 'X', newsletter: 'Email newsletter',
  print: 'Print', review_sites: 'Review websites',
};

// Channel labels are written to start a line on the form ("The practice's
// website"); inside a reason they read better in lower case.
const tidy = (reason: string) => reason.replace(/does not cover The /, 'does not cover the ');

/**
 * The reasons every blocked channel shares (a withdrawn consent, a
 * hand-added testimonial with no consent at all): said once above the grid,
 * not the same red line on eleven channels.
 */
export function sharedReasons(verdicts: ChannelVerdict[]): string[] {
  const blocked = verdicts.filter((v) => !v.mayPublish);
  if (blocked.length < 2) return [];
  const lists = blocked.map((v) => (v.problems ?? []).map((p) => tidy(p.reason)));
  return lists[0].filter((r, i, all) => all.indexOf(r) === i && lists.every((l) => l.includes(r)));
}

/** One line per channel: may it go out today, and if not, why (every reason, on request). */
export function VerdictGrid({ verdicts }: { verdicts: ChannelVerdict[] }) {
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const shared = sharedReasons(verdicts);
  const blockedCount = verdicts.filter((v) => !v.mayPublish).length;
  return (
    <>
      {shared.length > 0 && (
        <Alert color="red" variant="light" p="xs" mb="xs" data-testid="shared-reasons"
          title={blockedCount === verdicts.length ? 'Blocked on every channel' : `Blocked on ${blockedCount} channels`}>
          {shared.map((r) => <Text key={r} size="sm">{r}</Text>)}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" verticalSpacing={6}>
        {verdicts.map((v) => {
          const reasons = (v.problems ?? []).map((p) => tidy(p.reason)).filter((r) => !shared.includes(r));
          const all = open[v.channel];
          return (
            <Group key={v.channel} gap={8} wrap="nowrap" align="flex-start" data-testid={`verdict-${v.channel}`} data-publishable={v.mayPublish}>
              <ThemeIcon size={22} radius="xl" color={v.mayPublish ? 'teal' : 'red'} variant={v.mayPublish ? 'filled' : 'light'} mt={1}>
                {v.mayPublish ? <IconCheck size={14} /> : <IconX size={14} />}
              </ThemeIcon>
              <Box style={{ minWidth: 0 }}>
                <Text size="sm" fw={500}>{names[v.channel] ?? v.label}</Text>
                {v.mayPublish ? (
                  <Text size="xs" c="dimmed">{v.mayBoost ? 'May publish, also as a paid advert' : 'May publish (not as a paid advert)'}</Text>
                ) : reasons.length === 0 ? (
                  <Text size="xs" c="red.8" data-testid={`reason-${v.channel}`}>Blocked (see above)</Text>
                ) : (
                  <Text size="xs" c="red.8" data-testid={`reason-${v.channel}`}>
                    {all ? reasons.join(' ') : reasons[0]}
                    {reasons.length > 1 && (
                      <>
                        {' '}
                        <Anchor component="button" type="button" size="xs" c="red.9" td="underline" aria-expanded={!!all}
                          onClick={() => setOpen((o) => ({ ...o, [v.channel]: !all }))}>
                          {all ? '(fewer)' : `(+${reasons.length - 1} more)`}
                        </Anchor>
                      </>
                    )}
                  </Text>
                )}
              </Box>
            </Group>
          );
        })}
      </SimpleGrid>
    </>
  );
}
