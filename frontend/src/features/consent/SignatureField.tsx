import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { Box, Button, Group, Text } from '@mantine/core';
import { IconEraser } from '@tabler/icons-react';
import SignaturePad from 'signature_pad';
import type { StrokePoint } from '../../api/types';

export interface SignatureHandle {
  isEmpty(): boolean;
  /** The drawing as PNG (base64, no data: prefix) and its strokes in CSS pixels, ms from each stroke's start. */
  capture(): { pngBase64: string; strokes: StrokePoint[][] };
  clear(): void;
}

interface Props {
  height?: number;
  onChange?: (empty: boolean) => void;
  label: string;
  /** Shown inside the pad, so it never moves the pad when it goes away mid-signature. */
  error?: string;
}

/** A signature pad for mouse, finger or pen (signature_pad), sized for the device's pixel density. */
export const SignatureField = forwardRef<SignatureHandle, Props>(function SignatureField({ height = 220, onChange, label, error }, ref) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const [empty, setEmpty] = useState(true);
  // The pad is made once (re-making it wipes the drawing), so it reads the
  // latest onChange through a ref.
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const el = canvas.current!;
    const p = new SignaturePad(el, { minWidth: 1.2, maxWidth: 3.2, penColor: '#111827', backgroundColor: 'rgb(255,255,255)' });
    pad.current = p;
    const fit = () => {
      // Resizing a canvas wipes it, so keep the strokes and draw them again.
      const data = p.toData();
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      el.width = el.offsetWidth * ratio;
      el.height = el.offsetHeight * ratio;
      el.getContext('2d')!.scale(ratio, ratio);
      p.clear();
      p.fromData(data);
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    const ended = () => {
      setEmpty(p.isEmpty());
      changed.current?.(p.isEmpty());
    };
    p.addEventListener('endStroke', ended);
    return () => {
      ro.disconnect();
      p.removeEventListener('endStroke', ended);
      p.off();
    };
  }, []);

  useImperativeHandle(ref, () => ({
    isEmpty: () => pad.current?.isEmpty() ?? true,
    clear: () => {
      pad.current?.clear();
      setEmpty(true);
      changed.current?.(true);
    },
    capture: () => {
      const p = pad.current!;
      const url = p.toDataURL('image/png');
      const strokes = p.toData().map((g) => {
        const t0 = g.points[0]?.time ?? 0;
        return g.points.map((pt) => ({ x: Math.round(pt.x * 100) / 100, y: Math.round(pt.y * 100) / 100, t: Math.max(0, Math.round(pt.time - t0)) }));
      });
      return { pngBase64: url.slice(url.indexOf(',') + 1), strokes };
    },
  }));

  return (
    <Box>
      <Box pos="relative" style={{ border: `2px solid ${error ? '#b91c1c' : '#4b5563'}`, borderRadius: 12, background: '#fff', touchAction: 'none' }}>
        <canvas ref={canvas} aria-label={label} data-testid="signature-pad" style={{ width: '100%', height, display: 'block', borderRadius: 10, cursor: 'crosshair' }} />
        {empty && (
          <Text pos="absolute" left={24} bottom={20} c="#4b5563" fz={20} style={{ pointerEvents: 'none' }}>
            ✍ Sign here with your finger, a pen or the mouse
          </Text>
        )}
        {error && (
          <Text pos="absolute" left={24} right={24} top={16} c="#991b1b" fz={20} fw={600} role="alert" data-testid="signing-error"
            style={{ pointerEvents: 'none' }}>
            {error}
          </Text>
        )}
        <Box pos="absolute" left={24} right={24} bottom={54} style={{ borderBottom: '2px dashed #9ca3af', pointerEvents: 'none' }} />
      </Box>
      <Group justify="flex-end" mt={8}>
        <Button variant="default" size="md" leftSection={<IconEraser size={20} />} onClick={() => { pad.current?.clear(); setEmpty(true); changed.current?.(true); }} disabled={empty}>
          Clear and sign again
        </Button>
      </Group>
    </Box>
  );
});
