import { Textarea } from '@mantine/core';

/** Where the manager types the 14 words from the recovery key sheet. */
export function RecoveryKeyInput({ value, onChange, error, autoFocus }: {
  value: string; onChange: (v: string) => void; error?: string; autoFocus?: boolean;
}) {
  const count = value.toLowerCase().split(/[^a-z]+/).filter(Boolean).length;
  return (
    <Textarea
      label="Recovery key"
      description={`Type the 14 words from your recovery key sheet, in order. The first four letters of each are enough. ${count} of 14 typed.`}
      placeholder="The 14 words, separated by spaces"
      autosize minRows={3} value={value} onChange={(e) => onChange(e.currentTarget.value)}
      error={error || undefined} autoFocus={autoFocus} spellCheck={false} autoComplete="off"
      data-testid="recovery-input"
    />
  );
}
