import { useEffect, useRef, useState } from 'react';
import {
  ActionIcon, Alert, Box, Button, Card, Checkbox, ColorInput, Group, Image, Loader, Select, SimpleGrid, Stack,
  Table, TagsInput, Text, Textarea, TextInput, Title, Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconPhotoUp, IconPlus, IconTrash, IconX } from '@tabler/icons-react';
import { checkBrand, fileToBase64, getBrand, removeLogo, saveBrand, uploadLogo } from '../../api/brand';
import { toAppError } from '../../api/errors';
import type { BrandKit, BrandView, ContrastWarning } from '../../api/types';
import { ensureFontFaces } from '../../fonts';
import { BrandPreview } from './BrandPreview';
import { useAction } from '../../useAction';

const colorFields: { key: keyof BrandKit['colors']; label: string; hint: string }[] = [
  { key: 'primary', label: 'Primary', hint: 'Bands and headings' },
  { key: 'secondary', label: 'Secondary', hint: 'Soft panels' },
  { key: 'accent', label: 'Accent', hint: 'Highlights' },
  { key: 'text', label: 'Text', hint: 'Body text' },
  { key: 'background', label: 'Background', hint: 'Plain backgrounds' },
];

const emptyClinician = { name: '', role: '', regulator: '', number: '', specialist: false };

export function BrandKitForm() {
  const [view, setView] = useState<BrandView | null>(null);
  const [loadError, setLoadError] = useState('');
  const [saving, setSaving] = useState(false);
  const { busy: logoBusy, error: logoError, setError: setLogoError, run: runLogo } = useAction();
  const [warnings, setWarnings] = useState<ContrastWarning[]>([]);
  const form = useForm<BrandKit>({ mode: 'controlled' });
  const loaded = useRef(false);

  useEffect(() => {
    getBrand()
      .then((v) => {
        setView(v);
        ensureFontFaces(v.fonts);
        form.setInitialValues(v.kit);
        form.setValues(v.kit);
        setWarnings(v.warnings);
        loaded.current = true;
      })
      .catch((e) => setLoadError(toAppError(e).message));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Live contrast feedback while colours change.
  const [debouncedColors] = useDebouncedValue(form.values.colors, 250);
  useEffect(() => {
    if (!loaded.current || !debouncedColors) return;
    checkBrand(form.getValues()).then((v) => setWarnings(v.warnings)).catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify(debouncedColors)]);

  if (loadError) return <Alert color="red" title="The brand kit could not be loaded">{loadError}</Alert>;
  if (!view || !form.values.colors) return <Group p="xl"><Loader size="sm" /><Text>Loading your brand kit…</Text></Group>;

  const fontOptions = view.fonts.map((f) => ({ value: f.name, label: f.name }));

  const save = async () => {
    setSaving(true);
    form.clearErrors();
    try {
      const saved = await saveBrand(form.getValues());
      setView(saved);
      form.setInitialValues(saved.kit);
      form.setValues(saved.kit);
      setWarnings(saved.warnings);
      notifications.show({ color: 'teal', title: 'Saved', message: 'Your practice details and brand kit are saved.' });
    } catch (e) {
      const err = toAppError(e);
      if (err.field) form.setFieldError(err.field, err.message);
      notifications.show({ color: 'red', title: 'Not saved', message: err.message, autoClose: 8000 });
    } finally {
      setSaving(false);
    }
  };

  const onLogo = async (files: File[]) => {
    const file = files[0];
    if (!file) return;
    await runLogo(async () => {
      const v = await uploadLogo(file.name, await fileToBase64(file));
      setView(v);
      form.setFieldValue('logoSha256', v.kit.logoSha256);
      form.setInitialValues({ ...form.getInitialValues(), logoSha256: v.kit.logoSha256 });
      notifications.show({ color: 'teal', title: 'Logo updated', message: `${file.name} is now your logo.` });
    });
  };

  const onRemoveLogo = async () => {
    try {
      const v = await removeLogo();
      setView(v);
      form.setFieldValue('logoSha256', '');
      form.setInitialValues({ ...form.getInitialValues(), logoSha256: '' });
    } catch (e) {
      setLogoError(toAppError(e).message);
    }
  };

  const values = form.values;
  const dirty = form.isDirty();

  return (
    <form onSubmit={form.onSubmit(save)}>
      <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="lg">
        <Stack gap="lg" style={{ gridColumn: 'span 2' }}>
          <Card withBorder padding="lg">
            <Title order={2} size="h4" mb={4}>Practice details</Title>
            <Text size="sm" c="dimmed" mb="md">
              Shown on consent forms and allowed in posts: the pre-publish check never flags your own phone, address or website.
            </Text>
            <Stack gap="sm">
              <TextInput label="Practice name" placeholder="e.g. Harbour Dental Care" withAsterisk {...form.getInputProps('practiceName')} />
              <Textarea label="Address" placeholder="Street, town, postcode" autosize minRows={2} {...form.getInputProps('address')} />
              <SimpleGrid cols={2}>
                <TextInput label="Phone" placeholder="e.g. 01632 960 123" {...form.getInputProps('phone')} />
                <TextInput label="Email" placeholder="reception@example.co.uk" {...form.getInputProps('email')} />
              </SimpleGrid>
              <SimpleGrid cols={2}>
                <TextInput label="Website" placeholder="https://www.example.co.uk" {...form.getInputProps('website')} />
                <Select
                  label="Country"
                  description="Chooses consent wording and advertising rules"
                  data={[{ value: 'GB', label: 'United Kingdom' }, { value: 'US', label: 'United States' }]}
                  allowDeselect={false}
                  {...form.getInputProps('country')}
                />
              </SimpleGrid>
            </Stack>
          </Card>

          <Card withBorder padding="lg">
            <Group justify="space-between" mb={4}>
              <Title order={2} size="h4">Clinicians</Title>
              <Button size="xs" variant="light" leftSection={<IconPlus size={14} />}
                onClick={() => form.insertListItem('clinicians', { ...emptyClinician })}>
                Add clinician
              </Button>
            </Group>
            <Text size="sm" c="dimmed" mb="md">
              Registration numbers (GDC, GMC, HCPC…) appear on team posts. Tick “Specialist” only for clinicians on a
              specialist list: only they may be called specialists.
            </Text>
            {values.clinicians.length === 0 ? (
              <Text size="sm" c="dimmed" fs="italic">No clinicians yet.</Text>
            ) : (
              <Table verticalSpacing={6} horizontalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w="30%">Name</Table.Th><Table.Th>Role</Table.Th><Table.Th w={110}>Regulator</Table.Th>
                    <Table.Th w={100}>Number</Table.Th><Table.Th w={70} ta="center">Specialist</Table.Th><Table.Th w={36} />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {values.clinicians.map((_, i) => (
                    <Table.Tr key={i}>
                      <Table.Td><TextInput size="xs" aria-label={`Clinician ${i + 1} name`} placeholder="Dr Amy Shah" {...form.getInputProps(`clinicians.${i}.name`)} /></Table.Td>
                      <Table.Td><TextInput size="xs" aria-label={`Clinician ${i + 1} role`} placeholder="Dentist" {...form.getInputProps(`clinicians.${i}.role`)} /></Table.Td>
                      <Table.Td><Select size="xs" aria-label={`Clinician ${i + 1} regulator`} data={view.regulators} clearable placeholder="None" {...form.getInputProps(`clinicians.${i}.regulator`)} value={values.clinicians[i].regulator || null} onChange={(v) => form.setFieldValue(`clinicians.${i}.regulator`, v ?? '')} /></Table.Td>
                      <Table.Td><TextInput size="xs" aria-label={`Clinician ${i + 1} registration number`} placeholder="123456" {...form.getInputProps(`clinicians.${i}.number`)} /></Table.Td>
                      <Table.Td><Group justify="center"><Checkbox aria-label={`Clinician ${i + 1} is a specialist`} {...form.getInputProps(`clinicians.${i}.specialist`, { type: 'checkbox' })} /></Group></Table.Td>
                      <Table.Td>
                        <Tooltip label="Remove">
                          <ActionIcon variant="subtle" color="gray" aria-label={`Remove clinician ${i + 1}`} onClick={() => form.removeListItem('clinicians', i)}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>

          <Card withBorder padding="lg">
            <Title order={2} size="h4" mb="md">Posting defaults</Title>
            <Stack gap="sm">
              <Textarea label="Standard disclaimer" description="Added to health tips and treatment posts" autosize minRows={2} {...form.getInputProps('disclaimer')} />
              <TagsInput label="Default hashtags" description="Press Enter after each one" placeholder="#YourTown" {...form.getInputProps('hashtags')} />
            </Stack>
          </Card>

          <Card withBorder padding="lg">
            <Title order={2} size="h4" mb="md">Colours and fonts</Title>
            <SimpleGrid cols={{ base: 2, md: 3 }} spacing="sm">
              {colorFields.map((c) => (
                <ColorInput key={c.key} label={c.label} description={c.hint} format="hex" withEyeDropper={false}
                  {...form.getInputProps(`colors.${c.key}`)} />
              ))}
            </SimpleGrid>
            {warnings.length > 0 && (
              <Stack gap={6} mt="md" data-testid="contrast-warnings">
                {warnings.map((w) => (
                  <Alert key={w.pair} color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} p="xs">
                    <Text size="sm">{w.message}</Text>
                  </Alert>
                ))}
              </Stack>
            )}
            <SimpleGrid cols={2} mt="md">
              <Select label="Heading font" data={fontOptions} allowDeselect={false} {...form.getInputProps('headingFont')}
                renderOption={({ option }) => <span style={{ fontFamily: `"${option.value}"` }}>{option.label}</span>} />
              <Select label="Body font" data={fontOptions} allowDeselect={false} {...form.getInputProps('bodyFont')}
                renderOption={({ option }) => <span style={{ fontFamily: `"${option.value}"` }}>{option.label}</span>} />
            </SimpleGrid>
          </Card>
        </Stack>

        <Stack gap="lg">
          <Card withBorder padding="lg">
            <Title order={2} size="h4" mb="md">Logo</Title>
            {view.logoUrl ? (
              <Box mb="sm" p="md" style={{ background: '#fff', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}>
                <Image src={view.logoUrl} alt="Practice logo" mah={110} fit="contain" data-testid="logo-preview" />
              </Box>
            ) : (
              <Text size="sm" c="dimmed" mb="sm">No logo yet.</Text>
            )}
            <Dropzone onDrop={onLogo} onReject={() => setLogoError('Only PNG or JPEG images up to 20 MB can be used as a logo.')}
              accept={['image/png', 'image/jpeg']} maxSize={20 * 1024 * 1024} multiple={false} loading={logoBusy}
              data-testid="logo-dropzone" p="md">
              <Group justify="center" gap="sm" style={{ pointerEvents: 'none' }}>
                <Dropzone.Accept><IconPhotoUp size={28} /></Dropzone.Accept>
                <Dropzone.Reject><IconX size={28} /></Dropzone.Reject>
                <Dropzone.Idle><IconPhotoUp size={28} stroke={1.5} /></Dropzone.Idle>
                <div>
                  <Text size="sm" fw={500}>{view.logoUrl ? 'Replace the logo' : 'Add your logo'}</Text>
                  <Text size="xs" c="dimmed">Drag a PNG or JPEG here, or click. Up to 20 MB and 8000×8000 px.</Text>
                </div>
              </Group>
            </Dropzone>
            {logoError && (
              <Alert color="red" variant="light" mt="sm" icon={<IconAlertTriangle size={18} />} title="Logo not changed" data-testid="logo-error">
                {logoError}
              </Alert>
            )}
            {view.logoUrl && (
              <Button variant="subtle" color="gray" size="xs" mt="xs" onClick={onRemoveLogo}>Remove logo</Button>
            )}
          </Card>
          <Card withBorder padding="lg">
            <Title order={2} size="h4" mb="xs">Preview</Title>
            <Text size="xs" c="dimmed" mb="sm">How your colours and fonts look on a post.</Text>
            <BrandPreview kit={values} logoUrl={view.logoUrl} />
          </Card>
        </Stack>
      </SimpleGrid>

      <Group className="pp-sticky-bar" justify="space-between" mt="lg" py="sm" px="md">
        <Text size="sm" c="dimmed">{dirty ? 'You have unsaved changes.' : 'All changes saved.'}</Text>
        <Group gap="sm">
          <Button variant="default" disabled={!dirty || saving} onClick={() => form.reset()}>Discard changes</Button>
          <Button type="submit" loading={saving} disabled={!dirty}>Save</Button>
        </Group>
      </Group>
    </form>
  );
}
