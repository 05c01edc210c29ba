import type { ReactNode } from 'react';
import { Table } from '@mantine/core';

/**
 * A table row that opens a page: by a click, or with the keyboard alone (Tab
 * to it, Enter), which a practice manager working without a mouse needs.
 */
export function LinkRow({ to, go, children }: { to: string; go: (to: string) => void; children: ReactNode }) {
  return (
    <Table.Tr style={{ cursor: 'pointer' }} onClick={() => go(to)} tabIndex={0} role="link"
      onKeyDown={(e) => { if (e.key === 'Enter') go(to); }}>
      {children}
    </Table.Tr>
  );
}
