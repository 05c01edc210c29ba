export namespace app {
	
	export interface AuditEntry {
	    id: number;
	    at: string;
	    actor: string;
	    action: string;
	    subject: string;
	    detail: Record<string, string>;
	    prevHash: string;
	    hash: string;
	}
	export interface AuditPage {
	    entries: AuditEntry[];
	    total: number;
	}
	export interface BackupFile {
	    path: string;
	    name: string;
	    size: number;
	    modified: string;
	    automatic: boolean;
	}
	export interface BrandColors {
	    primary: string;
	    secondary: string;
	    accent: string;
	    text: string;
	    background: string;
	}
	export interface Clinician {
	    name: string;
	    role: string;
	    regulator: string;
	    number: string;
	    specialist: boolean;
	}
	export interface BrandKit {
	    practiceName: string;
	    address: string;
	    phone: string;
	    email: string;
	    website: string;
	    country: string;
	    disclaimer: string;
	    hashtags: string[];
	    colors: BrandColors;
	    headingFont: string;
	    bodyFont: string;
	    logoSha256: string;
	    clinicians: Clinician[];
	    updatedAt: string;
	}
	// A calendar date, "YYYY-MM-DD" (CivilDate.MarshalText).
	export type CivilDate = string;
	
	export interface ConsentMedia {
	    sha256: string;
	    kind: string;
	    label: string;
	}
	export interface ContrastWarning {
	    pair: string;
	    ratio: number;
	    needed: number;
	    message: string;
	}
	export interface DraftMedia {
	    mediaId: number;
	    sha256: string;
	    altText: string;
	    setId?: string | null;
	}
	export interface Draft {
	    id: number;
	    title: string;
	    body: string;
	    versions: Record<string, string>;
	    channels: string[];
	    hashtags: string[];
	    link: string;
	    utm: boolean;
	    campaign: string;
	    pillar: string;
	    media: DraftMedia[];
	    testimonials: number[];
	    paid: boolean;
	    status: string;
	    scheduledAt?: string | null;
	    localTime: string;
	    zone: string;
	    awarenessId: string;
	    createdAt: string;
	    updatedAt: string;
	}
	
	export interface Idea {
	    id: number;
	    sourceId: string;
	    specialty: string;
	    pillar: string;
	    title: string;
	    text: string;
	    hashtags: string[];
	}
	export interface ImageDeclaration {
	    declared: string;
	    notPatientWords: boolean;
	}
	export interface ImageSource {
	    kind: string;
	    consentId?: number | null;
	    mediaSha256?: string | null;
	    shows?: string[] | null;
	    declared?: string | null;
	}
	export interface InboxItem {
	    id: number;
	    platform: string;
	    channel: string;
	    remoteId: string;
	    parentId: string;
	    postId: string;
	    postUrl: string;
	    url: string;
	    kind: string;
	    author: string;
	    authorId: string;
	    fromPractice: boolean;
	    text: string;
	    stars: number;
	    createdAt: string;
	    updatedAt: string;
	    hidden: boolean;
	    gone: boolean;
	    canReply: boolean;
	    canHide: boolean;
	    canDelete: boolean;
	    replyText: string;
	    repliedAt: string;
	    replyState: string;
	    seenAt: string;
	}
	export interface Patient {
	    id: number;
	    ref: string;
	    fullName: string;
	    dateOfBirth: CivilDate;
	    email: string;
	    phone: string;
	    needsRepresentative: boolean;
	    createdAt: string;
	}
	export interface PlatformInfo {
	    name: string;
	    channel: string;
	    title: string;
	    counting: string;
	    maxText: number;
	    maxTextBytes: number;
	    maxImages: number;
	    feedCut: number;
	    feedAspect: number;
	    feedAspectLabel: string;
	    size: string;
	    altText: boolean;
	    nativeSchedule: boolean;
	    deleteByHand?: string | null;
	    postMetrics: boolean;
	    replies: string;
	    replyMaxBytes: number;
	}
	export interface Publication {
	    consentId: number;
	    postId: number;
	    platform: string;
	    remoteId: string;
	    url: string;
	    publishedAt: string;
	}
	export interface Remuneration {
	    kind: string;
	    description: string;
	    disclosure: string;
	}
	export interface SenderCheck {
	    authServId: string;
	    dmarc: string;
	    spf: string;
	    dkim: string;
	    headerFrom: string;
	    verdict: string;
	    forged: boolean;
	}
	export interface Signer {
	    name: string;
	    representative: boolean;
	    relationship: string;
	    authority: string;
	}
	export interface StrokePoint {
	    x: number;
	    y: number;
	    t: number;
	}
	export interface Testimonial {
	    id: number;
	    patientId: number;
	    consentId: number;
	    quote: string;
	    source: string;
	    saidOn: CivilDate;
	    nameAs: string;
	    showsFace: boolean;
	    media: ConsentMedia[];
	    createdAt: string;
	}

}

export namespace assets {
	
	export interface FontFamily {
	    name: string;
	    kind: string;
	    regular: string;
	    bold: string;
	    italic: string;
	    license: string;
	}
	export interface Library {
	    name: string;
	    version: string;
	    ecosystem: string;
	    licence: string;
	    text: string;
	}

}

export namespace audit {
	
	export interface ChainBreak {
	    id: number;
	    kind: string;
	    reason: string;
	}

}

export namespace consent {
	
	export interface Problem {
	    code: string;
	    reason: string;
	}
	export interface ChannelVerdict {
	    channel: string;
	    label: string;
	    mayPublish: boolean;
	    problems: Problem[];
	    mayBoost: boolean;
	    boostProblems: Problem[];
	}
	
	export interface QuoteDiffPart {
	    op: string;
	    text: string;
	}
	export interface QuoteEdit {
	    parts: QuoteDiffPart[];
	    lengthOrTypos: boolean;
	    added: string[];
	}

}

export namespace gate {
	
	export interface ReplyResult {
	    findings: guard.Finding[];
	    blocked: boolean;
	    private: string;
	}

}

export namespace gbp {
	
	export interface Location {
	    accountId: string;
	    accountName: string;
	    locationId: string;
	    title: string;
	    address: string;
	}

}

export namespace guard {
	
	export interface Counter {
	    name: string;
	    used: number;
	    limit: number;
	}
	export interface Finding {
	    kind: string;
	    severity: string;
	    start: number;
	    end: number;
	    text?: string | null;
	    message: string;
	    fix: string;
	    channel?: string | null;
	    image?: number | null;
	}

}

export namespace inbox {
	
	export interface Filled {
	    situation: string;
	    title: string;
	    hint: string;
	    text: string;
	}
	export interface Filter {
	    platform: string;
	    kind: string;
	    unanswered: boolean;
	}
	export interface Summary {
	    unanswered: number;
	    oldestWaiting: string;
	}

}

export namespace insights {
	
	export interface ChannelTotals {
	    id: string;
	    platform: string;
	    name: string;
	    posts: number;
	    interactions: number;
	    reactions: number;
	    comments: number;
	    shares: number;
	    saves: number;
	    reach?: number | null;
	    views?: number | null;
	    clicks?: number | null;
	    followers?: number | null;
	    growth?: number | null;
	    growthSince: string;
	    rate: number;
	    hasRate: boolean;
	    basis: string;
	    basisNote: string;
	    calls?: number | null;
	    directions?: number | null;
	}
	export interface Slots {
	    weekdays: Group[];
	    hours: Group[];
	    posts: number;
	    bestDay?: Group | null;
	    bestHour?: Group | null;
	    note: string;
	}
	export interface Group {
	    key: string;
	    label: string;
	    posts: number;
	    interactions: number;
	    mean: number;
	    meanRate: number;
	    rated: number;
	}
	export interface PostRow {
	    jobId: number;
	    draftId: string;
	    channel: string;
	    platform: string;
	    title: string;
	    url: string;
	    publishedAt: string;
	    pillar: string;
	    awarenessId: string;
	    testimonial: boolean;
	    thumb: string;
	    removed: boolean;
	    reactions: number;
	    comments: number;
	    shares: number;
	    quotes: number;
	    saves: number;
	    views?: number | null;
	    reach?: number | null;
	    clicks?: number | null;
	    interactions: number;
	    rate: number;
	    hasRate: boolean;
	    basis: string;
	    readAt: string;
	    read: boolean;
	}
	export interface DayPoint {
	    day: string;
	    channel: string;
	    interactions: number;
	    views: number;
	}
	export interface Totals {
	    posts: number;
	    interactions: number;
	    reach?: number | null;
	    clicks?: number | null;
	    growth?: number | null;
	    growthSince: string;
	}
	export interface Period {
	    from: string;
	    to: string;
	}
	export interface Dashboard {
	    period: Period;
	    totals: Totals;
	    previous: Totals;
	    channels: ChannelTotals[];
	    series: DayPoint[];
	    posts: PostRow[];
	    pillars: Group[];
	    awareness: Group[];
	    testimonial: Group[];
	    slots: Slots;
	}
	
	
	
	
	
	export interface Snapshot {
	    jobId: number;
	    day: string;
	    at: string;
	    month: boolean;
	    reactions: number;
	    comments: number;
	    shares: number;
	    quotes: number;
	    saves: number;
	    views?: number | null;
	    reach?: number | null;
	    clicks?: number | null;
	}

}

export namespace mail {
	
	export interface Server {
	    host: string;
	    port: number;
	    security: string;
	}
	export interface Settings {
	    imap: Server;
	    smtp: Server;
	    username: string;
	    fromAddress: string;
	    fromName: string;
	    mailbox: string;
	    moveProcessed: boolean;
	    processedMailbox: string;
	    authServId?: string | null;
	    connectedAt: string;
	    signIn?: string | null;
	}

}

export namespace publish {
	
	export interface InboxCaps {
	    reply: boolean;
	    hide: boolean;
	    delete: boolean;
	    replyNote: string;
	}

}

export namespace queue {
	
	export interface Takedown {
	    jobId: number;
	    channel: string;
	    platform: string;
	    remoteId: string;
	    url: string;
	    publishedAt: string;
	    scheduled: boolean;
	    takedown: string;
	    error?: string | null;
	    manual: boolean;
	    instructions?: string | null;
	    removedAt: string;
	    removedBy?: string | null;
	    note?: string | null;
	}

}

export namespace release {
	
	export interface SignIn {
	    key: string;
	    name: string;
	    screen: string;
	    otherwise: string;
	}

}

export namespace service {
	
	export interface AttachmentView {
	    filename: string;
	    contentType: string;
	    size: number;
	    sha256: string;
	    url: string;
	    isImage: boolean;
	}
	export interface AwarenessView {
	    id: string;
	    name: string;
	    countries: string[];
	    specialties: string[];
	    organiser: string;
	    rule: unknown;
	    days: number;
	    about: string;
	    idea: string;
	    hashtags: string[];
	    start: app.CivilDate;
	    end: app.CivilDate;
	    relevant: boolean;
	}
	export interface Background {
	    waiting: number;
	    posts: number;
	    nextAt: string;
	    message: string;
	}
	export interface BackgroundView {
	    closeKeepsRunning: boolean;
	    startAtLogin: boolean;
	    startAtLoginNote: string;
	    canStartAtLogin: boolean;
	}
	export interface BackupOverview {
	    folder: string;
	    folderIsSet: boolean;
	    autoFolder: string;
	    safetyFolder: string;
	    dataFile: string;
	    backups: app.BackupFile[];
	    lastBackup?: string | null;
	    automaticKeep: number;
	}
	export interface BrandView {
	    kit: app.BrandKit;
	    warnings: app.ContrastWarning[];
	    fonts: assets.FontFamily[];
	    regulators: string[];
	    logoUrl: string;
	}
	export interface CalendarPost {
	    id: number;
	    title: string;
	    start: string;
	    status: string;
	    pillar: string;
	    channels: string[];
	    zone: string;
	    localNote: string;
	}
	export interface CalendarRange {
	    zone: string;
	    posts: CalendarPost[];
	    awareness: AwarenessView[];
	}
	export interface ChoiceView {
	    value: string;
	    label: string;
	}
	export interface CalendarSettings {
	    zone: string;
	    zoneLabel: string;
	    osZone: string;
	    zones: string[];
	    specialties: string[];
	    specialtyChoices: ChoiceView[];
	    country: string;
	}
	export interface ChannelImage {
	    mediaId: number;
	    sha256: string;
	    altText: string;
	    setId?: string | null;
	    sizeId: string;
	    width: number;
	    height: number;
	    wanted: string;
	    url: string;
	}
	export interface ChannelCheck {
	    channel: string;
	    label: string;
	    text: string;
	    link: string;
	    counters: guard.Counter[];
	    blocked: boolean;
	    note: string;
	    images: ChannelImage[];
	    sizeNote: string;
	}
	
	export interface ChannelResult {
	    channel: string;
	    name: string;
	    title: string;
	    added: number;
	    changed: number;
	    error: string;
	}
	export interface ImageRouteView {
	    route: string;
	    note: string;
	    canChoose: boolean;
	}
	export interface ChannelView {
	    id: string;
	    platform: string;
	    accountId: string;
	    name: string;
	    handle: string;
	    baseUrl: string;
	    pageId?: string | null;
	    imageRoute?: string | null;
	    expiresAt: string;
	    needsReconnect: boolean;
	    problemMessage: string;
	    lastTestAt: string;
	    lastTestUrl: string;
	    lastTestId: string;
	    connectedAt: string;
	    updatedAt: string;
	    title: string;
	    state: string;
	    daysLeft: number;
	    message: string;
	    images: ImageRouteView;
	}
	export interface ChoiceState {
	    value: string;
	    label: string;
	    ticked: boolean;
	}
	
	export interface ResolutionInput {
	    how: string;
	    who: string;
	    when: string;
	}
	export interface ConfirmConsentInput {
	    identity: string[];
	    channels: string[];
	    signerName: string;
	    resolution: ResolutionInput;
	    senderCheck: string;
	    nameCheck: string;
	}
	export interface ConfirmTestimonialInput {
	    quote: string;
	    photos: string[];
	}
	export interface RevocationView {
	    at: string;
	    on: string;
	    receivedBy: string;
	    receivedByLabel: string;
	    note: string;
	    inWritingRequired: boolean;
	}
	export interface MediaRef {
	    sha256: string;
	    kind: string;
	    label: string;
	    url: string;
	}
	export interface ConsentView {
	    id: number;
	    patientId: number;
	    patientName: string;
	    country: string;
	    method: string;
	    methodLabel: string;
	    templateVersion: string;
	    signedAt: string;
	    signedOn: string;
	    expiresAt: string;
	    lastValidDay: string;
	    status: string;
	    statusText: string;
	    identity: ChoiceState[];
	    channels: ChoiceState[];
	    quote: string;
	    healthDetails: string;
	    media: MediaRef[];
	    remuneration: string;
	    signer: app.Signer;
	    evidenceHash: string;
	    pdfUrl: string;
	    signatureUrl: string;
	    scanUrl: string;
	    revocation?: RevocationView | null;
	}
	export interface ConsentDetail {
	    consent: ConsentView;
	    text: string;
	    takedown: app.Publication[];
	}
	export interface ConsentExpiry {
	    consentId: number;
	    patientId: number;
	    expiresAt: string;
	    daysLeft: number;
	    message: string;
	    scheduled: number;
	    live: number;
	}
	export interface ConsentRequest {
	    patientId: number;
	    templateVersion: string;
	    quote: string;
	    source: string;
	    healthDetails: string;
	    media: app.ConsentMedia[];
	    expiryMonths: number;
	    remuneration: app.Remuneration;
	    showsFace: boolean;
	    testimonialId: number;
	    words: string;
	}
	export interface ConsentMailInput {
	    request: ConsentRequest;
	    note: string;
	}
	
	export interface ConsentSettings {
	    privacyNoticeUrl: string;
	    privacyContact: string;
	    zone: string;
	    withdrawalMethod: string;
	    authorisedUsers: string;
	    removalDays: number;
	}
	export interface TemplateView {
	    versionId: string;
	    country: string;
	    title: string;
	    reviewNotice: string;
	}
	export interface ConsentSetup {
	    settings: ConsentSettings;
	    country: string;
	    practiceName: string;
	    missing: string[];
	    templates: TemplateView[];
	    defaultTemplate: string;
	    zones: string[];
	    identity: ChoiceView[];
	    channels: ChoiceView[];
	    receivedBy: ChoiceView[];
	    remuneration: ChoiceView[];
	    defaultExpiry: number;
	    maxExpiry: number;
	    pinSet: boolean;
	}
	
	export interface CopyDue {
	    consentId: number;
	    patientName: string;
	    signedOn: string;
	    methodLabel: string;
	}
	export interface CopyView {
	    id: number;
	    method: string;
	    to: string;
	    state: string;
	    text: string;
	    at: string;
	    emailUrl: string;
	}
	export interface FindingView {
	    kind: string;
	    severity: string;
	    start: number;
	    end: number;
	    text?: string | null;
	    message: string;
	    fix: string;
	    channel?: string | null;
	    image?: number | null;
	    channels: string[];
	    target: string;
	}
	export interface DraftCheck {
	    moment: string;
	    channels: ChannelCheck[];
	    findings: FindingView[];
	    blocked: boolean;
	    reasons: string[];
	}
	export interface DraftInput {
	    id: number;
	    title: string;
	    body: string;
	    versions: Record<string, string>;
	    channels: string[];
	    hashtags: string[];
	    link: string;
	    utm: boolean;
	    campaign: string;
	    pillar: string;
	    media: app.DraftMedia[];
	    testimonials: number[];
	    paid: boolean;
	    localTime: string;
	    awarenessId: string;
	}
	export interface DraftSummary {
	    id: number;
	    title: string;
	    status: string;
	    pillar: string;
	    channels: string[];
	    localTime: string;
	    updatedAt: string;
	}
	export interface DraftView {
	    draft: app.Draft;
	    check: DraftCheck;
	    zone: string;
	    whenLabel: string;
	    canSchedule: boolean;
	    publishReason: string;
	    notice: string;
	}
	export interface EmailApprovalReadiness {
	    canSend: boolean;
	    reason: string;
	    to: string;
	}
	export interface EmailApprovalView {
	    state: string;
	    firstName: string;
	    to: string;
	    since: string;
	    at: string;
	    until: string;
	    requestId: number;
	    replyId: number;
	    reply: string;
	    notes: string[];
	}
	
	export interface FlagView {
	    flag: string;
	    title: string;
	    text: string;
	}
	export interface GoogleSignIn {
	    channel?: ChannelView | null;
	    pending: string;
	    locations: gbp.Location[];
	}
	export interface GoogleTopic {
	    type: string;
	    title: string;
	    startDate: string;
	    startClock: string;
	    endDate: string;
	    endClock: string;
	    allDay: boolean;
	    couponCode: string;
	    redeemUrl: string;
	    terms: string;
	    action: string;
	    actionUrl: string;
	}
	export interface HoldView {
	    consentId: number;
	    patientId: number;
	    patientName: string;
	    since: string;
	    sinceText: string;
	    reason: string;
	    replyId: number;
	    words: string;
	    channels: string;
	}
	export interface HostingSettings {
	    connected: boolean;
	    provider: string;
	    endpoint: string;
	    region: string;
	    bucket: string;
	    accessKeyId: string;
	    pathStyle: boolean;
	    hasSecret: boolean;
	    checkedAt: string;
	    warnings: string[];
	    message: string;
	}
	export interface HostingCheck {
	    ok: boolean;
	    warnings: string[];
	    message: string;
	    settings: HostingSettings;
	}
	export interface HostingInput {
	    provider: string;
	    endpoint: string;
	    region: string;
	    bucket: string;
	    accessKeyId: string;
	    secretAccessKey: string;
	    pathStyle: boolean;
	}
	export interface HostingNeeds {
	    connected: boolean;
	    instagram: string;
	    google: string;
	}
	
	
	export interface InboxThread {
	    root: app.InboxItem;
	    replies: app.InboxItem[];
	    waiting?: app.InboxItem | null;
	    channelName: string;
	    platform: string;
	    title: string;
	    caps: publish.InboxCaps;
	    suggested: string;
	    discloses: boolean;
	}
	export interface InboxView {
	    threads: InboxThread[];
	    summary: inbox.Summary;
	    templates: inbox.Filled[];
	    channels: ChoiceView[];
	    country: string;
	    retentionDays: number;
	}
	export interface InsightsChannel {
	    id: string;
	    platform: string;
	    title: string;
	    name: string;
	    basisNote: string;
	    lastOkAt: string;
	    nextAt: string;
	    problem: string;
	    errorKind: string;
	    note: string;
	    reading: boolean;
	}
	export interface InsightsQuery {
	    period: string;
	    month: string;
	    from: string;
	    to: string;
	    channels: string[];
	}
	export interface InsightsView {
	    dashboard: insights.Dashboard;
	    label: string;
	    zone: string;
	    country: string;
	    available: InsightsChannel[];
	    updatedAt: string;
	    now: string;
	}
	export interface JobView {
	    id: number;
	    requestId: number;
	    draftId: string;
	    channel: string;
	    platform: string;
	    state: string;
	    text: string;
	    scheduledAt: string;
	    zone: string;
	    nextAt: string;
	    native: boolean;
	    attempts: number;
	    errorKind: string;
	    errorCode: string;
	    errorMessage: string;
	    platformMessage: string;
	    remoteId: string;
	    remoteUrl: string;
	    remoteScheduledAt: string;
	    publishedAt: string;
	    takedown: string;
	    takedownError: string;
	    channelName: string;
	    title: string;
	    nativeNote: string;
	}
	export interface LeftoverView {
	    channel: string;
	    title: string;
	    count: number;
	    since: string;
	    where: string;
	    advice: string;
	}
	export interface LockStatus {
	    locked: boolean;
	    pinSet: boolean;
	    waitSeconds: number;
	    signedConsentId: number;
	    quoteOutcome: string;
	    quoteTestimonialId: number;
	    idleMinutes: number;
	}
	export interface MailRequestView {
	    id: number;
	    kind: string;
	    patientId: number;
	    patientName: string;
	    to: string;
	    token: string;
	    state: string;
	    stateText: string;
	    error: string;
	    createdAt: string;
	    sentAt: string;
	    emailUrl: string;
	}
	export interface MailSettingsInput {
	    settings: mail.Settings;
	    password: string;
	}
	export interface MailSettingsView {
	    settings: mail.Settings;
	    configured: boolean;
	    passwordSaved: boolean;
	    signedIn: boolean;
	    notice?: string | null;
	}
	export interface MailSignInOption {
	    provider: string;
	    label: string;
	    available: boolean;
	    note: string;
	}
	export interface MailStatus {
	    configured: boolean;
	    watching: boolean;
	    usingIdle: boolean;
	    address: string;
	    lastSync: string;
	    lastError: string;
	    note: string;
	    pending: number;
	}
	
	export interface MediaView {
	    sha256: string;
	    url: string;
	    kind: string;
	    mime: string;
	    size: number;
	    width: number;
	    height: number;
	}
	export interface SigningDraft {
	    identity: string[];
	    channels: string[];
	    signerName: string;
	    representative: boolean;
	    relationship: string;
	    authority: string;
	}
	export interface PaperInput {
	    request: ConsentRequest;
	    draft: SigningDraft;
	    signedOn: string;
	    scanFileName: string;
	    scanBase64: string;
	}
	export interface PatientCopy {
	    given: boolean;
	    emailTo: string;
	    cannotEmail: string;
	    copies: CopyView[];
	}
	export interface PatientInput {
	    fullName: string;
	    dateOfBirth: string;
	    email: string;
	    phone: string;
	    ref: string;
	    needsRepresentative: boolean;
	}
	export interface PatientView {
	    patient: app.Patient;
	    age: number;
	    needsRepresentative: boolean;
	}
	export interface PostNumbers {
	    channel: string;
	    platform: string;
	    title: string;
	    url: string;
	    note: string;
	    readings: insights.Snapshot[];
	    latest?: insights.Snapshot | null;
	}
	export interface PreviewView {
	    text: string;
	    sha256: string;
	}
	export interface PublishInput {
	    draftId: number;
	    channels: string[];
	    date: string;
	    clock: string;
	    google?: GoogleTopic | null;
	    googleTextOnly: boolean;
	}
	export interface PublishResult {
	    requestId: number;
	    jobs: JobView[];
	    check: DraftCheck;
	    draft: DraftView;
	}
	export interface QuoteApprovalScreen {
	    active: boolean;
	    outcome: string;
	    practiceName: string;
	    patientName: string;
	    approved: string;
	    edited: string;
	    change: consent.QuoteEdit;
	    statement: string;
	    shownText: string;
	    shownSha256: string;
	}
	export interface QuoteEditView {
	    testimonialId: number;
	    patientName: string;
	    approved: string;
	    edited: string;
	    change: consent.QuoteEdit;
	}
	export interface RecoveryKeyView {
	    words: string[];
	    madeAt: string;
	}
	export interface RecoveryStatus {
	    needsKey: boolean;
	    made: boolean;
	    madeAt?: string | null;
	}
	export interface RefreshResult {
	    channels: ChannelResult[];
	    removed: number;
	}
	export interface ReplyOutcome {
	    sent: boolean;
	    blocked: boolean;
	    findings: guard.Finding[];
	    message: string;
	    openUrl: string;
	}
	export interface ReplySummary {
	    id: number;
	    kind: string;
	    patientName: string;
	    fromAddress: string;
	    subject: string;
	    receivedAt: string;
	    status: string;
	    flags: string[];
	    preview: string;
	    intent: string;
	}
	export interface ScopeOptionView {
	    key: string;
	    label: string;
	    group: string;
	    answer: string;
	    line: string;
	}
	export interface ReplyView {
	    id: number;
	    kind: string;
	    patientName: string;
	    fromAddress: string;
	    subject: string;
	    receivedAt: string;
	    status: string;
	    flags: string[];
	    preview: string;
	    intent: string;
	    fromName: string;
	    words: string;
	    htmlOnly: boolean;
	    typedName: string;
	    attachments: AttachmentView[];
	    flagViews: FlagView[];
	    notes: string[];
	    options: ScopeOptionView[];
	    unclear: string[];
	    rawUrl: string;
	    request?: MailRequestView | null;
	    patientId: number;
	    recordName: string;
	    quote: string;
	    media: MediaRef[];
	    consentId: number;
	    testimonialId: number;
	    note: string;
	    canConfirm: boolean;
	    withdrawal: string;
	    sender: app.SenderCheck;
	    headersOnly: boolean;
	    needsResolution: boolean;
	    needsSenderCheck: boolean;
	    needsNameCheck: boolean;
	    resolution: string;
	    held: number[];
	}
	
	export interface RestoreResult {
	    safetyCopy: string;
	}
	
	export interface RevokeResult {
	    consent: ConsentView;
	    inWritingRequired: boolean;
	    takedown: app.Publication[];
	}
	
	export interface SignInOptions {
	    x: boolean;
	    google: boolean;
	    linkedin: boolean;
	    mediaHosting: boolean;
	}
	export interface SignatureInput {
	    pngBase64: string;
	    strokes: app.StrokePoint[][];
	    typedName: string;
	}
	
	export interface SigningView {
	    active: boolean;
	    signed: boolean;
	    title: string;
	    practiceName: string;
	    patientName: string;
	    country: string;
	    needsRepresentative: boolean;
	    identity: ChoiceView[];
	    channels: ChoiceView[];
	    authorities: string[];
	    media: MediaRef[];
	    preview: PreviewView;
	}
	export interface StudioConsentPhoto {
	    sha256: string;
	    kind: string;
	    label: string;
	    url: string;
	}
	export interface StudioConsentChoice {
	    consentId: number;
	    patientName: string;
	    signedOn: string;
	    photos: StudioConsentPhoto[];
	    faceAllowed: boolean;
	    beforeAfterAllowed: boolean;
	    usable: boolean;
	    reason: string;
	}
	
	export interface StudioPhotoInput {
	    photoId: string;
	    focus: studio.Point;
	    redactions: studio.Redaction[];
	}
	export interface StudioDesign {
	    template: string;
	    layout: string;
	    fields: Record<string, string>;
	    attribution?: studio.AttributionSpec | null;
	    background: studio.Background;
	    photos: Record<string, StudioPhotoInput>;
	    testimonialId: number;
	    wordsOf: string;
	}
	export interface StudioExport {
	    folder: string;
	    files: string[];
	    altTextFile: string;
	}
	export interface StudioLayout {
	    id: string;
	    name: string;
	}
	export interface StudioLibraryItem {
	    id: number;
	    setId: string;
	    sha256: string;
	    mime: string;
	    template: string;
	    layout: string;
	    sizeId: string;
	    width: number;
	    height: number;
	    bytes: number;
	    altText: string;
	    createdAt: string;
	    testimonialId: number;
	    identity: string;
	    imageText: string;
	    textRecorded: boolean;
	    sources: app.ImageSource[];
	    sourcesKnown: boolean;
	    attribution: string;
	    url: string;
	    provenance: string;
	}
	export interface StudioLibrary {
	    items: StudioLibraryItem[];
	    total: number;
	}
	
	export interface StudioModeChoice {
	    value: string;
	    label: string;
	    allowed: boolean;
	    reason: string;
	}
	export interface StudioOption {
	    value: string;
	    label: string;
	}
	export interface StudioPhoto {
	    id: string;
	    name: string;
	    format: string;
	    width: number;
	    height: number;
	    bytes: number;
	    source: app.ImageSource;
	    sourceLabel: string;
	}
	
	export interface StudioPreview {
	    sizeId: string;
	    image: string;
	    width: number;
	    height: number;
	    overflows: studio.Overflow[];
	    warnings: string[];
	    millis: number;
	}
	export interface StudioQuoteSource {
	    testimonialId: number;
	    quote: string;
	    patientName: string;
	    modes: StudioModeChoice[];
	    mode: string;
	    agreed: string;
	}
	export interface StudioVariant {
	    sizeId: string;
	    name: string;
	    width: number;
	    height: number;
	    bytes: number;
	    quality: number;
	    image: string;
	    overflows: studio.Overflow[];
	    warnings: string[];
	}
	export interface StudioRender {
	    id: string;
	    template: string;
	    variants: StudioVariant[];
	    overflows: studio.Overflow[];
	    millis: number;
	}
	export interface StudioTemplate {
	    id: string;
	    name: string;
	    description: string;
	    fields: studio.Field[];
	    photos: studio.PhotoSlot[];
	    layouts: StudioLayout[];
	}
	export interface StudioSetup {
	    templates: StudioTemplate[];
	    sizes: studio.Size[];
	    clinicians: app.Clinician[];
	    attributionModes: StudioOption[];
	    colorRoles: StudioOption[];
	    colors: app.BrandColors;
	    exportFolder: string;
	    maxPhotoMb: number;
	    maxAltText: number;
	    exportBudget: number;
	    redactionModes: StudioOption[];
	    backgrounds: StudioOption[];
	    logoUrl: string;
	    practiceName: string;
	    previewLongSide: number;
	    attributionNote: string;
	    photoFormatsNote: string;
	    declarations: StudioOption[];
	}
	
	export interface StudioUnplaced {
	    setId: string;
	    template: string;
	    altText: string;
	    sha256: string;
	    sizes: number;
	    createdAt: string;
	    sourcesUnknown: boolean;
	    wordsUnknown: boolean;
	    drafts: number;
	    url: string;
	    templateName: string;
	}
	
	export interface SystemInfo {
	    version: string;
	    commit: string;
	    buildDate: string;
	    dataDir: string;
	    logFile: string;
	    openError: string;
	    openErrorCode: string;
	    dataFolderSync: string;
	    dataFolderWarning: string;
	}
	
	export interface TestPostResult {
	    url: string;
	    message: string;
	    channel: ChannelView;
	}
	export interface TestResult {
	    ok: boolean;
	    message: string;
	    field: string;
	}
	export interface TestimonialInput {
	    patientId: number;
	    consentId: number;
	    quote: string;
	    source: string;
	    saidOn: string;
	    nameAs: string;
	    showsFace: boolean;
	    media: app.ConsentMedia[];
	}
	export interface TestimonialView {
	    testimonial: app.Testimonial;
	    patientName: string;
	    media: MediaRef[];
	    consent?: ConsentView | null;
	    verdicts: consent.ChannelVerdict[];
	    publishable: number;
	    summary: string;
	    disclosure: string;
	    emailApproval?: EmailApprovalView | null;
	    wordsApprovedOn: string;
	}
	export interface UpdateView {
	    configured: boolean;
	    current: string;
	    available: boolean;
	    version: string;
	    notes: string;
	    page: string;
	    checkedAt: string;
	    message: string;
	    canInstall: boolean;
	}
	export interface WordingView {
	    country: string;
	    key: string;
	    versionId: string;
	    version: number;
	    title: string;
	    markdown: string;
	    sha256: string;
	    savedAt: string;
	    savedBy: string;
	    shipped: boolean;
	    placeholders: string[];
	}

}

export namespace store {
	
	export interface VerifyResult {
	    ok: boolean;
	    entries: number;
	    plain: number;
	    keyedFrom: number;
	    keyed: boolean;
	    anchored: boolean;
	    break?: audit.ChainBreak | null;
	    summary: string;
	}

}

export namespace studio {
	
	export interface AttributionSpec {
	    mode: string;
	    name: string;
	}
	export interface Background {
	    kind: string;
	    color: string;
	    to: string;
	    angle: number;
	}
	export interface Field {
	    id: string;
	    label: string;
	    kind: string;
	    required: boolean;
	    maxLen: number;
	    default: string;
	}
	export interface Insets {
	    top: number;
	    right: number;
	    bottom: number;
	    left: number;
	}
	export interface Overflow {
	    element: string;
	    field: string;
	    size: string;
	    cut: number;
	    message: string;
	}
	export interface PhotoSlot {
	    id: string;
	    label: string;
	    required: boolean;
	}
	export interface Point {
	    x: number;
	    y: number;
	}
	export interface Rect {
	    x: number;
	    y: number;
	    w: number;
	    h: number;
	}
	export interface Redaction {
	    box: Rect;
	    mode: string;
	}
	export interface Size {
	    id: string;
	    name: string;
	    width: number;
	    height: number;
	    safe: Insets;
	}

}

