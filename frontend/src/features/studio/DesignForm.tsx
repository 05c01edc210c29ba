import { useEffect, useState } from 'react';
import { Alert, Button, ColorSwatch, Group, Radio, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconQuote } from '@tabler/icons-react';
import { toAppError } from '../../api/errors';
import { ChoiceButtons } from './ChoiceButtons';
import {
  clinicianFields, quoteFromTestimonial, type StudioField, type StudioSetup, type StudioTemplate,
} from '../../api/studio';
import { listTestimonials } from '../../api/testimonials';
import type { TestimonialView } from '../../api/types';
import { applySource, modeOptions, refusedNote, testimonialOptions, typeByHand, type EditorState, type SlotState } from './design';
import { PhotoSlotEditor } from './PhotoSlotEditor';

interface Props {
  setup: StudioSetup;
  template: StudioTemplate;
  state: EditorState;
  onChange: (s: EditorState) => void;
  fieldErrors: Record<string, string>;
}

export function DesignForm({ setup, template, state, onChange, fieldErrors }: Props) {
  const setField = (id: string, v: string) => onChange({ ...state, fields: { ...state.fields, [id]: v } });
  const setSlot = (id: string, v: SlotState | undefined) => {
    const photos = { ...state.photos };
    if (v) photos[id] = v;
    else delete photos[id];
    onChange({ ...state, photos });
  };
  const colorOptions = setup.colorRoles.map((r) => ({ value: r.value, label: r.label }));
  const swatch = (role: string) => Object.entries(setup.colors).find(([r]) => r === role)?.[1] ?? role;
  const hasPhoto = template.photos.length > 0;
  const bgKinds = setup.backgrounds.filter((b) => hasPhoto || b.value !== 'photo');
  const bgKind = state.background.kind || (hasPhoto ? 'photo' : 'solid');

  const takesTestimonial = template.fields.some((f) => f.kind === 'attribution');
  const [testimonials, setTestimonials] = useState<TestimonialView[] | null>(null);
  const [listError, setListError] = useState('');
  const [pickError, setPickError] = useState('');
  const [picking, setPicking] = useState(false);
  useEffect(() => {
    if (!takesTestimonial || testimonials !== null) return;
    listTestimonials().then(setTestimonials).catch((e) => setListError(toAppError(e).message));
  }, [takesTestimonial, testimonials]);

  const pickTestimonial = async (v: string | null) => {
    setPickError('');
    if (v === null) {
      onChange(typeByHand(state));
      return;
    }
    setPicking(true);
    try {
      onChange(applySource(state, await quoteFromTestimonial(Number(v))));
    } catch (e) {
      setPickError(toAppError(e).message);
    } finally {
      setPicking(false);
    }
  };
  const src = state.source;

  const fillFromClinician = async (v: string | null) => {
    if (v === null) return;
    try {
      const f = await clinicianFields(Number(v));
      onChange({ ...state, fields: { ...state.fields, ...f } });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not filled in', message: toAppError(e).message });
    }
  };

  const field = (f: StudioField) => {
    const value = state.fields[f.id] ?? '';
    const count = f.maxLen ? `${[...value].length} / ${f.maxLen}` : undefined;
    const common = {
      label: f.label,
      withAsterisk: f.required,
      value,
      error: fieldErrors[f.id],
      description: count,
      onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setField(f.id, e.currentTarget.value),
    };
    if (f.kind === 'attribution') {
      const options = modeOptions(setup.attributionModes, src);
      const namedLabel = !src && state.wordsOf === 'not_patient' ? 'How they are named' : 'How the patient is named';
      return (
        <Stack key={f.id} gap={6}>
          {!src && <WordsOf value={state.wordsOf ?? ''} error={fieldErrors.wordsOf} onChange={(w) => onChange({ ...state, wordsOf: w })} />}
          <Text size="sm" fw={500}>{namedLabel}</Text>
          <ChoiceButtons
            label={namedLabel}
            value={state.attribution.mode}
            onChange={(m) => onChange({ ...state, attribution: { ...state.attribution, mode: m } })}
            // A refused choice says why beside it, in the consent note below.
            data={options.map((o) => ({
              value: o.value,
              disabled: o.disabled,
              label: o.disabled ? <span data-testid={`mode-refused-${o.value}`} title={o.reason}>{o.label}</span> : o.label,
            }))}
          />
          {src ? (
            <>
              <Text size="sm" data-testid="attribution-source">
                Named from the testimonial: {src.patientName}
              </Text>
              {fieldErrors.attribution && <Text size="xs" c="red">{fieldErrors.attribution}</Text>}
              <Text size="xs" c="dimmed" data-testid="consent-naming">{refusedNote(src)}</Text>
            </>
          ) : (
            <>
              {state.attribution.mode !== 'anonymous' && (
                <TextInput
                  label={state.wordsOf === 'not_patient' ? 'Their name' : "Patient's name"}
                  placeholder={state.wordsOf === 'not_patient' ? 'e.g. Dr Amy Shah' : 'e.g. Jane Smith'}
                  value={state.attribution.name}
                  error={fieldErrors.attribution}
                  onChange={(e) => onChange({ ...state, attribution: { ...state.attribution, name: e.currentTarget.value } })}
                />
              )}
              <Text size="xs" c="dimmed">{setup.attributionNote}</Text>
            </>
          )}
        </Stack>
      );
    }
    if (f.id === 'quote' && src) {
      return (
        <Textarea key={f.id} label={f.label} value={src.quote} readOnly autosize minRows={3} maxRows={8} data-testid="quote-from-testimonial"
          error={fieldErrors[f.id]}
          description="The patient's approved words, exactly as they signed for them. To change them, edit the testimonial and ask the patient to approve." />
      );
    }
    if (f.kind === 'text') return <Textarea key={f.id} {...common} autosize minRows={3} maxRows={8} />;
    return <TextInput key={f.id} {...common} />;
  };

  return (
    <Stack gap="md">
      {template.id === 'team' && (
        setup.clinicians.length > 0 ? (
          <Select
            label="Fill in from the brand kit"
            placeholder="Choose a clinician"
            data={setup.clinicians.map((c, i) => ({ value: String(i), label: c.role ? `${c.name} (${c.role})` : c.name }))}
            onChange={fillFromClinician}
            value={null}
            clearable={false}
          />
        ) : (
          <Alert variant="light" icon={<IconInfoCircle />} color="gray">
            Add your clinicians in Settings → Practice &amp; brand to fill these in with one click.
          </Alert>
        )
      )}
      {takesTestimonial && (
        <Stack gap={6}>
          <Select
            label="From a testimonial"
            placeholder={testimonials === null && !listError ? 'Loading testimonials…' : 'Type the quote by hand, or choose a testimonial'}
            leftSection={<IconQuote size={16} />}
            data={testimonialOptions(testimonials ?? [])}
            value={src ? String(src.testimonialId) : null}
            onChange={pickTestimonial}
            clearable
            searchable
            disabled={picking}
            nothingFoundMessage="No testimonial matches"
            error={pickError || fieldErrors.testimonial || listError || undefined}
            description="Fills in the patient's approved words and offers only the names their consent allows."
            data-testid="testimonial-picker"
          />
          {src && (
            <Group gap="xs">
              <Button size="compact-xs" variant="subtle" color="gray" onClick={() => pickTestimonial(null)}>Type by hand instead</Button>
              <Text size="xs" c="dimmed">Typed words are checked for patients' names whenever the image is used in a post.</Text>
            </Group>
          )}
        </Stack>
      )}
      {template.fields.map(field)}

      {template.photos.map((slot) => (
        <PhotoSlotEditor key={`${template.id}-${slot.id}`} slot={slot} value={state.photos[slot.id]} onChange={(v) => setSlot(slot.id, v)}
          maxMb={setup.maxPhotoMb} formatsNote={setup.photoFormatsNote} declarations={setup.declarations ?? []} />
      ))}

      <Stack gap={6}>
        <Text size="sm" fw={500}>Background</Text>
        <ChoiceButtons label="Background" value={bgKind} data={bgKinds}
          onChange={(k) => {
            const bg = { ...state.background, kind: k as EditorState['background']['kind'] };
            if (k !== 'photo' && !bg.color) bg.color = 'primary';
            if (k === 'gradient' && !bg.to) bg.to = 'secondary';
            onChange({ ...state, background: bg });
          }} />
        {bgKind !== 'photo' && (
          <Group grow>
            <Select label={bgKind === 'gradient' ? 'From' : 'Colour'} data={colorOptions} value={state.background.color || 'primary'} allowDeselect={false}
              leftSection={<ColorSwatch size={14} color={swatch(state.background.color || 'primary')} />}
              onChange={(c) => onChange({ ...state, background: { ...state.background, color: c ?? '' } })} />
            {bgKind === 'gradient' && (
              <Select label="To" data={colorOptions} value={state.background.to || 'secondary'} allowDeselect={false}
                leftSection={<ColorSwatch size={14} color={swatch(state.background.to || 'secondary')} />}
                onChange={(c) => onChange({ ...state, background: { ...state.background, to: c ?? '' } })} />
            )}
          </Group>
        )}
        {bgKind === 'photo' && !Object.keys(state.photos).length && (
          <Text size="xs" c="dimmed">Until a photo is added the design shows its brand colours.</Text>
        )}
      </Stack>
    </Stack>
  );
}

/**
 * Whose words a quote card typed by hand carries. A patient's words come
 * from their testimonial (the picker above), so their consent applies; typed
 * words can only be a team member's or a public figure's.
 */
type WordsOfValue = NonNullable<EditorState['wordsOf']>;

function WordsOf({ value, error, onChange }: { value: WordsOfValue; error?: string; onChange: (v: WordsOfValue) => void }) {
  return (
    <Radio.Group label="Whose words are these?" value={value} onChange={(v) => onChange(v as WordsOfValue)}
      error={error || (value === 'patient' ? 'A patient’s words go on a card only from their testimonial: choose it under “From a testimonial” above, so their consent decides how they are named.' : undefined)}
      data-testid="words-of">
      <Stack gap={4} mt={6}>
        <Radio value="not_patient" label="A team member or a public figure" />
        <Radio value="patient" label="A patient" />
      </Stack>
    </Radio.Group>
  );
}
