import { useRef, useState } from 'react';
import { ActionIcon, Alert, Badge, Box, Button, Group, SegmentedControl, Stack, Text, Tooltip } from '@mantine/core';
import { IconFocus2, IconShieldCheck, IconTrash, IconX } from '@tabler/icons-react';
import { forgetPhoto, type Point, type RedactMode, type StudioOption, type StudioPhotoSlot } from '../../api/studio';
import { dragRect, isClick, relativePoint, type SlotState } from './design';
import { PhotoSourcePicker } from './PhotoSourcePicker';

const photoMaxHeight = 320;

interface Props {
  slot: StudioPhotoSlot;
  value: SlotState | undefined;
  onChange: (v: SlotState | undefined) => void;
  maxMb: number;
  formatsNote: string;
  declarations: StudioOption[];
}

export function PhotoSlotEditor({ slot, value, onChange, maxMb, formatsNote, declarations }: Props) {
  const [error, setError] = useState('');
  const [mode, setMode] = useState<RedactMode>('blur');
  const [draft, setDraftState] = useState<{ a: Point; b: Point } | null>(null);
  // The ref is what the pointer handlers read: a fast click can end before
  // React has re-rendered with the state set by pointerdown.
  const drag = useRef<{ a: Point; b: Point } | null>(null);
  const setDraft = (d: { a: Point; b: Point } | null) => {
    drag.current = d;
    setDraftState(d);
  };
  const area = useRef<HTMLDivElement>(null);

  const onPicked = (photo: SlotState['photo'], url: string, note?: string) => {
    if (value) URL.revokeObjectURL(value.url);
    setError('');
    onChange({ photo, url, focus: { x: 0.5, y: 0.5 }, redactions: [], note });
  };

  const remove = () => {
    if (!value) return;
    URL.revokeObjectURL(value.url);
    forgetPhoto(value.photo.id).catch(() => undefined);
    onChange(undefined);
  };

  const pos = (e: React.PointerEvent) => relativePoint(e.clientX, e.clientY, area.current!.getBoundingClientRect());

  const onDown = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture?.(e.pointerId);
    const p = pos(e);
    setDraft({ a: p, b: p });
  };
  const onMove = (e: React.PointerEvent) => {
    if (drag.current) setDraft({ a: drag.current.a, b: pos(e) });
  };
  const onUp = (e: React.PointerEvent) => {
    const draft = drag.current;
    if (!draft || !value) return;
    const b = pos(e);
    const r = area.current!.getBoundingClientRect();
    setDraft(null);
    if (isClick(draft.a, b, r.width, r.height)) {
      onChange({ ...value, focus: b });
      return;
    }
    const box = dragRect(draft.a, b);
    if (box.w < 0.01 || box.h < 0.01) return;
    onChange({ ...value, redactions: [...value.redactions, { box, mode }] });
  };

  const pct = (v: number) => `${(v * 100).toFixed(3)}%`;
  const draftBox = draft && value ? dragRect(draft.a, draft.b) : null;

  return (
    <Stack gap="xs" data-testid={`photo-slot-${slot.id}`}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>{slot.label}{slot.required && <Text span c="red"> *</Text>}</Text>
        {value && (
          <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconX size={12} />} onClick={remove}>
            Remove photo
          </Button>
        )}
      </Group>
      {!value ? (
        <PhotoSourcePicker slot={slot} declarations={declarations} maxMb={maxMb} formatsNote={formatsNote} onPicked={onPicked} onError={setError} />
      ) : (
        <>
          <Badge variant="light" color={value.photo.source?.kind === 'consent' ? 'teal' : 'gray'} tt="none" size="lg" radius="sm"
            leftSection={<IconShieldCheck size={14} />} data-testid={`photo-source-label-${slot.id}`} style={{ alignSelf: 'flex-start' }}>
            {value.photo.sourceLabel}
          </Badge>
          {value.note && <Text size="sm" c="orange.9" data-testid={`photo-note-${slot.id}`}>{value.note}</Text>}
          <Text size="xs" c="dimmed">
            <b>Click</b> the part that must stay in every crop (a face, the smile). <b>Drag</b> a box over anything that
            must not be seen: a screen, a name badge, another patient.
          </Text>
          <Box
            ref={area}
            data-testid={`photo-canvas-${slot.id}`}
            onPointerDown={onDown}
            onPointerMove={onMove}
            onPointerUp={onUp}
            onPointerCancel={() => setDraft(null)}
            style={{
              position: 'relative', cursor: 'crosshair', userSelect: 'none', touchAction: 'none', borderRadius: 8, overflow: 'hidden', lineHeight: 0,
              // The box has the photo's shape, so 0..1 of the box is 0..1 of the photo.
              aspectRatio: `${value.photo.width} / ${value.photo.height}`, width: `min(100%, ${Math.round(photoMaxHeight * value.photo.width / value.photo.height)}px)`, margin: '0 auto',
            }}
          >
            <img src={value.url} alt={`${slot.label}: ${value.photo.name}`} draggable={false}
              style={{ width: '100%', height: '100%', objectFit: 'fill', display: 'block' }} />
            {value.redactions.map((r, i) => (
              <Box key={i} data-testid="redaction-box" style={{
                position: 'absolute', left: pct(r.box.x), top: pct(r.box.y), width: pct(r.box.w), height: pct(r.box.h),
                background: r.mode === 'blur' ? 'rgba(30,40,50,0.55)' : 'repeating-conic-gradient(#555 0 25%, #999 0 50%) 0 0 / 12px 12px',
                backdropFilter: r.mode === 'blur' ? 'blur(6px)' : undefined, outline: '2px solid #fff', boxShadow: '0 0 0 3px rgba(0,0,0,0.35)',
              }}>
                <Badge size="xs" color="dark" variant="filled" style={{ position: 'absolute', top: 4, left: 4 }}>{i + 1}</Badge>
              </Box>
            ))}
            {draftBox && draftBox.w > 0 && (
              <Box style={{ position: 'absolute', left: pct(draftBox.x), top: pct(draftBox.y), width: pct(draftBox.w), height: pct(draftBox.h),
                border: '2px dashed #fff', background: 'rgba(0,0,0,0.25)' }} />
            )}
            <Box data-testid="focus-marker" style={{
              position: 'absolute', left: pct(value.focus.x), top: pct(value.focus.y), width: 26, height: 26, transform: 'translate(-50%, -50%)',
              borderRadius: '50%', border: '3px solid #fff', boxShadow: '0 0 0 2px rgba(0,0,0,0.5)', background: 'rgba(15,143,136,0.45)', pointerEvents: 'none',
            }} />
          </Box>
          <Group justify="space-between" gap="xs">
            <Group gap={6}>
              <IconFocus2 size={14} />
              <Text size="xs" c="dimmed">{value.photo.name} · {value.photo.width}×{value.photo.height}</Text>
            </Group>
            <Group gap={6}>
              <Text size="xs" c="dimmed">New boxes</Text>
              <SegmentedControl size="xs" value={mode} onChange={(v) => setMode(v as RedactMode)} aria-label="Redaction style for new boxes"
                data={[{ value: 'blur', label: 'Blur' }, { value: 'pixelate', label: 'Pixelate' }]} />
            </Group>
          </Group>
          {value.redactions.length > 0 && (
            <Stack gap={4} data-testid={`redactions-${slot.id}`}>
              {value.redactions.map((r, i) => (
                <Group key={i} gap="xs" justify="space-between" wrap="nowrap">
                  <Text size="sm">Redaction {i + 1}</Text>
                  <Group gap="xs" wrap="nowrap">
                    <SegmentedControl size="xs" value={r.mode} aria-label={`Redaction ${i + 1} style`}
                      data={[{ value: 'blur', label: 'Blur' }, { value: 'pixelate', label: 'Pixelate' }]}
                      onChange={(m) => onChange({ ...value, redactions: value.redactions.map((x, j) => (j === i ? { ...x, mode: m as RedactMode } : x)) })} />
                    <Tooltip label="Remove this box">
                      <ActionIcon variant="subtle" color="red" aria-label={`Remove redaction ${i + 1}`}
                        onClick={() => onChange({ ...value, redactions: value.redactions.filter((_, j) => j !== i) })}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Group>
              ))}
              <Text size="xs" c="dimmed">Redaction is applied to the photo before anything else, so it cannot be undone in an exported image.</Text>
            </Stack>
          )}
        </>
      )}
      {error && <Alert color="red" variant="light" data-testid={`photo-error-${slot.id}`} title="This photo cannot be used">{error}</Alert>}
    </Stack>
  );
}
