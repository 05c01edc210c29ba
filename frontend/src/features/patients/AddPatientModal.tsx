import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useFieldAction } from '../../useAction';
import { createPatient } from '../../api/patients';
import type { PatientInput, PatientView } from '../../api/types';
import { DateField } from '../dates/DateField';

const empty: PatientInput = { fullName: '', dateOfBirth: '', email: '', phone: '', ref: '', needsRepresentative: false };

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated: (p: PatientView) => void;
}

export function AddPatientModal({ opened, onClose, onCreated }: Props) {
  const [p, setP] = useState<PatientInput>(empty);
  const { busy, error, run, at: err } = useFieldAction();
  const set = (k: keyof PatientInput, v: string | boolean) => setP((x) => ({ ...x, [k]: v }));

  const save = () =>
    run(async () => {
      const created = await createPatient(p);
      setP(empty);
      onCreated(created);
    });

  return (
    <Modal opened={opened} onClose={onClose} title="Add a patient" size="lg" centered>
      <form onSubmit={(e) => { e.preventDefault(); save(); }}>
        <Stack>
          <Text size="sm" c="dimmed">
            Only what the consent form needs. The date of birth is used to check whether a parent or guardian must sign; it is
            never published.
          </Text>
          <SimpleGrid cols={2}>
            <TextInput label="Full name" value={p.fullName} onChange={(e) => set('fullName', e.currentTarget.value)} error={err('fullName')} data-autofocus required />
            <DateField label="Date of birth" value={p.dateOfBirth} onChange={(v) => set('dateOfBirth', v)} error={err('dateOfBirth')} required />
            <TextInput label="Email" value={p.email} onChange={(e) => set('email', e.currentTarget.value)} error={err('email')} required />
            <TextInput label="Phone (optional)" value={p.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={err('phone')} />
            <TextInput label="Practice reference (optional)" description="Your own patient number" value={p.ref} onChange={(e) => set('ref', e.currentTarget.value)} error={err('ref')} />
          </SimpleGrid>
          <Checkbox label="Someone else must sign for this patient (for example they lack capacity, or an attorney acts for them)"
            checked={p.needsRepresentative} onChange={(e) => set('needsRepresentative', e.currentTarget.checked)} />
          {error && !error.field && <Alert color="red" variant="light">{error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={busy}>Add patient</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
