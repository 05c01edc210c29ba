import { Box, Image, Text } from '@mantine/core';
import type { BrandKit } from '../../api/types';

// A small quote card in the brand's colours and fonts, so a change is seen before it is saved.
export function BrandPreview({ kit, logoUrl }: { kit: BrandKit; logoUrl: string }) {
  const c = kit.colors;
  return (
    <Box style={{ aspectRatio: '4 / 5', borderRadius: 10, overflow: 'hidden', background: c.background, border: '1px solid var(--mantine-color-gray-3)', display: 'flex', flexDirection: 'column' }}>
      <Box style={{ background: c.primary, padding: '22px 20px', flex: 1, display: 'flex', flexDirection: 'column', justifyContent: 'center' }}>
        <Text style={{ color: c.accent, fontFamily: `"${kit.headingFont}"`, fontSize: 44, lineHeight: 0.6 }}>“</Text>
        <Text style={{ color: '#fff', fontFamily: `"${kit.headingFont}"`, fontSize: 19, lineHeight: 1.3 }}>
          The whole team made me feel at ease from the first visit.
        </Text>
        <Text mt={10} style={{ color: c.secondary, fontFamily: `"${kit.bodyFont}"`, fontSize: 12 }}>
          Patient, shared with consent
        </Text>
      </Box>
      <Box style={{ background: c.secondary, padding: '10px 14px', display: 'flex', alignItems: 'center', gap: 10 }}>
        {logoUrl && <Image src={logoUrl} alt="" h={26} w="auto" fit="contain" />}
        <Text style={{ color: c.text, fontFamily: `"${kit.bodyFont}"`, fontSize: 12, fontWeight: 600 }} truncate>
          {kit.practiceName || 'Your practice'}
        </Text>
      </Box>
    </Box>
  );
}
