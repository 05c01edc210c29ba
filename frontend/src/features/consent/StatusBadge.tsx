import { Badge } from '@mantine/core';
import { lookup } from '../../api/lookup';
import type { ConsentStatus } from '../../api/types';

const look: Record<ConsentStatus, { color: string; label: string }> = {
  valid: { color: 'teal', label: 'Valid' },
  expiring: { color: 'orange', label: 'Ends soon' },
  expired: { color: 'gray', label: 'Expired' },
  revoked: { color: 'red', label: 'Withdrawn' },
  on_hold: { color: 'red', label: 'On hold' },
  damaged: { color: 'red', label: 'Damaged' },
};

export function StatusBadge({ status }: { status: string }) {
  const l = lookup(look, status) ?? look.damaged;
  return (
    <Badge color={l.color} variant="light" tt="none" size="md" data-testid="consent-status">
      {l.label}
    </Badge>
  );
}
