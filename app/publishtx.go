package app

import "context"

// PublishTx is one write transaction on the data file as the publishing
// queue uses it. The queue takes this rather than the store, so the store
// stays one implementation among possible others (*store.Tx is the real
// one) and the queue names no storage package.
type PublishTx interface {
	CreatePublishRequest(ctx context.Context, r *PublishRequest, jobs []PublishJob, actor string) error
	PublishJobs(ctx context.Context, f PublishJobFilter) ([]PublishJob, error)
	PublishJob(ctx context.Context, id int64) (PublishJob, error)
	SavePublishJob(ctx context.Context, j *PublishJob, actor string) error
	StartPublishAttempt(ctx context.Context, a *PublishAttempt) error
	EndPublishAttempt(ctx context.Context, a PublishAttempt) error
	RevokePublishConsent(ctx context.Context, consentID string) (int, error)
	PublishJobRevoked(ctx context.Context, jobID int64) (bool, error)
	LastDeleteError(ctx context.Context, jobID int64) (kind, code string, err error)
	// AddHostedMedia records an image an attempt placed on a host;
	// HostedRemoved drops the record once the host let go of it, or counts
	// a failed removal (removed false).
	AddHostedMedia(ctx context.Context, jobID, attemptID int64, key string) error
	HostedRemoved(ctx context.Context, id int64, removed bool) error
	LinkRequestConsents(ctx context.Context, requestID int64, consentIDs []string) error
	PutBlob(ctx context.Context, data []byte, mime string, width, height int) (string, error)
	// SealedState reads what SetSealedState wrote ("" when nothing): a
	// request's Google details (PublishTopicStatePrefix) are read here so the
	// gate judges the details that are then sent.
	SealedState(ctx context.Context, key string) (string, error)
	SetSealedState(ctx context.Context, key, value string) error
	// View reads the data as this transaction sees it: the consent gate
	// judges a job through it at the instant the job is claimed.
	View() ConsentView
}

// ConsentView is what the consent gate reads to judge a post (gate.Reader
// is this type).
type ConsentView interface {
	BrandKit(ctx context.Context) (BrandKit, error)
	PatientNamesKey(ctx context.Context) (string, error)
	PatientNames(ctx context.Context) (map[int64]string, error)
	ConsentsKey(ctx context.Context) (string, error)
	ListConsents(ctx context.Context, f ConsentFilter) ([]ConsentEntry, error)
	Template(ctx context.Context, versionID string) (ConsentTemplate, error)
	Testimonial(ctx context.Context, id int64) (Testimonial, error)
	MediaByID(ctx context.Context, id int64) (Media, error)
	MediaByBlob(ctx context.Context, sha string) (Media, error)
	// MediaSet is every kept size of one Studio design, for a draft that
	// attached the design (DraftMedia.SetID).
	MediaSet(ctx context.Context, setID string) ([]Media, error)
	BlobInfo(ctx context.Context, sha string) (Blob, error)
}

// PublishTopicStatePrefix starts the sealed app_state key of a publish
// request's Google event or offer details ("publish_topic:<request id>"):
// their title, terms and voucher code are typed to go out, and may name a
// patient until the gate stops them.
const PublishTopicStatePrefix = "publish_topic:"
