//go:build fakes

// Command fakeplatforms runs the fake Mastodon, Bluesky and Facebook
// servers on loopback ports for the end-to-end suite, with a control
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
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	bsfake "practicepost/app/publish/bluesky/fake"
	fbfake "practicepost/app/publish/facebook/fake"
	mafake "practicepost/app/publish/mastodon/fake"
)

type faults interface {
	Add(mafake.Fault)
	Clear()
}

func main() {
	masto := mafake.New(mafake.Config{})
	defer masto.Close()
	bs := bsfake.New(bsfake.Config{})
	defer bs.Close()
	fb := fbfake.New(fbfake.Config{})
	defer fb.Close()
	sets := map[string]faults{"mastodon": masto.Faults, "bluesky": bs.Faults, "facebook": fb.Faults}

	mux := http.NewServeMux()
	// POST /fault?platform=mastodon&method=POST&path=/api/v1/statuses&status=429&reset=3s&times=1
	mux.HandleFunc("POST /fault", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		set, ok := sets[q.Get("platform")]
		if !ok {
			http.Error(w, "unknown platform", http.StatusBadRequest)
			return
		}
		f := mafake.Fault{Method: q.Get("method"), Path: q.Get("path")}
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
			f.AfterCommit = mafake.Hang
		case "drop":
			f.AfterCommit = mafake.Drop
		}
		set.Add(f)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /clear", func(w http.ResponseWriter, r *http.Request) {
		for _, s := range sets {
			s.Clear()
		}
		w.WriteHeader(http.StatusNoContent)
	})
	// GET /state: what each platform holds, without image bytes.
	mux.HandleFunc("GET /state", func(w http.ResponseWriter, r *http.Request) {
		type status struct {
			ID, Text string
			Alt      []string
			Deleted  bool
		}
		var sts []status
		for _, s := range masto.Statuses() {
			st := status{ID: s.ID, Text: s.Text, Deleted: s.Deleted, Alt: []string{}}
			for _, id := range s.MediaIDs {
				m, _ := masto.Media(id)
				st.Alt = append(st.Alt, m.Description)
			}
			sts = append(sts, st)
		}
		type record struct {
			URI, Text string
			Deleted   bool
		}
		var recs []record
		for _, r := range bs.Records() {
			recs = append(recs, record{r.URI, r.Text, r.Deleted})
		}
		type post struct {
			ID, Message string
			Photo       bool
			Published   bool
			Deleted     bool
		}
		var posts []post
		for _, p := range fb.Posts() {
			posts = append(posts, post{p.ID, p.Message, len(p.Photo) > 0, p.Published, p.Deleted})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"mastodon": sts, "bluesky": recs, "facebook": posts, "apps": len(masto.Apps())})
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
