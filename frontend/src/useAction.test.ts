import { describe, expect, it } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import { useAction } from './useAction';

describe('useAction', () => {
  it('is busy while the action runs and resolves to its result', async () => {
    const { result } = renderHook(() => useAction());
    let finish: (v: number) => void = () => undefined;
    let done: Promise<number | undefined> = Promise.resolve(undefined);
    act(() => {
      done = result.current.run(() => new Promise<number>((r) => (finish = r)));
    });
    expect(result.current.busy).toBe(true);
    await act(async () => {
      finish(7);
      expect(await done).toBe(7);
    });
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBe('');
  });

  it('keeps a failure as the message to show, and clears it when tried again', async () => {
    const { result } = renderHook(() => useAction());
    await act(async () => {
      expect(await result.current.run(() => Promise.reject(JSON.stringify({ code: 'invalid', message: 'That PIN is not right.' })))).toBeUndefined();
    });
    expect(result.current.error).toBe('That PIN is not right.');
    expect(result.current.busy).toBe(false);
    await act(async () => {
      await result.current.run(() => Promise.resolve('ok'));
    });
    expect(result.current.error).toBe('');
  });
});
