package publish_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/gbp"
	gbpfake "practicepost/app/publish/gbp/fake"
	"practicepost/app/publish/hosting"
	hostfake "practicepost/app/publish/hosting/fake"
	"practicepost/app/publish/instagram"
	igfake "practicepost/app/publish/instagram/fake"
	"practicepost/app/publish/linkedin"
	lifake "practicepost/app/publish/linkedin/fake"
	"practicepost/app/publish/x"
	xfake "practicepost/app/publish/x/fake"
)

// part2 wires the connectors of part 2 to their fakes (and Instagram and
// Google to one bucket), seen only through the Publisher interface.
type part2 struct {
	name       string
	pub        publish.Publisher
	createPath string
	addFault   func(xfake.Fault)
	count      func() int
	canDelete  bool
}

func part2Platforms(t *testing.T, clock *app.FixedClock, timeout time.Duration) ([]part2, *hostfake.Server) {
	hc := &http.Client{Timeout: timeout}
	bucket := hostfake.New(hostfake.Config{Now: clock.Now})
	host, err := hosting.New(hosting.Config{Endpoint: bucket.URL, Bucket: bucket.Bucket(), AccessKeyID: bucket.AccessKey(), SecretAccessKey: bucket.SecretKey(), PathStyle: true}, hosting.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ig := igfake.New(igfake.Config{Now: clock.Now, ProcessingPolls: 1})
	li := lifake.New(lifake.Config{Now: clock.Now, ProcessingPolls: 1})
	gb := gbpfake.New(gbpfake.Config{Now: clock.Now})
	xs := xfake.New(xfake.Config{Now: clock.Now})
	t.Cleanup(func() { ig.Close(); li.Close(); gb.Close(); xs.Close(); bucket.Close() })
	return []part2{
		{
			name: "instagram", createPath: "media_publish", addFault: func(f xfake.Fault) { ig.Faults.Add(f) },
			pub:   instagram.NewClient(ig.URL, "17841400000000001", "ig-token", instagram.Options{HTTP: hc, Clock: clock, Host: host, PollInterval: time.Millisecond}),
			count: func() int { return len(ig.Media()) },
		},
		{
			name: "linkedin", createPath: "/rest/posts", addFault: func(f xfake.Fault) { li.Faults.Add(f) }, canDelete: true,
			pub: linkedin.NewClient(li.URL, "2414183", "li-token", linkedin.Options{HTTP: hc, Clock: clock, PollInterval: time.Millisecond}),
			count: func() int {
				n := 0
				for _, p := range li.Posts() {
					if !p.Deleted {
						n++
					}
				}
				return n
			},
		},
		{
			name: "google", createPath: "/localPosts", addFault: func(f xfake.Fault) { gb.Faults.Add(f) }, canDelete: true,
			pub:   gbp.NewClient(gb.URL, "1122334455", "9988776655", "g-token", gbp.Options{HTTP: hc, Clock: clock, Host: host, InfoURL: gb.URL, PollInterval: time.Millisecond}),
			count: gb.Live,
		},
		{
			name: "x", createPath: "/2/tweets", addFault: func(f xfake.Fault) { xs.Faults.Add(f) }, canDelete: true,
			pub: x.NewClient(xs.URL, "x-token", x.Options{HTTP: hc, Clock: clock}),
			count: func() int {
				n := 0
				for _, p := range xs.Posts() {
					if !p.Deleted {
						n++
					}
				}
				return n
			},
		},
	}, bucket
}

func noisyJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 400, 400))
	seed := uint32(1)
	for i := range img.Pix {
		seed = seed*1664525 + 1013904223
		img.Pix[i] = uint8(seed >> 24)
	}
	img.Set(0, 0, color.RGBA{255, 255, 255, 255})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deliverWithImage follows the queue: upload afresh for every attempt and,
// after an uncertain failure, look before trying again.
func deliverWithImage(ctx context.Context, pub publish.Publisher, p publish.Post, img publish.Image, since time.Time, attempts int) (publish.Result, error) {
	var err error
	for i := 0; i < attempts; i++ {
		var ref publish.MediaRef
		if ref, err = pub.UploadImage(ctx, img); err != nil {
			return publish.Result{}, err
		}
		p.Media = []publish.MediaRef{ref}
		var res publish.Result
		if res, err = pub.CreatePost(ctx, p); err == nil {
			return res, nil
		}
		var pe *publish.Error
		if !errors.As(err, &pe) || !pe.Retryable() {
			return publish.Result{}, err
		}
		if pe.Uncertain {
			found, ok, ferr := pub.FindPost(ctx, p, since)
			if ferr != nil {
				return publish.Result{}, ferr
			}
			if ok {
				return found, nil
			}
		}
	}
	return publish.Result{}, err
}

func TestPart2ExactlyOnePostAfterLostResponse(t *testing.T) {
	clock := &app.FixedClock{T: now}
	pls, bucket := part2Platforms(t, clock, 300*time.Millisecond)
	img := publish.Image{Data: noisyJPEG(t), MIME: "image/jpeg", Alt: "The practice's front door", Width: 400, Height: 400}
	for _, pl := range pls {
		t.Run(pl.name, func(t *testing.T) {
			ctx := context.Background()
			post := publish.Post{Text: "Lost answer from " + pl.name, Key: "pub-" + pl.name, CreatedAt: clock.Now()}
			pl.addFault(xfake.Fault{Method: "POST", Path: pl.createPath, AfterCommit: xfake.Hang, Times: 1})
			res, err := deliverWithImage(ctx, pl.pub, post, img, clock.Now(), 3)
			if err != nil {
				t.Fatal(err)
			}
			if n := pl.count(); n != 1 {
				t.Fatalf("%d posts, want exactly one", n)
			}
			err = pl.pub.DeletePost(ctx, res.ID)
			if !pl.canDelete {
				if publish.KindOf(err) != publish.KindPermission {
					t.Errorf("delete: %v", err)
				}
				return
			}
			if err != nil || pl.count() != 0 {
				t.Errorf("takedown of the reconciled id: %v, %d left", err, pl.count())
			}
		})
	}
	if objs := bucket.Objects(); len(objs) != 0 {
		t.Errorf("hosted images left behind: %v", objs)
	}
}

func TestPart2ServerErrorThenSuccess(t *testing.T) {
	clock := &app.FixedClock{T: now}
	pls, bucket := part2Platforms(t, clock, 5*time.Second)
	img := publish.Image{Data: noisyJPEG(t), MIME: "image/jpeg", Width: 400, Height: 400}
	for _, pl := range pls {
		t.Run(pl.name, func(t *testing.T) {
			pl.addFault(xfake.Fault{Method: "POST", Path: pl.createPath, Status: 503, Times: 1})
			post := publish.Post{Text: "After a 503 on " + pl.name}
			if _, err := deliverWithImage(context.Background(), pl.pub, post, img, clock.Now(), 3); err != nil {
				t.Fatal(err)
			}
			if n := pl.count(); n != 1 {
				t.Errorf("%d posts", n)
			}
		})
	}
	if objs := bucket.Objects(); len(objs) != 0 {
		t.Errorf("hosted images left behind: %v", objs)
	}
}
