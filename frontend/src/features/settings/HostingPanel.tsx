import { useCallback, useEffect, useState } from 'react';
import {
  Alert, Badge, Button, Checkbox, Group, List, Loader, Paper, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCloudUpload, IconPlugConnected } from '@tabler/icons-react';
import {
  HostingEvents, disconnectHosting, getHosting, saveHosting, testHosting,
} from '../../api/hosting';
import type { HostingCheck, HostingInput, HostingSettings } from '../../api/hosting';
import { onEvent } from '../../api/system';
import { toAppError } from '../../api/errors';

const providers = [
  { value: 'aws', label: 'Amazon S3', endpoint: 'https://s3.eu-west-2.amazonaws.com', region: 'eu-west-2', hint: 'The address is https://s3.<region>.amazonaws.com.' },
  { value: 'r2', label: 'Cloudflare R2', endpoint: 'https://<account id>.r2.cloudflarestorage.com', region: 'auto', hint: 'The account id is in the R2 overview; the region is “auto”.' },
  { value: 'b2', label: 'Backblaze B2', endpoint: 'https://s3.us-west-004.backblazeb2.com', region: 'us-west-004', hint: 'Use the bucket’s S3 endpoint shown in B2; make an application key for this bucket only.' },
  { value: 'minio', label: 'MinIO', endpoint: 'https://minio.example.com', region: 'us-east-1', hint: 'The server must be reachable from the internet over https for Instagram and Google.' },
  { value: 'other', label: 'Other S3-compatible', endpoint: 'https://', region: 'us-east-1', hint: 'Any service speaking the S3 API with presigned links.' },
];

const empty: HostingInput = { provider: 'aws', endpoint: '', region: '', bucket: '', accessKeyId: '', secretAccessKey: '', pathStyle: false };

/** Settings → Media hosting: the practice's own bucket for Instagram and Google images. */
export function HostingPanel() {
  const [saved, setSaved] = useState<HostingSettings | null>(null);
  const [form, setForm] = useState<HostingInput>(empty);
  const [busy, setBusy] = useState('');
  const [check, setCheck] = useState<HostingCheck | null>(null);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);

  const load = useCallback(() => {
    getHosting().then((h) => {
      setSaved(h);
      if (h.connected || h.bucket) {
        setForm({ provider: h.provider || 'other', endpoint: h.endpoint, region: h.region, bucket: h.bucket, accessKeyId: h.accessKeyId, secretAccessKey: '', pathStyle: h.pathStyle });
      }
    }).catch((e) => setError(toAppError(e)));
  }, []);
  useEffect(() => {
    load();
    return onEvent(HostingEvents.changed, load);
  }, [load]);

  const set = (patch: Partial<HostingInput>) => setForm((f) => ({ ...f, ...patch }));
  const run = async (what: string, fn: () => Promise<HostingCheck | void>) => {
    setBusy(what);
    setError(null);
    setCheck(null);
    try {
      const r = await fn();
      if (r) setCheck(r);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy('');
    }
  };
  const at = (f: string) => (error?.field === f ? error.message : undefined);
  const preset = providers.find((p) => p.value === form.provider) ?? providers[4];

  if (!saved) return <Loader />;
  return (
    <Stack gap="md" maw={760} data-testid="hosting-panel">
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="xs">
          <Group gap="xs"><IconCloudUpload size={20} /><Title order={2} size="h4">Media hosting</Title></Group>
          {saved.connected
            ? <Badge color="teal" leftSection={<IconCircleCheck size={12} />} data-testid="hosting-state">Connected: {saved.bucket}</Badge>
            : <Badge color="gray" data-testid="hosting-state">Not connected</Badge>}
        </Group>
        <Text size="sm">
          Instagram and Google do not take uploads: they download each image from a web address. PracticePost puts the image in the
          practice’s <b>own</b> storage bucket, gives the platform a private link that works for 15 minutes, and deletes the image as soon
          as the platform has it. No patient photo is ever hosted anywhere else.
        </Text>
        <Text size="sm" c={saved.connected ? 'dimmed' : 'orange.8'} mt="xs" data-testid="hosting-message">{saved.message}</Text>
        {saved.connected && saved.warnings.length > 0 && (
          <Alert mt="sm" color="orange" variant="light" icon={<IconAlertTriangle size={16} />} title="From the last check">
            <List size="sm">{saved.warnings.map((w) => <List.Item key={w}>{w}</List.Item>)}</List>
          </Alert>
        )}
      </Paper>

      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Select label="Where is the bucket?" data={providers.map((p) => ({ value: p.value, label: p.label }))} value={form.provider}
            onChange={(v) => {
              const p = providers.find((x) => x.value === v);
              set({ provider: v ?? 'other', region: form.region || (p?.region ?? ''), pathStyle: v === 'minio' ? true : form.pathStyle });
            }}
            allowDeselect={false} error={at('provider')} data-testid="hosting-provider" />
          <TextInput label="S3 address (endpoint)" description={preset.hint} placeholder={preset.endpoint} value={form.endpoint}
            onChange={(e) => set({ endpoint: e.currentTarget.value })} error={at('endpoint')} data-testid="hosting-endpoint" />
          <SimpleGrid cols={2}>
            <TextInput label="Bucket name" placeholder="smile-dental-media" value={form.bucket} onChange={(e) => set({ bucket: e.currentTarget.value })}
              error={at('bucket')} data-testid="hosting-bucket" />
            <TextInput label="Region" placeholder={preset.region} value={form.region} onChange={(e) => set({ region: e.currentTarget.value })}
              error={at('region')} data-testid="hosting-region" />
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <TextInput label="Access key ID" value={form.accessKeyId} onChange={(e) => set({ accessKeyId: e.currentTarget.value })}
              error={at('accessKeyId')} data-testid="hosting-access-key" />
            <PasswordInput label="Secret access key" placeholder={saved.hasSecret ? 'Saved in the keychain; leave empty to keep it' : ''}
              value={form.secretAccessKey} onChange={(e) => set({ secretAccessKey: e.currentTarget.value })} error={at('secretAccessKey')}
              data-testid="hosting-secret" />
          </SimpleGrid>
          <Checkbox label="Put the bucket name in the path (MinIO and most self-hosted servers need this)" checked={form.pathStyle}
            onChange={(e) => set({ pathStyle: e.currentTarget.checked })} data-testid="hosting-path-style" />
          <Text size="xs" c="dimmed">
            Give the key permission to put, get, list and delete objects in this bucket only. The secret key is kept in this computer’s
            keychain, never in PracticePost’s data file. Keep the bucket private: PracticePost’s links open single images for a few minutes.
          </Text>
          {error && !error.field && <Alert color="red" data-testid="hosting-error">{error.message}</Alert>}
          {check && (
            <Alert color={check.warnings.length ? 'orange' : 'teal'} variant="light" data-testid="hosting-result"
              icon={check.warnings.length ? <IconAlertTriangle size={16} /> : <IconCircleCheck size={16} />}>
              <Text size="sm">{check.message}</Text>
              {check.warnings.length > 0 && (
                <List size="sm" mt={4} data-testid="hosting-warnings">{check.warnings.map((w) => <List.Item key={w}>{w}</List.Item>)}</List>
              )}
            </Alert>
          )}
          <Group justify="space-between">
            <Group gap="xs">
              <Button variant="light" loading={busy === 'test'} disabled={!!busy} onClick={() => run('test', () => testHosting(form))} data-testid="hosting-test">
                Test connection
              </Button>
              <Button leftSection={<IconPlugConnected size={16} />} loading={busy === 'save'} disabled={!!busy}
                onClick={() => run('save', async () => { const r = await saveHosting(form); set({ secretAccessKey: '' }); load(); return r; })}
                data-testid="hosting-save">
                Test and save
              </Button>
            </Group>
            {saved.connected && (
              <Button variant="subtle" color="red" loading={busy === 'remove'} disabled={!!busy}
                onClick={() => {
                  if (window.confirm('Disconnect the bucket? Instagram will not take posts and Google posts will go without photos until you connect one again.')) {
                    run('remove', async () => { await disconnectHosting(); setForm(empty); load(); });
                  }
                }}>
                Disconnect
              </Button>
            )}
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
