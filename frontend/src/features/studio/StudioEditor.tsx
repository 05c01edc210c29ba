import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, Box, Button, Card, Grid, Group, List, Loader, Progress, SegmentedControl, Select, Stack, Text, Title, Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconLayoutGrid, IconPhoto } from '@tabler/icons-react';
import { toAppError } from '../../api/errors';
import { onEvent } from '../../api/system';
import {
  previewDesign, quoteFromTestimonial, renderDesign, studioProgressEvent, type StudioPreview, type StudioProgress, type StudioRender, type StudioSetup,
} from '../../api/studio';
import { ChoiceButtons } from './ChoiceButtons';
import { applySource, emptyBackground, sizeShortNames, switchFields, toDesign, withDefaults, type EditorState } from './design';
import { DesignForm } from './DesignForm';
import { SizesPanel } from './SizesPanel';

interface Props {
  setup: StudioSetup;
  onKept: () => void;
  fromTestimonial?: number;
  onUseInPost?: (draftId: number) => void;
}

export function StudioEditor({ setup, onKept, fromTestimonial = 0, onUseInPost }: Props) {
  const first = setup.templates.find((t) => t.id === 'testimonial') ?? setup.templates[0];
  const [state, setState] = useState<EditorState>(() => ({
    template: first.id,
    layout: first.layouts[0]?.id ?? '',
    fields: withDefaults({}, first),
    attribution: { mode: 'first_name', name: '' },
    background: emptyBackground,
    photos: {},
    source: null,
  }));
  const template = setup.templates.find((t) => t.id === state.template) ?? first;
  const [sizeId, setSizeId] = useState('square');
  const [preview, setPreview] = useState<StudioPreview | null>(null);
  const [previewError, setPreviewError] = useState<{ message: string; field?: string } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [render, setRender] = useState<StudioRender | null>(null);
  const [rendering, setRendering] = useState(false);
  const [progress, setProgress] = useState<StudioProgress | null>(null);
  const [renderErrors, setRenderErrors] = useState<Record<string, string>>({});
  const [altText, setAltText] = useState('');
  const seq = useRef(0);
  const results = useRef<HTMLDivElement>(null);

  const design = useMemo(() => toDesign(state, template), [state, template]);
  const key = JSON.stringify(design);
  const brandKey = setup.practiceName + setup.logoUrl + JSON.stringify(setup.colors);
  const [debouncedKey] = useDebouncedValue(JSON.stringify({ design, sizeId, brandKey }), 180);
  // A design that no longer matches its render must be rendered again.
  const [renderedKey, setRenderedKey] = useState('');
  const stale = render !== null && renderedKey !== key;

  useEffect(() => {
    const n = ++seq.current;
    setPreviewing(true);
    const req = JSON.parse(debouncedKey);
    previewDesign(req.design, req.sizeId)
      .then((p) => {
        if (n !== seq.current) return;
        setPreview(p);
        setPreviewError(null);
      })
      .catch((e) => {
        if (n !== seq.current) return;
        const err = toAppError(e);
        setPreviewError({ message: err.message, field: err.field });
      })
      .finally(() => n === seq.current && setPreviewing(false));
  }, [debouncedKey]);

  useEffect(() => onEvent(studioProgressEvent, setProgress), []);

  // Opened from a testimonial: the quote card starts with its approved words
  // and the names its consent allows.
  useEffect(() => {
    if (!fromTestimonial) return;
    const quoteCard = setup.templates.find((t) => t.fields.some((f) => f.kind === 'attribution'));
    quoteFromTestimonial(fromTestimonial)
      .then((src) => setState((s) => {
        const t = quoteCard ?? template;
        const base = s.template === t.id ? s : { ...s, template: t.id, layout: t.layouts[0]?.id ?? '', fields: switchFields(s.fields, template, t) };
        return applySource(base, src);
      }))
      .catch((e) => notifications.show({ color: 'red', title: 'The testimonial could not be used', message: toAppError(e).message }));
    // Only when a testimonial is handed over, not on every design change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fromTestimonial]);

  const chooseTemplate = (id: string | null) => {
    const t = setup.templates.find((x) => x.id === id);
    if (!t) return;
    setState((s) => ({ ...s, template: t.id, layout: t.layouts[0]?.id ?? '', fields: switchFields(s.fields, template, t) }));
  };

  const renderAll = async () => {
    setRendering(true);
    setRenderErrors({});
    setProgress({ renderId: '', done: 0, total: setup.sizes.length });
    try {
      const r = await renderDesign(design);
      setRender(r);
      setRenderedKey(key);
      requestAnimationFrame(() => results.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
    } catch (e) {
      const err = toAppError(e);
      if (err.field) setRenderErrors({ [err.field]: err.message });
      notifications.show({ color: 'red', title: 'Not rendered', message: err.message, autoClose: 10000 });
    } finally {
      setRendering(false);
    }
  };

  const fieldErrors = { ...renderErrors };
  if (previewError?.field) fieldErrors[previewError.field] = previewError.message;
  const size = setup.sizes.find((s) => s.id === sizeId)!;
  const overflows = preview?.overflows ?? [];

  return (
    <Stack gap="lg">
      <Grid gap="lg">
        <Grid.Col span={5}>
          <Card withBorder padding="lg">
            <Stack gap="md">
              <Select
                label="Design"
                data={setup.templates.map((t) => ({ value: t.id, label: t.name }))}
                value={state.template}
                onChange={chooseTemplate}
                allowDeselect={false}
                description={template.description}
              />
              {template.layouts.length > 1 && (
                <Stack gap={6}>
                  <Text size="sm" fw={500}>Layout</Text>
                  <SegmentedControl aria-label="Layout" fullWidth value={state.layout}
                    data={template.layouts.map((l) => ({ value: l.id, label: l.name }))}
                    onChange={(l) => setState((s) => ({ ...s, layout: l }))} />
                </Stack>
              )}
              <DesignForm setup={setup} template={template} state={state} onChange={setState} fieldErrors={fieldErrors} />
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={7}>
          <Box style={{ position: 'sticky', top: 16 }}>
            <Card withBorder padding="lg">
              <Group justify="space-between" mb="sm" wrap="nowrap">
                <Title order={2} size="h4">Preview</Title>
                <Group gap="xs">
                  {previewing && <Loader size="xs" />}
                  {preview && (
                    <Text size="xs" c="dimmed" data-testid="preview-ms">Drawn in {Math.max(1, Math.round(preview.millis))} ms</Text>
                  )}
                </Group>
              </Group>
              <Box mb="sm">
                <ChoiceButtons label="Preview size" size="compact-xs" value={sizeId} onChange={setSizeId}
                  data={setup.sizes.map((s) => ({ value: s.id, label: sizeShortNames[s.id] ?? s.name }))} />
              </Box>
              <Box style={{ height: 460, display: 'flex', alignItems: 'center', justifyContent: 'center',
                background: 'repeating-conic-gradient(#f1f3f5 0 25%, #e9ecef 0 50%) 0 0 / 20px 20px', borderRadius: 8 }}>
                {preview ? (
                  <img src={preview.image} alt={`Preview of the ${size.name}`} data-testid="studio-preview"
                    style={{ maxWidth: '94%', maxHeight: 440, boxShadow: '0 4px 18px rgba(0,0,0,0.18)', borderRadius: 4, opacity: previewing ? 0.85 : 1 }} />
                ) : (
                  <Loader />
                )}
              </Box>
              <Text size="xs" c="dimmed" mt={6}>{size.name}{size.safe.top ? ': text is kept out of the strips the story header and reply bar cover.' : ''}</Text>
              {previewError && !previewError.field && (
                <Alert mt="sm" color="red" variant="light" title="The preview could not be drawn">{previewError.message}</Alert>
              )}
              {overflows.length > 0 && (
                <Alert mt="sm" color="orange" icon={<IconAlertTriangle />} title="Text does not fit this size" data-testid="preview-overflow">
                  <List size="sm">{overflows.map((o, i) => <List.Item key={i}>{o.message}</List.Item>)}</List>
                </Alert>
              )}
              {preview && preview.warnings.length > 0 && (
                <Stack gap={2} mt="sm">
                  {preview.warnings.map((w, i) => (
                    <Group key={i} gap={6} wrap="nowrap"><IconPhoto size={14} color="var(--mantine-color-gray-6)" /><Text size="xs" c="dimmed">{w}</Text></Group>
                  ))}
                </Stack>
              )}
              <Group mt="md" justify="space-between" wrap="nowrap">
                <Tooltip label="Makes all six platform sizes at full resolution" withArrow>
                  <Button leftSection={<IconLayoutGrid size={16} />} onClick={renderAll} loading={rendering}>
                    Render all sizes
                  </Button>
                </Tooltip>
                {rendering && progress && (
                  <Stack gap={2} style={{ flex: 1 }} data-testid="render-progress">
                    <Progress value={(progress.done / Math.max(progress.total, 1)) * 100} animated aria-label={`${progress.done} of ${progress.total} sizes made`} />
                    <Text size="xs" c="dimmed">{progress.done} of {progress.total} sizes</Text>
                  </Stack>
                )}
                {!rendering && stale && <Text size="xs" c="orange.8">The design has changed since the sizes below were made.</Text>}
              </Group>
            </Card>
          </Box>
        </Grid.Col>
      </Grid>
      <div ref={results}>
        {render && (
          <SizesPanel key={render.id} setup={setup} render={render} altText={altText} onAltText={setAltText} onKept={onKept}
            onUseInPost={onUseInPost} testimonialId={state.source?.testimonialId ?? 0} quote={state.source?.quote ?? ''} />
        )}
      </div>
    </Stack>
  );
}
