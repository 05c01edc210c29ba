import { describe, expect, it } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import { useAction, useFieldAction } from './useAction';

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

describe('useFieldAction', () => {
  it('puts the message at the field the backend names, and nowhere else', async () => {
    const { result } = renderHook(() => useFieldAction());
    await act(async () => {
      await result.current.run(() => Promise.reject(JSON.stringify({ code: 'invalid', message: 'Use 4 to 12 digits.', field: 'pin' })));
    });
    expect(result.current.at('pin')).toBe('Use 4 to 12 digits.');
    expect(result.current.at('confirm')).toBeUndefined();
    expect(result.current.error?.code).toBe('invalid');
    await act(async () => {
      await result.current.run(() => Promise.resolve(1));
    });
    expect(result.current.error).toBeNull();
    expect(result.current.at('pin')).toBeUndefined();
  });
});
