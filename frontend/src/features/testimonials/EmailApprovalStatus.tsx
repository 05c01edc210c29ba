import type { ReactNode } from 'react';
import { Badge, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconHourglassHigh, IconMailQuestion } from '@tabler/icons-react';
import type { EmailApprovalView } from '../../api/types';
import { formatDay } from '../../format';

/** The sentence for where an emailed approval stands, dates in the practice's format. */
export function emailApprovalText(v: EmailApprovalView): string {
  const who = v.firstName || 'the patient';
  switch (v.state) {
    case 'waiting':
      return `Waiting for ${who}’s reply since ${formatDay(v.since)}`;
    case 'approved':
      return `Approved by email on ${formatDay(v.at)}`;
    case 'declined':
      return `Declined on ${formatDay(v.at)}`;
    case 'needs_look':
      return `${who} replied: read the reply and decide`;
    case 'expired':
      return `No reply from ${who} by ${formatDay(v.until)}: send the request again`;
    default:
      return '';
  }
}

const look: Record<string, { color: string; icon: ReactNode }> = {
  waiting: { color: 'blue', icon: <IconHourglassHigh size={16} /> },
  approved: { color: 'teal', icon: <IconCircleCheck size={16} /> },
  declined: { color: 'red', icon: <IconCircleX size={16} /> },
  needs_look: { color: 'orange', icon: <IconMailQuestion size={16} /> },
  expired: { color: 'gray', icon: <IconHourglassHigh size={16} /> },
};

/** The emailed approval's state as a line with an icon, for the card and the dialog. */
export function EmailApprovalStatus({ v }: { v: EmailApprovalView | null | undefined }) {
  if (!v || !v.state) return null;
  const l = look[v.state] ?? look.waiting;
  return (
    <Badge size="lg" variant="light" color={l.color} tt="none" leftSection={l.icon} data-testid="email-approval-status"
      data-state={v.state} styles={{ root: { height: 'auto', maxWidth: '100%' }, label: { whiteSpace: 'normal', paddingBlock: 4 } }}>
      <Text span size="sm" fw={500}>{emailApprovalText(v)}</Text>
    </Badge>
  );
}
