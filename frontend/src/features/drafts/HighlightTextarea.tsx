import { useLayoutEffect, useMemo, useRef, type RefObject } from 'react';
import { Box, Text } from '@mantine/core';
import { runs, type Span } from './highlight';
import './drafts.css';

interface Props {
  label: string;
  value: string;
  spans: Span[];
  onChange: (v: string) => void;
  onBlur?: () => void;
  placeholder?: string;
  minRows?: number;
  testId?: string;
  /** Lets the editor put the caret on a finding. */
  inputRef?: RefObject<HTMLTextAreaElement | null>;
}

// A textarea with a mirror layer behind it: the layer repeats the text in
// transparent ink and paints marks under the words the guard found, so the
// highlights move with the text as the manager types and scrolls.
export function HighlightTextarea({ label, value, spans, onChange, onBlur, placeholder, minRows = 7, testId, inputRef }: Props) {
  const back = useRef<HTMLDivElement>(null);
  const own = useRef<HTMLTextAreaElement>(null);
  const input = inputRef ?? own;
  const parts = useMemo(() => runs(value, spans), [value, spans]);

  const sync = () => {
    if (back.current && input.current) back.current.scrollTop = input.current.scrollTop;
  };
  useLayoutEffect(sync, [value, spans]);

  const id = useMemo(() => 'hl-' + Math.random().toString(36).slice(2), []);
  return (
    <Box>
      <Text component="label" htmlFor={id} size="sm" fw={500} mb={4} display="block">
        {label}
      </Text>
      <div className="pp-hl">
        <div className="pp-hl-back" ref={back} aria-hidden data-testid={testId ? testId + '-marks' : undefined}>
          {parts.map((r, i) =>
            r.span ? (
              <mark key={i} data-severity={r.span.severity} title={r.span.title}>
                {r.text}
              </mark>
            ) : (
              <span key={i}>{r.text}</span>
            ),
          )}
          {'\n '}
        </div>
        <textarea
          id={id}
          ref={input}
          className="pp-hl-input"
          rows={minRows}
          value={value}
          placeholder={placeholder}
          spellCheck
          data-testid={testId}
          onChange={(e) => onChange(e.currentTarget.value)}
          onScroll={sync}
          onBlur={onBlur}
        />
      </div>
    </Box>
  );
}
