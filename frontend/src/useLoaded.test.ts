import { describe, expect, it, vi } from 'vitest';
import { act, renderHook, waitFor } from '@testing-library/react';

const listeners = new Map<string, () => void>();
vi.mock('./api/system', () => ({
  onEvent: (name: string, fn: () => void) => {
    listeners.set(name, fn);
    return () => listeners.delete(name);
  },
}));

import { useLoaded } from './useLoaded';

describe('useLoaded', () => {
  it('reads on opening, again on its events, and stops listening when closed', async () => {
    let n = 0;
    const { result, unmount } = renderHook(() => useLoaded(() => Promise.resolve(++n), [], ['drafts:changed']));
    await waitFor(() => expect(result.current.value).toBe(1));
    act(() => listeners.get('drafts:changed')?.());
    await waitFor(() => expect(result.current.value).toBe(2));
    unmount();
    expect(listeners.has('drafts:changed')).toBe(false);
  });

  it('reads again when what it depends on changes', async () => {
    const { result, rerender } = renderHook(({ id }) => useLoaded(() => Promise.resolve(`draft ${id}`), [id]), { initialProps: { id: 1 } });
    await waitFor(() => expect(result.current.value).toBe('draft 1'));
    rerender({ id: 2 });
    await waitFor(() => expect(result.current.value).toBe('draft 2'));
  });

  it('keeps the message when a read fails', async () => {
    const { result } = renderHook(() => useLoaded(() => Promise.reject(JSON.stringify({ code: 'not_found', message: 'That draft is gone.' })), []));
    await waitFor(() => expect(result.current.error).toBe('That draft is gone.'));
    expect(result.current.value).toBeNull();
  });
});
