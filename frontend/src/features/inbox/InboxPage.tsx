import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  Alert, Anchor, Badge, Button, Card, Checkbox, Group, Loader, Menu, SegmentedControl, Select, Stack, Text, Textarea, ThemeIcon, Title, Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle, IconCheck, IconEyeOff, IconExternalLink, IconInbox, IconMessageCircle, IconRefresh, IconStarFilled, IconTemplate, IconTrash,
} from '@tabler/icons-react';
import { errorMessage } from '../../api/errors';
import { onEvent } from '../../api/system';
import {
  checkReply, deleteComment, hideComment, InboxEvents, listInbox, practiceDate, refreshInbox, rewritePrefix, sendReply, setInboxRetention,
  type Finding, type InboxFilter, type InboxItem, type InboxThread, type InboxView, type RefreshResult, type ReplyCheck,
} from '../../api/inbox';

const kinds = [
  { value: '', label: 'Everything' },
  { value: 'review', label: 'Reviews' },
  { value: 'comment', label: 'Comments' },
  { value: 'reply', label: 'Replies' },
];

/**
 * The Inbox: comments and reviews from every connected channel in one
 * list, unanswered first. Replies are checked as they are typed (the reply
 * guard and the one gate) and sent only when nothing blocks them.
 */
export function InboxPage() {
  const [filter, setFilter] = useState<InboxFilter>({ platform: '', kind: '', unanswered: false });
  const [view, setView] = useState<InboxView | null>(null);
  const [error, setError] = useState('');
  const [refreshing, setRefreshing] = useState(false);
  const [refreshed, setRefreshed] = useState<RefreshResult | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [progress, setProgress] = useState('');
  useEffect(() => onEvent(InboxEvents.progress, (p) => setProgress(`Reading ${p.channel} (${p.done + 1} of ${p.total})…`)), []);

  const load = useCallback(() => {
    listInbox(filter).then((v) => { setView(v); setError(''); }).catch((e) => setError(errorMessage(e)));
  }, [filter]);
  useEffect(() => {
    load();
    return onEvent(InboxEvents.changed, load);
  }, [load]);

  const refresh = () => {
    setRefreshing(true);
    refreshInbox()
      .then((r) => { setRefreshed(r); load(); })
      .catch((e) => setError(errorMessage(e)))
      .finally(() => { setRefreshing(false); setProgress(''); });
  };

  const country = view?.country ?? 'GB';
  const failed = refreshed?.channels.filter((c) => c.error) ?? [];
  const added = refreshed?.channels.reduce((n, c) => n + c.added, 0) ?? 0;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={1} size="h2">Inbox</Title>
          <Text c="dimmed">Comments and reviews from your channels, unanswered first. Every reply is checked for words that would confirm someone is a patient before it goes.</Text>
        </div>
        <Button style={{ flexShrink: 0 }} leftSection={refreshing ? <Loader size={14} color="white" /> : <IconRefresh size={16} />} onClick={refresh} disabled={refreshing} data-testid="inbox-refresh">
          {refreshing ? 'Collecting…' : 'Collect comments'}
        </Button>
      </Group>

      {error && <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="inbox-error">{error}</Alert>}
      {refreshing && progress && <Text size="sm" c="dimmed" data-testid="inbox-progress">{progress}</Text>}
      {refreshed && failed.length === 0 && (
        <Alert color="teal" icon={<IconCheck size={18} />} withCloseButton onClose={() => setRefreshed(null)} data-testid="inbox-refreshed">
          {added === 0 ? 'Nothing new.' : `${added} new comment${added === 1 ? '' : 's'} or review${added === 1 ? '' : 's'} collected.`}
          {refreshed.removed > 0 ? ` ${refreshed.removed} older than ${view?.retentionDays} days were removed, as Settings says.` : ''}
        </Alert>
      )}
      {failed.map((c) => (
        <Alert key={c.channel} color="orange" icon={<IconAlertTriangle size={18} />} title={`${c.title}${c.name ? ` (${c.name})` : ''}`} data-testid="inbox-channel-error">
          {c.error}
        </Alert>
      ))}

      <Group gap="md" align="flex-end">
        <SegmentedControl data={kinds} value={filter.kind} onChange={(k) => setFilter({ ...filter, kind: k as InboxFilter['kind'] })} data-testid="inbox-kind" />
        <Select
          w={220}
          aria-label="Channel"
          data={[{ value: '', label: 'All channels' }, ...(view?.channels ?? [])]}
          value={filter.platform}
          onChange={(v) => setFilter({ ...filter, platform: v ?? '' })}
          allowDeselect={false}
          data-testid="inbox-channel"
        />
        <Checkbox label="Only unanswered" checked={filter.unanswered} onChange={(e) => setFilter({ ...filter, unanswered: e.currentTarget.checked })} mb={6} />
        {view && (
          <Text size="sm" c="dimmed" mb={6} data-testid="inbox-count">
            {view.summary.unanswered === 0 ? 'Nothing waiting for an answer' : `${view.summary.unanswered} waiting for an answer`}
          </Text>
        )}
      </Group>

      {!view && !error && <Loader size="sm" color="gray" />}
      {view && view.threads.length === 0 && (
        <Card withBorder padding="xl">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon variant="light" size={36}><IconInbox size={20} /></ThemeIcon>
            <div>
              <Text fw={600}>No comments here yet</Text>
              <Text size="sm" c="dimmed">
                Choose “Collect new comments” to read comments on your recent posts and your Google reviews. Channels you connect in Channels are included.
              </Text>
            </div>
          </Group>
        </Card>
      )}
      <Stack gap="md">
        {view?.threads.map((t) => (
          <ThreadCard key={t.root.id} thread={t} view={view} country={country} open={open === t.root.id} onOpen={(o) => setOpen(o ? t.root.id : null)} />
        ))}
      </Stack>
      {view && <Retention days={view.retentionDays} onSaved={load} />}
    </Stack>
  );
}

const keepFor = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '180', label: '6 months' },
  { value: '365', label: '1 year' },
  { value: '730', label: '2 years' },
];

/** How long collected comments are kept: they are personal data. */
function Retention({ days, onSaved }: { days: number; onSaved: () => void }) {
  const [err, setErr] = useState('');
  const [saved, setSaved] = useState(false);
  const value = keepFor.some((k) => k.value === String(days)) ? String(days) : null;
  return (
    <Group gap="sm" align="center" data-testid="inbox-retention">
      <Text size="sm" c="dimmed">Keep collected comments and reviews for</Text>
      <Select
        w={140} size="xs" aria-label="Keep comments for" data={keepFor} value={value} placeholder={`${days} days`} allowDeselect={false}
        onChange={(v) => v && setInboxRetention(Number(v)).then(() => { setSaved(true); setErr(''); onSaved(); }).catch((e) => setErr(errorMessage(e)))}
      />
      <Text size="xs" c="dimmed">They hold people's own words about their health, so older ones are removed each time comments are collected.</Text>
      {saved && <Text size="xs" c="teal">Saved.</Text>}
      {err && <Text size="xs" c="red">{err}</Text>}
    </Group>
  );
}

function Stars({ n }: { n: number }) {
  return (
    <Group gap={1} role="img" aria-label={`${n} out of 5 stars`} data-testid="stars">
      {[1, 2, 3, 4, 5].map((i) => (
        <IconStarFilled key={i} size={14} color={i <= n ? 'var(--mantine-color-yellow-6)' : 'var(--mantine-color-gray-3)'} />
      ))}
    </Group>
  );
}

function who(it: InboxItem): string {
  if (it.fromPractice) return 'Your practice';
  return it.author || 'Someone (name not shared)';
}

function ThreadCard({ thread, view, country, open, onOpen }: { thread: InboxThread; view: InboxView; country: string; open: boolean; onOpen: (o: boolean) => void }) {
  const [sent, setSent] = useState('');
  const r = thread.root;
  const waiting = thread.waiting;
  const target = waiting ?? r;
  return (
    <Card withBorder padding="md" data-testid="inbox-thread" data-answered={waiting ? 'no' : 'yes'}
      style={waiting ? { borderLeft: '4px solid var(--mantine-color-orange-5)' } : undefined}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="xs" wrap="wrap">
          <Badge variant="light" color="gray">{thread.title}</Badge>
          <Badge variant="light" color={r.kind === 'review' ? 'yellow' : 'blue'}>{r.kind === 'review' ? 'Review' : r.kind === 'reply' ? 'Reply' : 'Comment'}</Badge>
          {r.kind === 'review' && <Stars n={r.stars} />}
          {r.hidden && <Badge variant="outline" color="gray">Hidden</Badge>}
          {r.gone && <Badge variant="outline" color="gray">Removed from {thread.title}</Badge>}
        </Group>
        {waiting ? (
          <Badge color="orange" variant="filled" data-testid="waiting">Waiting since {practiceDate(waiting.createdAt, country)}</Badge>
        ) : (
          <Badge color="teal" variant="light" leftSection={<IconCheck size={12} />} data-testid="answered">Answered</Badge>
        )}
      </Group>
      <Text fw={600} mt="xs">{who(r)}</Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{r.text || (r.kind === 'review' ? 'A star rating without words.' : '')}</Text>
      <Text size="xs" c="dimmed">{practiceDate(r.createdAt, country)}{thread.channelName ? ` · ${thread.channelName}` : ''}</Text>
      {thread.discloses && waiting && (
        <Alert color="orange" variant="light" p="xs" mt="xs" data-testid="inbox-discloses">
          <Text size="sm">
            They mention their own health here. Don't repeat it in a reply{thread.caps.hide ? `; you can hide the comment on ${thread.title} and move the conversation somewhere private` : ' and move the conversation somewhere private'}.
          </Text>
        </Alert>
      )}
      {r.replyText && (
        <Card bg="var(--mantine-color-gray-0)" padding="xs" mt="xs" radius="sm">
          <Text size="xs" fw={600}>Your reply{r.replyState === 'REJECTED' ? ' (Google did not publish it)' : r.replyState === 'PENDING' ? ' (Google is checking it)' : ''}</Text>
          <Text size="sm">{r.replyText}</Text>
        </Card>
      )}
      {thread.replies.length > 0 && (
        <Stack gap={6} mt="xs" pl="md" style={{ borderLeft: '2px solid var(--mantine-color-gray-3)' }}>
          {thread.replies.map((it) => (
            <div key={it.id}>
              <Text size="sm"><b>{who(it)}</b> {it.hidden ? '(hidden) ' : ''}{it.gone ? '(removed) ' : ''}{it.text}</Text>
              <Text size="xs" c="dimmed">{practiceDate(it.createdAt, country)}</Text>
            </div>
          ))}
        </Stack>
      )}
      {sent && !open && <Text size="sm" c="teal" mt="xs" data-testid="reply-sent"><IconCheck size={14} /> {sent}</Text>}
      {!open ? (
        <Group mt="sm" gap="xs">
          <ReplyButton thread={thread} target={target} onOpen={() => onOpen(true)} />
          <ModerateButtons thread={thread} target={target} />
        </Group>
      ) : (
        <ReplyBox thread={thread} target={target} view={view} onClose={() => onOpen(false)} onSent={(m) => { setSent(m); onOpen(false); }} />
      )}
    </Card>
  );
}

function replyBlocker(thread: InboxThread, target: InboxItem): string {
  if (target.gone) return `This is no longer on ${thread.title}, so it cannot be answered.`;
  if (!thread.caps.reply) return `${thread.title} does not let PracticePost reply. Open it on ${thread.title} to reply there.`;
  return '';
}

function ReplyButton({ thread, target, onOpen }: { thread: InboxThread; target: InboxItem; onOpen: () => void }) {
  const why = replyBlocker(thread, target);
  const b = (
    <Button size="xs" leftSection={<IconMessageCircle size={14} />} onClick={onOpen} disabled={!!why} data-testid="inbox-reply-open">
      {thread.waiting ? 'Reply' : 'Reply again'}
    </Button>
  );
  return why ? <Tooltip label={why} multiline w={280}><span>{b}</span></Tooltip> : b;
}

function ModerateButtons({ thread, target }: { thread: InboxThread; target: InboxItem }) {
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  if (target.fromPractice) return null;
  // Buttons the platform never offers are left out (Google reviews cannot
  // be hidden or deleted); ones it refuses for this comment say why.
  const hideWhy = !target.canHide ? `${thread.title} does not allow hiding this one.` : '';
  const delWhy = !target.canDelete ? `${thread.title} does not allow deleting this one.` : '';
  const run = (p: Promise<{ message: string }>) => {
    setBusy(true);
    setErr('');
    p.then((o) => setMsg(o.message)).catch((e) => setErr(errorMessage(e))).finally(() => setBusy(false));
  };
  const hide = (
    <Button size="xs" variant="default" leftSection={<IconEyeOff size={14} />} disabled={!!hideWhy || busy} onClick={() => run(hideComment(target.id, !target.hidden))}>
      {target.hidden ? 'Show again' : 'Hide'}
    </Button>
  );
  const del = (
    <Button size="xs" variant="default" color="red" leftSection={<IconTrash size={14} />} disabled={!!delWhy || busy} onClick={() => run(deleteComment(target.id))}>
      Delete
    </Button>
  );
  return (
    <>
      {thread.caps.hide && (hideWhy ? <Tooltip label={hideWhy} multiline w={260}><span>{hide}</span></Tooltip> : hide)}
      {thread.caps.delete && (delWhy ? <Tooltip label={delWhy} multiline w={260}><span>{del}</span></Tooltip> : del)}
      {(target.url || target.postUrl) && (
        <Anchor size="xs" href={target.url || target.postUrl} target="_blank" rel="noreferrer">
          Open on {thread.title} <IconExternalLink size={12} />
        </Anchor>
      )}
      {msg && <Text size="xs" c="teal">{msg}</Text>}
      {err && <Text size="xs" c="red">{err}</Text>}
    </>
  );
}

/** Highlights the words a finding is about, in the reply as typed. */
function Highlighted({ text, findings }: { text: string; findings: Finding[] }) {
  const spans = findings.filter((f) => f.end > f.start).sort((a, b) => a.start - b.start);
  if (spans.length === 0) return null;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const bytes = enc.encode(text);
  const parts: ReactNode[] = [];
  let at = 0;
  spans.forEach((f, i) => {
    if (f.start < at) return;
    parts.push(<span key={`t${i}`}>{dec.decode(bytes.slice(at, f.start))}</span>);
    parts.push(
      <mark key={`m${i}`} style={{ background: f.severity === 'block' ? 'var(--mantine-color-red-2)' : 'var(--mantine-color-yellow-2)', borderRadius: 3 }}>
        {dec.decode(bytes.slice(f.start, f.end))}
      </mark>,
    );
    at = f.end;
  });
  parts.push(<span key="rest">{dec.decode(bytes.slice(at))}</span>);
  return <Text size="sm" p="xs" bg="var(--mantine-color-gray-0)" style={{ borderRadius: 6, whiteSpace: 'pre-wrap' }} data-testid="reply-highlight">{parts}</Text>;
}

function ReplyBox({ thread, target, view, onClose, onSent }: { thread: InboxThread; target: InboxItem; view: InboxView; onClose: () => void; onSent: (message: string) => void }) {
  const [text, setText] = useState('');
  const [check, setCheck] = useState<ReplyCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string; openUrl: string } | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    if (!text.trim()) { setCheck(null); return; }
    const n = ++seq.current;
    setChecking(true);
    const t = setTimeout(() => {
      checkReply(target.id, text)
        .then((c) => { if (n === seq.current) setCheck(c); })
        .catch(() => undefined)
        .finally(() => { if (n === seq.current) setChecking(false); });
    }, 250);
    return () => clearTimeout(t);
  }, [text, target.id]);

  const blocks = check?.findings.filter((f) => f.severity === 'block') ?? [];
  const warns = check?.findings.filter((f) => f.severity === 'warn') ?? [];
  const stale = checking || (text.trim() !== '' && check === null);
  const why = !text.trim() ? 'Type a reply first, or start from a template.'
    : stale ? 'Checking the reply…'
    : blocks.length > 0 ? 'Change the highlighted words first: this reply must not go out as it is.'
    : '';

  const send = () => {
    setSending(true);
    setResult(null);
    sendReply(target.id, text)
      .then((o) => {
        if (o.blocked) { setCheck({ findings: o.findings ?? [], blocked: true, private: check?.private ?? '' }); return; }
        if (o.sent) { onSent(o.message); return; }
        setResult({ ok: false, message: o.message, openUrl: o.openUrl });
      })
      .catch((e) => setResult({ ok: false, message: errorMessage(e), openUrl: '' }))
      .finally(() => setSending(false));
  };

  const suggested = view.templates.find((t) => t.situation === thread.suggested);
  const useRewrite = (f: Finding) => setText(f.fix.slice(rewritePrefix.length));

  return (
    <Stack gap="xs" mt="sm" data-testid="reply-box">
      {thread.caps.replyNote && <Alert color="blue" variant="light" p="xs"><Text size="sm">{thread.caps.replyNote}</Text></Alert>}
      <Group gap="xs">
        <Menu shadow="md" width={360} position="bottom-start">
          <Menu.Target>
            <Button size="xs" variant="light" leftSection={<IconTemplate size={14} />} data-testid="template-menu">Start from a template</Button>
          </Menu.Target>
          <Menu.Dropdown>
            {view.templates.map((t) => (
              <Menu.Item key={t.situation} onClick={() => setText(t.text)} data-testid={`template-${t.situation}`}>
                <Text size="sm" fw={600}>{t.title}{t.situation === thread.suggested ? ' (suggested)' : ''}</Text>
                <Text size="xs" c="dimmed">{t.hint}</Text>
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        {suggested && !text && (
          <Button size="xs" variant="subtle" onClick={() => setText(suggested.text)} data-testid="template-suggested">Use “{suggested.title}”</Button>
        )}
      </Group>
      <Textarea
        aria-label={`Reply to ${who(target)}`}
        placeholder="Write a reply. Don't mention the person's visit, treatment, costs or name; offer to talk privately."
        autosize minRows={3} maxRows={10}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        data-testid="reply-text"
      />
      {check && check.findings.length > 0 && <Highlighted text={text} findings={check.findings} />}
      {blocks.map((f, i) => (
        <Alert key={`b${i}`} color="red" variant="light" icon={<IconAlertTriangle size={16} />} title={f.text ? `“${f.text}”` : 'This reply cannot go out'} data-testid="reply-block">
          <Text size="sm">{f.message}</Text>
          {f.fix && (
            <Group gap="xs" mt={4} wrap="nowrap" align="flex-start">
              <Text size="sm" fs="italic" style={{ flex: 1 }}>{f.fix}</Text>
              {f.fix.startsWith(rewritePrefix) && <Button size="compact-xs" variant="white" onClick={() => useRewrite(f)}>Use this</Button>}
            </Group>
          )}
        </Alert>
      ))}
      {warns.map((f, i) => (
        <Alert key={`w${i}`} color="yellow" variant="light" p="xs" data-testid="reply-warn">
          <Text size="sm">{f.message}</Text>
          {f.fix && <Text size="xs" c="dimmed">{f.fix}</Text>}
        </Alert>
      ))}
      {check && check.findings.length === 0 && text.trim() && !checking && (
        <Text size="sm" c="teal.9" data-testid="reply-clear">
          <IconCheck size={14} /> The check found nothing to change. It cannot catch every way of saying it: read the reply once more as a
          stranger would. Does it say or hint that they are a patient, or what care they had?
        </Text>
      )}
      {result && (
        <Alert color={result.ok ? 'teal' : 'orange'} variant="light" data-testid="reply-result">
          <Text size="sm">{result.message}</Text>
          {result.openUrl && (
            <Anchor href={result.openUrl} target="_blank" rel="noreferrer" size="sm">Open the post on {thread.title} <IconExternalLink size={12} /></Anchor>
          )}
        </Alert>
      )}
      <Group gap="xs">
        {why ? (
          <Tooltip label={why} multiline w={280}><span><Button size="sm" disabled data-testid="reply-send">Send reply</Button></span></Tooltip>
        ) : (
          <Button size="sm" onClick={send} loading={sending} data-testid="reply-send">Send reply</Button>
        )}
        <Button size="sm" variant="default" onClick={onClose}>Close</Button>
        {why && <Text size="xs" c="dimmed" data-testid="reply-why">{why}</Text>}
      </Group>
    </Stack>
  );
}
