import { Box, Group, Text } from '@mantine/core';
import type { QuoteDiffPart } from '../../api/types';

// Marked as in a printed proof: taken out is struck through on red, put in
// is underlined on green, both dark enough on their tint to read (≥ 4.5:1),
// and the marks are spelled out for a screen reader.
const removed = { color: '#7f1d1d', background: '#fee2e2', textDecoration: 'line-through', textDecorationThickness: 2 };
const added = { color: '#14532d', background: '#dcfce7', textDecoration: 'underline', textDecorationThickness: 2, textUnderlineOffset: 3 };

/** The new words with the changes from the approved ones marked in place. */
export function QuoteDiff({ parts, size }: { parts: QuoteDiffPart[]; size?: number | string }) {
  return (
    <Text component="div" fz={size} style={{ whiteSpace: 'pre-wrap', lineHeight: 1.7 }} data-testid="quote-diff">
      {parts.map((p, i) => {
        if (p.op === 'removed') {
          return <Box component="del" key={i} style={removed} aria-label={`taken out: ${p.text}`}>{p.text}</Box>;
        }
        if (p.op === 'added') {
          return <Box component="ins" key={i} style={added} aria-label={`added: ${p.text}`}>{p.text}</Box>;
        }
        return <span key={i}>{p.text}</span>;
      })}
    </Text>
  );
}

/** What the marks mean, in the same marks. */
export function QuoteDiffLegend({ size }: { size?: number | string }) {
  return (
    <Group gap="lg" fz={size}>
      <Text fz={size}><Box component="del" style={removed}>Crossed out</Box>: taken out</Text>
      <Text fz={size}><Box component="ins" style={added}>Underlined</Box>: added or corrected</Text>
    </Group>
  );
}
