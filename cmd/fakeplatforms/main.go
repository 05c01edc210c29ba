//go:build fakes

// Command fakeplatforms runs the fake Mastodon, Bluesky, Facebook,
// Instagram, LinkedIn, Google Business Profile and X servers, a fake S3
// bucket and OAuth sign-in servers for X, Google and LinkedIn on loopback
// ports for the end-to-end suite, with a control
// endpoint to inject faults and read what was posted. It is test tooling:
// the build tag keeps it out of every normal build, and the app never
// imports the fakes.
//
//	go build -tags fakes -o build/bin/fakeplatforms ./cmd/fakeplatforms
//
// It prints one JSON line with the addresses, then serves until stdin
// closes or it gets SIGINT/SIGTERM.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg" // pixels reads uploaded images' headers
	_ "image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"practicepost/app/auth/authfake"
	bsfake "practicepost/app/publish/bluesky/blueskytest"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	gbpfake "practicepost/app/publish/gbp/gbptest"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	igfake "practicepost/app/publish/instagram/instagramtest"
	lifake "practicepost/app/publish/linkedin/linkedintest"
	mafake "practicepost/app/publish/mastodon/mastodontest"
	xfake "practicepost/app/publish/x/xtest"
)

// signIn is a provider's OAuth server handing out the token its platform
// fake accepts.
func signIn(access string, expiresIn int, rotate, refresh bool) *authfake.Server {
	s := authfake.New()
	s.AccessToken, s.ExpiresIn, s.Rotate, s.NoRefresh = access, expiresIn, rotate, !refresh
	return s
}

type faults interface {
	Add(fault.Fault)
	Clear()
}

func main() {
	masto := mafake.New(mafake.Config{})
	defer masto.Close()
	bs := bsfake.New(bsfake.Config{})
	defer bs.Close()
	fb := fbfake.New(fbfake.Config{})
	defer fb.Close()
	bucket := hostfake.New(hostfake.Config{})
	defer bucket.Close()
	ig := igfake.New(igfake.Config{ProcessingPolls: 1})
	defer ig.Close()
	// The same account as a Page token with pages_manage_posts sees it:
	// behind graph, its images go through the Facebook Page (no bucket).
	igPage := igfake.New(igfake.Config{ProcessingPolls: 1, Token: "page-token", TokenScopes: []string{"instagram_basic",
		"instagram_content_publish", "pages_show_list", "pages_read_engagement", "pages_manage_posts", "instagram_manage_comments"}})
	defer igPage.Close()
	graph := oneGraph(fb, igPage)
	defer graph.Close()
	li := lifake.New(lifake.Config{ProcessingPolls: 1})
	defer li.Close()
	gb := gbpfake.New(gbpfake.Config{MetricsSeed: 7, OtherLocations: []gbpfake.Location{{ID: "7766554433", Title: "Smile Dental Clifton", Address: "3 Princess Victoria Street"}}})
	defer gb.Close()
	xs := xfake.New(xfake.Config{})
	defer xs.Close()
	xAuth := signIn("x-token", 7200, true, true)
	defer xAuth.Close()
	gAuth := signIn("g-token", 3600, false, true)
	defer gAuth.Close()
	liAuth := signIn("li-token", 60*24*3600, false, false)
	defer liAuth.Close()
	sets := map[string]faults{"mastodon": masto.Faults, "bluesky": bs.Faults, "facebook": fb.Faults,
		"instagram": ig.Faults, "linkedin": li.Faults, "google": gb.Faults, "x": xs.Faults, "bucket": bucket.Faults}

	mux := http.NewServeMux()
	// POST /fault?platform=mastodon&method=POST&path=/api/v1/statuses&status=429&reset=3s&times=1
	mux.HandleFunc("POST /fault", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		set, ok := sets[q.Get("platform")]
		if !ok {
			http.Error(w, "unknown platform", http.StatusBadRequest)
			return
		}
		f := fault.Fault{Method: q.Get("method"), Path: q.Get("path")}
		var err error
		if v := q.Get("status"); v != "" {
			if f.Status, err = strconv.Atoi(v); err != nil {
				http.Error(w, "bad status", http.StatusBadRequest)
				return
			}
		}
		if v := q.Get("code"); v != "" {
			if f.Code, err = strconv.Atoi(v); err != nil {
				http.Error(w, "bad code", http.StatusBadRequest)
				return
			}
		}
		if v := q.Get("times"); v != "" {
			if f.Times, err = strconv.Atoi(v); err != nil {
				http.Error(w, "bad times", http.StatusBadRequest)
				return
			}
		}
		for name, dst := range map[string]*time.Duration{"reset": &f.Reset, "latency": &f.Latency} {
			if v := q.Get(name); v != "" {
				if *dst, err = time.ParseDuration(v); err != nil {
					http.Error(w, "bad "+name, http.StatusBadRequest)
					return
				}
			}
		}
		switch q.Get("loss") {
		case "hang":
			f.AfterCommit = fault.Hang
		case "drop":
			f.AfterCommit = fault.Drop
		}
		set.Add(f)
		w.WriteHeader(http.StatusNoContent)
	})
	// POST /advance-metrics?seed=7: one step of every post's numbers on
	// every fake, following from the seed, the step and the post's place, so
	// a run sees the same figures each time; each step only adds.
	var step int
	mux.HandleFunc("POST /advance-metrics", func(w http.ResponseWriter, r *http.Request) {
		seed, err := strconv.Atoi(r.URL.Query().Get("seed"))
		if err != nil {
			http.Error(w, "bad seed", http.StatusBadRequest)
			return
		}
		step++
		v := func(i, k, scale int) int { return ((seed*31+i*17+k*7)%11 + 1) * step * scale / 2 }
		for i, s := range masto.Statuses() {
			masto.SetCounts(s.ID, v(i, 1, 2), v(i, 2, 1), v(i, 3, 1))
		}
		masto.SetFollowers(300 + step*4)
		bs.SetFollowers(150 + step*2)
		fb.SetFollowers(820 + step*3)
		xs.SetFollowers(1200 + step*5)
		ig.SetFollowers(640 + step*6)
		li.SetFollowers(350 + step*2)
		for i, rc := range bs.Records() {
			bs.SetCounts(rc.URI, v(i, 1, 2), v(i, 2, 1), v(i, 3, 1), 0)
		}
		for i, p := range fb.Posts() {
			fb.SetEngagement(p.ID, v(i, 1, 3), v(i, 2, 1), v(i, 3, 1), v(i, 4, 40), v(i, 5, 2))
		}
		for i, m := range ig.Media() {
			ig.SetEngagement(m.ID, v(i, 1, 4), v(i, 2, 1), v(i, 3, 1), v(i, 4, 50))
			ig.SetSaves(m.ID, v(i, 5, 1))
		}
		for i, p := range li.Posts() {
			li.SetEngagement(p.URN, v(i, 1, 2), v(i, 2, 1), v(i, 3, 1), v(i, 4, 30), v(i, 5, 2))
		}
		for i, p := range xs.Posts() {
			xs.SetEngagement(p.ID, v(i, 1, 2), v(i, 2, 1), v(i, 3, 1), v(i, 5, 1), v(i, 4, 60))
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /clear", func(w http.ResponseWriter, r *http.Request) {
		for _, s := range sets {
			s.Clear()
		}
		w.WriteHeader(http.StatusNoContent)
	})
	// POST /review?reviewer=Jane%20Smith&stars=1&comment=...: a Google
	// review of the location arrives (the inbox tests).
	mux.HandleFunc("POST /review", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		stars, err := strconv.Atoi(q.Get("stars"))
		if err != nil || stars < 1 || stars > 5 {
			http.Error(w, "stars must be 1..5", http.StatusBadRequest)
			return
		}
		id := gb.AddReview(q.Get("reviewer"), stars, q.Get("comment"), time.Now().Add(-time.Hour))
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"id": id})
	})
	// GET /state: what each platform holds, without image bytes.
	mux.HandleFunc("GET /state", func(w http.ResponseWriter, r *http.Request) {
		// Sizes are each uploaded image's pixel dimensions ("1600x900"), read
		// from the bytes the platform received.
		type status struct {
			ID, Text string
			Alt      []string
			Sizes    []string
			Deleted  bool
		}
		var sts []status
		for _, s := range masto.Statuses() {
			st := status{ID: s.ID, Text: s.Text, Deleted: s.Deleted, Alt: []string{}, Sizes: []string{}}
			for _, id := range s.MediaIDs {
				m, _ := masto.Media(id)
				st.Alt = append(st.Alt, m.Description)
				st.Sizes = append(st.Sizes, pixels(m.Data))
			}
			sts = append(sts, st)
		}
		type record struct {
			URI, Text string
			Sizes     []string
			Deleted   bool
		}
		recs := each(bs.Records(), func(r bsfake.Record) record {
			var v struct {
				Embed struct {
					Images []struct {
						Image struct {
							Ref struct {
								Link string `json:"$link"`
							} `json:"ref"`
						} `json:"image"`
					} `json:"images"`
				} `json:"embed"`
			}
			json.Unmarshal(r.Value, &v)
			sizes := []string{}
			for _, im := range v.Embed.Images {
				b, _ := bs.Blob(im.Image.Ref.Link)
				sizes = append(sizes, pixels(b.Data))
			}
			return record{r.URI, r.Text, sizes, r.Deleted}
		})
		type post struct {
			ID, Message string
			Photo       bool
			PhotoSize   string
			Published   bool
			Deleted     bool
		}
		posts := each(fb.Posts(), func(p fbfake.Post) post {
			return post{p.ID, p.Message, len(p.Photo) > 0, pixels(p.Photo), p.Published, p.Deleted}
		})
		type media struct {
			ID, Caption, AltText string
		}
		igm := each(ig.Media(), func(m igfake.Media) media { return media{m.ID, m.Caption, m.AltText} })
		type liPost struct {
			URN, Commentary, ImageURN, AltText string
			Deleted                            bool
		}
		lis := each(li.Posts(), func(p lifake.Post) liPost { return liPost{p.URN, p.Commentary, p.ImageURN, p.AltText, p.Deleted} })
		type gPost struct {
			Name, Summary, Topic     string
			Photo, Rejected, Deleted bool
		}
		gps := each(gb.Posts(), func(p gbpfake.Post) gPost {
			return gPost{p.Name, p.Summary, p.Topic, p.Body["media"] != nil, p.Rejected, p.Deleted}
		})
		type xPost struct {
			ID, Text string
			Media    int
			Deleted  bool
		}
		xps := each(xs.Posts(), func(p xfake.Post) xPost { return xPost{p.ID, p.Text, len(p.MediaIDs), p.Deleted} })
		type review struct {
			ID, Reviewer, Reply, ReplyState string
			Stars                           int
		}
		revs := each(gb.Reviews(), func(r gbpfake.Review) review { return review{r.ID, r.Reviewer, r.Reply, r.ReplyState, r.Stars} })
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"googleReviews": revs, "mastodon": sts, "bluesky": recs, "facebook": posts, "apps": len(masto.Apps()),
			"instagram": igm, "instagramFetches": len(ig.Fetches()),
			"linkedin": lis, "google": gps, "x": xps,
			"bucketObjects": bucket.Objects(), "bucketFetched": len(bucket.Fetched()),
			// Instagram through the Facebook Page (graph.go).
			"instagramViaPage":          each(igPage.Media(), func(m igfake.Media) media { return media{m.ID, m.Caption, m.AltText} }),
			"instagramViaPageFetches":   each(igPage.Fetches(), func(f igfake.Fetch) string { return f.URL }),
			"facebookCDN":               fb.CDNURL(),
			"facebookUnpublishedPhotos": fb.UnpublishedPhotos(),
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeplatforms:", err)
		os.Exit(1)
	}
	go http.Serve(ln, mux)

	info, _ := json.Marshal(map[string]string{
		"control": "http://" + ln.Addr().String(), "mastodon": masto.URL, "bluesky": bs.URL, "facebook": fb.URL,
		"facebookPageId": "100200300", "facebookToken": "page-token",
		"blueskyHandle": "smiledental.bsky.social", "blueskyAppPassword": "abcd-efgh-ijkl-mnop",
		"instagram": ig.URL, "instagramPageId": "100200300", "instagramToken": "ig-token", "graph": graph.URL,
		"linkedin": li.URL, "linkedinOrg": "2414183", "linkedinToken": "li-token", "linkedinOAuth": liAuth.URL,
		"google": gb.URL, "googleOAuth": gAuth.URL, "x": xs.URL, "xOAuth": xAuth.URL, "oauthClientId": xAuth.ClientID,
		"bucket": bucket.URL, "bucketName": bucket.Bucket(), "bucketAccessKey": bucket.AccessKey(), "bucketSecretKey": bucket.SecretKey(),
	})
	fmt.Println(string(info))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		io.Copy(io.Discard, os.Stdin)
		stop <- syscall.SIGTERM
	}()
	<-stop
}

// pixels is an image's size as "WxH" from its header; "" for no image or
// one that is not a PNG or JPEG.
func pixels(data []byte) string {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%dx%d", cfg.Width, cfg.Height)
}

// each is what f makes of every element of ts, in order; nil for none,
// which /state reports as null, as it always has.
func each[T, U any](ts []T, f func(T) U) []U {
	var out []U
	for _, t := range ts {
		out = append(out, f(t))
	}
	return out
}
