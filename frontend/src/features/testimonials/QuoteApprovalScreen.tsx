import { useRef, useState } from 'react';
import { Alert, Box, Button, Container, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconSignature } from '@tabler/icons-react';
import { toAppError, type AppError } from '../../api/errors';
import { approveQuote, declineQuote } from '../../api/testimonials';
import type { LockStatus, QuoteApprovalScreen as Screen } from '../../api/types';
import { SignatureField, type SignatureHandle } from '../consent/SignatureField';
import { ink, PatientHeader, soft, StaffUnlock, ThankYou } from '../consent/PatientScreen';
import { QuoteDiff, QuoteDiffLegend } from './QuoteDiff';

// The patient-facing screen, in the signing screen's manner: large
// near-black text on white, one thing to read at a time, and nothing else
// of the app reachable until staff unlock it.
const body = 20;

interface Props {
  view: Screen;
  onUnlocked: (s: LockStatus) => void;
}

export function QuoteApprovalScreen({ view: initial, onUnlocked }: Props) {
  const [view, setView] = useState(initial);
  const [typedName, setTypedName] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState<'' | 'approve' | 'decline'>('');
  const pad = useRef<SignatureHandle>(null);

  const approve = async () => {
    setError(null);
    if (!typedName.trim()) return setError({ code: 'invalid', field: 'typedName', message: 'Please type your full name.' });
    if (!pad.current || pad.current.isEmpty()) {
      return setError({ code: 'invalid', field: 'signature', message: 'Please sign in the box with your finger, a pen or the mouse.' });
    }
    setBusy('approve');
    try {
      setView(await approveQuote({ ...pad.current.capture(), typedName }, view.shownSha256));
      window.scrollTo({ top: 0 });
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy('');
    }
  };

  const decline = async () => {
    setError(null);
    setBusy('decline');
    try {
      setView(await declineQuote());
      window.scrollTo({ top: 0 });
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy('');
    }
  };

  if (view.outcome) {
    return (
      <ThankYou data-testid="approval-done" data-outcome={view.outcome} color={view.outcome === 'approved' ? 'teal' : 'gray'} onUnlocked={onUnlocked}>
        {view.outcome === 'approved'
          ? 'Your approval of the new words and your signature have been saved.'
          : 'You did not approve the new words. The practice will not use them.'}
      </ThankYou>
    );
  }

  const firstName = view.patientName.split(' ')[0];
  return (
    <Box component="main" bg="white" mih="100vh" c={ink} fz={body} style={{ lineHeight: 1.55 }} data-testid="approval-screen">
      <PatientHeader practiceName={view.practiceName} right={`New words for ${view.patientName}`} />
      <Container size={900} py="lg">
        <Paper bg="#eef6ff" p="lg" radius="md" mb="xl" style={{ border: '1px solid #bfdbfe' }}>
          <Text fz={22} fw={700} c={ink} mb={6}>Hello {firstName}. Please check these words.</Text>
          <Text fz={body} c={ink}>
            You agreed that the practice may use your testimonial. The practice would like to use it with a change. Read
            your words and the new words, then approve them with your signature, or say no. Saying no will not change your
            care in any way.
          </Text>
        </Paper>
        <Stack gap="md">
          <Title order={1} fz={28} c={ink}>Approve the new words</Title>
          <Title order={2} fz={23} c={ink} mt="sm">Your words, as you approved them</Title>
          <Box p="md" style={{ borderLeft: '6px solid #6b7280', background: '#f3f4f6', borderRadius: 8 }} data-testid="approval-old">
            <Text fz={22} fs="italic" c={ink} style={{ whiteSpace: 'pre-wrap' }}>“{view.approved}”</Text>
          </Box>
          <Title order={2} fz={23} c={ink} mt="sm">The new words</Title>
          <Box p="md" style={{ borderLeft: '6px solid #0b6e6e', background: '#f3f4f6', borderRadius: 8 }} data-testid="approval-new">
            <Text fz={22} fs="italic" c={ink} style={{ whiteSpace: 'pre-wrap' }}>“{view.edited}”</Text>
          </Box>
          <Text fz={body} fw={600} c={ink} mt="sm">What changed</Text>
          <QuoteDiff parts={view.change.parts} size={body} />
          <QuoteDiffLegend size={18} />
          <Paper withBorder p="md" radius="md" style={{ borderColor: view.change.lengthOrTypos ? '#9ca3af' : '#b45309', borderWidth: 2 }}
            data-testid="approval-statement">
            <Text fz={body} c={ink}>{view.statement}</Text>
          </Paper>
        </Stack>

        <Paper withBorder radius="md" p="lg" mt={40} style={{ borderWidth: 2, borderColor: '#6b7280' }}>
          <Group gap="sm" mb="md">
            <IconSignature size={30} />
            <Title order={2} fz={25} c={ink}>Your answer</Title>
          </Group>
          <Stack gap="lg">
            <TextInput size="xl" label="Type your full name" value={typedName} onChange={(e) => setTypedName(e.currentTarget.value)}
              autoComplete="off" data-testid="approval-typed-name" styles={{ label: { fontSize: body, color: ink, marginBottom: 6 } }}
              error={error?.field === 'typedName' ? error.message : undefined} />
            <Box style={{ userSelect: 'none', WebkitUserSelect: 'none' }}>
              <Text fz={body} fw={500} mb={6} c={ink}>Your signature</Text>
              <SignatureField ref={pad} label="Signature" error={error?.field === 'signature' ? error.message : undefined}
                onChange={() => error?.field === 'signature' && setError(null)} />
            </Box>
            {error && error.field !== 'signature' && error.field !== 'typedName' && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={28} />} data-testid="approval-screen-error"
                styles={{ message: { fontSize: body, color: '#7f1d1d' } }}>
                {error.message}
              </Alert>
            )}
            <Button size="xl" h={72} fz={24} fullWidth onClick={approve} loading={busy === 'approve'} disabled={busy === 'decline'}
              data-testid="approve-quote">
              I approve the new words and sign
            </Button>
            <Button size="xl" h={64} fz={22} fullWidth variant="outline" color="dark" onClick={decline} loading={busy === 'decline'}
              disabled={busy === 'approve'} data-testid="decline-quote">
              No, I do not approve them
            </Button>
            <Text fz={18} c={soft} ta="center">
              If you say no, the practice keeps to the words you approved before. You can withdraw your consent at any time.
            </Text>
          </Stack>
        </Paper>
        <StaffUnlock onUnlocked={onUnlocked} />
      </Container>
    </Box>
  );
}
