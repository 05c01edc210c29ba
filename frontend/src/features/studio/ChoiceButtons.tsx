import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Choice {
  value: string;
  label: ReactNode;
  disabled?: boolean;
}

/**
 * One choice out of a few, as a row of buttons that wraps onto a second line
 * when the column is narrow: a segmented control cut "Anonymous" and
 * "X / wide" off at 1024×700. Each is a radio for screen readers and is
 * reached by Tab.
 */
export function ChoiceButtons({ label, value, data, onChange, size = 'compact-sm' }: {
  label: string;
  value: string;
  data: Choice[];
  onChange: (v: string) => void;
  size?: string;
}) {
  return (
    <Group gap={6} role="radiogroup" aria-label={label}>
      {data.map((c) => (
        <Button key={c.value} size={size} role="radio" aria-checked={c.value === value} disabled={c.disabled}
          variant={c.value === value ? 'filled' : 'default'} onClick={() => onChange(c.value)}>
          {c.label}
        </Button>
      ))}
    </Group>
  );
}
