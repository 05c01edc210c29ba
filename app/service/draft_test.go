package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/guard"
	"practicepost/app/service"
)

// draftCore starts a core on a real data file in home with the practice in
// Europe/London, on 20 March 2026 (before the UK clocks go forward).
func draftCore(t *testing.T, home string, clock *app.FixedClock) (*service.Core, *service.DraftService, *service.CalendarService) {
	t.Helper()
	c := startCore(t, home, nil, nil, clock)
	lock := service.NewLockService(c)
	cal := service.NewCalendarService(c, lock)
	if _, err := cal.SaveSettings("Europe/London", []string{"dental"}); err != nil {
		t.Fatal(err)
	}
	return c, service.NewDraftService(c, lock), cal
}

func march20() *app.FixedClock {
	return &app.FixedClock{T: time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC)}
}

func addPatient(t *testing.T, c *service.Core, name string) app.Patient {
	t.Helper()
	db, _ := c.DB()
	p, err := db.CreatePatient(context.Background(), app.Patient{FullName: name, DateOfBirth: app.CivilDate{Year: 1970, Month: 5, Day: 4}, Email: "p@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDraftAutosaveSurvivesRestart(t *testing.T) {
	home := t.TempDir()
	c, drafts, _ := draftCore(t, home, march20())
	v, err := drafts.Create(service.DraftInput{Title: "Smile month", Channels: []string{"facebook", "x"}})
	if err != nil {
		t.Fatal(err)
	}
	in := service.DraftInput{ID: v.Draft.ID, Title: "Smile month", Body: "Half-typed thought about flossing", Channels: []string{"facebook", "x"},
		Hashtags: []string{"SmileMonth"}, UTM: true, Pillar: app.PillarTip}
	if _, err := drafts.Save(in); err != nil {
		t.Fatal(err)
	}
	c.Stop()

	c2 := service.NewCore(home, nil, nil, march20())
	if err := c2.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer c2.Stop()
	got, err := service.NewDraftService(c2, service.NewLockService(c2)).Get(v.Draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Draft.Body != in.Body || !slices.Equal(got.Draft.Hashtags, []string{"#SmileMonth"}) || got.Draft.Pillar != app.PillarTip {
		t.Errorf("after restart: %+v", got.Draft)
	}
}

func TestDraftGuardBlocksSchedulingUntilFixed(t *testing.T) {
	c, drafts, _ := draftCore(t, t.TempDir(), march20())
	addPatient(t, c, "Margaret Okafor")
	v, err := drafts.Create(service.DraftInput{Channels: []string{"facebook", "linkedin"}})
	if err != nil {
		t.Fatal(err)
	}
	body := "Well done Margaret Okafor! NHS no 943 476 5919."
	v, err = drafts.Save(service.DraftInput{ID: v.Draft.ID, Body: body, Channels: []string{"facebook", "linkedin"}})
	if err != nil {
		t.Fatal(err)
	}
	if v.CanSchedule || !v.Check.Blocked || len(v.Check.Reasons) == 0 {
		t.Fatalf("a name and an NHS number must block scheduling: %+v", v.Check)
	}
	for _, span := range []string{"Margaret Okafor", "943 476 5919"} {
		i := slices.IndexFunc(v.Check.Findings, func(f service.FindingView) bool {
			return f.Target == "body" && body[f.Start:f.End] == span
		})
		if i < 0 {
			t.Fatalf("no highlight over %q in %+v", span, v.Check.Findings)
		}
		if f := v.Check.Findings[i]; !slices.Equal(f.Channels, []string{"facebook", "linkedin"}) || f.Severity != guard.Block {
			t.Errorf("%q: merged channels %v, severity %s", span, f.Channels, f.Severity)
		}
	}
	if !strings.Contains(v.PublishReason, "patients") {
		t.Errorf("publish reason %q should list the blocking reasons", v.PublishReason)
	}
	_, err = drafts.Schedule(v.Draft.ID, "2026-03-27", "09:00")
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "NHS number") {
		t.Fatalf("scheduling a blocked post: %v", err)
	}

	clean := "Well done to everyone who came to our open day!"
	v, err = drafts.Save(service.DraftInput{ID: v.Draft.ID, Body: clean, Channels: []string{"facebook", "linkedin"}})
	if err != nil {
		t.Fatal(err)
	}
	if !v.CanSchedule || v.PublishReason != service.PublishUnavailable {
		t.Fatalf("clean post: canSchedule %v, reason %q, findings %+v", v.CanSchedule, v.PublishReason, v.Check.Findings)
	}
	v, err = drafts.Schedule(v.Draft.ID, "2026-03-27", "09:00")
	if err != nil {
		t.Fatal(err)
	}
	if v.Draft.Status != app.DraftScheduled || !v.Draft.ScheduledAt.Equal(time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC)) || v.Draft.LocalTime != "2026-03-27T09:00" {
		t.Fatalf("scheduled: %+v", v.Draft)
	}

	// Dragged past the clock change it stays at 09:00, now BST (08:00 UTC).
	v, err = drafts.Move(v.Draft.ID, "2026-03-30", "")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Draft.ScheduledAt.Equal(time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)) || v.Draft.LocalTime != "2026-03-30T09:00" || v.WhenLabel != "Mon 30 Mar 2026, 09:00 BST" {
		t.Errorf("moved: %+v (%s)", v.Draft, v.WhenLabel)
	}

	// Editing a scheduled post into trouble takes it off the schedule.
	v, err = drafts.Save(service.DraftInput{ID: v.Draft.ID, Body: clean + " Call Margaret on 07700 900123.", Channels: []string{"facebook", "linkedin"}})
	if err != nil {
		t.Fatal(err)
	}
	if v.Draft.Status != app.DraftEditing || v.Notice == "" || v.Draft.LocalTime != "2026-03-30T09:00" {
		t.Errorf("blocked edit of a scheduled post: status %s, notice %q, local %q", v.Draft.Status, v.Notice, v.Draft.LocalTime)
	}

	if _, err := drafts.Schedule(v.Draft.ID, "2026-03-19", "09:00"); app.ErrorField(err) != "time" {
		t.Errorf("scheduling in the past: %v", err)
	}
	if _, err := drafts.Schedule(v.Draft.ID, "2026-03-40", "09:00"); app.ErrorField(err) != "date" {
		t.Errorf("impossible date: %v", err)
	}
}

func TestDraftGapTimeMovesForward(t *testing.T) {
	_, drafts, _ := draftCore(t, t.TempDir(), march20())
	v, _ := drafts.Create(service.DraftInput{Channels: []string{"facebook"}})
	if _, err := drafts.Save(service.DraftInput{ID: v.Draft.ID, Body: "Early bird tip: floss!", Channels: []string{"facebook"}}); err != nil {
		t.Fatal(err)
	}
	v, err := drafts.Schedule(v.Draft.ID, "2026-03-29", "01:30")
	if err != nil {
		t.Fatal(err)
	}
	if v.Draft.LocalTime != "2026-03-29T02:30" || v.Notice == "" {
		t.Errorf("01:30 on the night the clocks go forward: local %q, notice %q", v.Draft.LocalTime, v.Notice)
	}
}

// A patient named in a post is allowed only where their signed consent
// covers the full name, on that channel.
func TestDraftPatientNameFollowsConsent(t *testing.T) {
	c, drafts, _ := draftCore(t, t.TempDir(), march20())
	p := addPatient(t, c, "Kofi Mensah")
	db, _ := c.DB()
	storeConsent(t, db, p, time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		terms{identity: []app.IdentityElement{app.IdentityFullName}, channels: []app.ConsentChannel{app.ChannelFacebook}, quote: "Lovely team."})

	v, _ := drafts.Create(service.DraftInput{Channels: []string{"facebook", "linkedin"}})
	v, err := drafts.Save(service.DraftInput{ID: v.Draft.ID, Body: "Thank you Kofi Mensah for the kind words!", Channels: []string{"facebook", "linkedin"}})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(v.Check.Findings, func(f service.FindingView) bool { return f.Kind == guard.KindPatientName })
	if i < 0 || !slices.Equal(v.Check.Findings[i].Channels, []string{"linkedin"}) || !strings.Contains(v.Check.Findings[i].Message, "LinkedIn") {
		t.Fatalf("the name should be blocked on LinkedIn only: %+v", v.Check.Findings)
	}
	for _, cc := range v.Check.Channels {
		if cc.Blocked != (cc.Channel == "linkedin") {
			t.Errorf("%s blocked = %v", cc.Channel, cc.Blocked)
		}
	}
}

func TestTaggedLinksAndCompose(t *testing.T) {
	cases := []struct {
		link, campaign string
		ch             guard.Channel
		want           string
		ok             bool
	}{
		{"https://harbour.example/offers", "Spring Smiles!", guard.Facebook, "https://harbour.example/offers?utm_campaign=spring-smiles&utm_medium=social&utm_source=facebook", true},
		{"harbour.example/tips?ref=nl", "", guard.X, "https://harbour.example/tips?ref=nl&utm_medium=social&utm_source=x", true},
		{"https://harbour.example/?utm_source=old", "c", guard.LinkedIn, "https://harbour.example/?utm_campaign=c&utm_medium=social&utm_source=linkedin", true},
		{"not a link", "", guard.Facebook, "not a link", false},
		{"ftp://harbour.example/file", "", guard.Facebook, "ftp://harbour.example/file", false},
	}
	for _, c := range cases {
		got, ok := gate.TaggedLink(c.link, c.ch, c.campaign)
		if got != c.want || ok != c.ok {
			t.Errorf("TaggedLink(%q, %s) = %q %v, want %q %v", c.link, c.ch, got, ok, c.want, c.ok)
		}
	}
	d := app.Draft{ID: 7, Body: "Spring tips #Teeth", Versions: map[string]string{"x": "Short tips"}, Hashtags: []string{"#Teeth", "#Smile"},
		Link: "https://harbour.example/tips", UTM: true, Title: "Spring", Campaign: "Spring"}
	text, _, _, _ := gate.Compose(d, guard.Facebook)
	if text != "Spring tips #Teeth\n\n#Smile\n\nhttps://harbour.example/tips?utm_campaign=spring&utm_medium=social&utm_source=facebook" {
		t.Errorf("facebook text = %q", text)
	}
	text, _, _, _ = gate.Compose(d, guard.X)
	if !strings.HasPrefix(text, "Short tips\n\n#Teeth #Smile\n\n") || !strings.Contains(text, "utm_source=x") {
		t.Errorf("x text = %q", text)
	}
	text, link, note, _ := gate.Compose(d, guard.Instagram)
	if strings.Contains(text, "http") || link != "" || note == "" {
		t.Errorf("instagram text = %q, link %q, note %q", text, link, note)
	}
	d.UTM = false
	if text, _, _, _ := gate.Compose(d, guard.LinkedIn); !strings.HasSuffix(text, "\n\nhttps://harbour.example/tips") {
		t.Errorf("untagged = %q", text)
	}
}

// The title is "only for you": with no campaign typed, the tagged link
// carries the post's pillar and number, never the title, on every channel.
func TestTitleNeverLeavesInTheCampaign(t *testing.T) {
	d := app.Draft{ID: 42, Title: "sarah-okafor", Body: "Whitening tips", Link: "https://harbour.example/whitening", UTM: true,
		Channels: []string{"facebook", "linkedin", "x", "mastodon", "bluesky", "google_business"}}
	for _, pillar := range []app.Pillar{"", app.PillarTip, app.PillarMythFact} {
		d.Pillar = pillar
		posts, _, linkOK, _ := gate.DraftPosts(d, nil)
		if len(posts) != len(d.Channels) {
			t.Fatalf("posts = %d", len(posts))
		}
		want := map[app.Pillar]string{"": "post-42", app.PillarTip: "tip-post-42", app.PillarMythFact: "myth-fact-post-42"}[pillar]
		for _, p := range posts {
			if strings.Contains(strings.ToLower(p.Text+p.Link), "sarah") || strings.Contains(strings.ToLower(p.Text+p.Link), "okafor") {
				t.Errorf("%s (pillar %q) publishes the title: %q", p.Channel, pillar, p.Text)
			}
			if !strings.Contains(p.Link, "utm_campaign="+want+"&") || !linkOK[p.Channel] {
				t.Errorf("%s (pillar %q) link = %q, want utm_campaign=%s", p.Channel, pillar, p.Link, want)
			}
		}
	}
	// A campaign the user typed is theirs to publish.
	d.Campaign = "Spring Smiles"
	if text, _, _, _ := gate.Compose(d, guard.Facebook); !strings.Contains(text, "utm_campaign=spring-smiles&") || strings.Contains(text, "okafor") {
		t.Errorf("typed campaign: %q", text)
	}
	// Tags off: no campaign at all.
	d.UTM = false
	if text, _, _, _ := gate.Compose(d, guard.Facebook); strings.Contains(text, "utm_") {
		t.Errorf("untagged link carries tags: %q", text)
	}
}

// A planned post's time is written as the practice's country writes it.
func TestWhenLabelFollowsThePracticeCountry(t *testing.T) {
	c, drafts, _ := draftCore(t, t.TempDir(), march20())
	v, err := drafts.Create(service.DraftInput{Title: "Open day", LocalTime: "2026-03-30T13:30"})
	if err != nil {
		t.Fatal(err)
	}
	if v.WhenLabel != "Mon 30 Mar 2026, 13:30 BST" {
		t.Errorf("UK: %q", v.WhenLabel)
	}
	brand := service.NewBrandService(c)
	kit := brandKit(t, brand)
	kit.PracticeName, kit.Country = "Harbor Dental", "US"
	if _, err := brand.Save(kit); err != nil {
		t.Fatal(err)
	}
	if v, err = drafts.Get(v.Draft.ID); err != nil || v.WhenLabel != "Mon Mar 30, 2026, 1:30 PM BST" {
		t.Errorf("US: %q %v", v.WhenLabel, err)
	}
}

func TestCalendarRangeSettingsAndIdeas(t *testing.T) {
	_, drafts, cal := draftCore(t, t.TempDir(), march20())
	if _, err := cal.SaveSettings("Mars/Olympus", nil); app.ErrorField(err) != "zone" {
		t.Errorf("a made-up zone: %v", err)
	}
	if _, err := cal.SaveSettings("Europe/London", []string{"vet"}); app.ErrorField(err) != "specialties" {
		t.Errorf("a made-up specialty: %v", err)
	}
	planned, err := drafts.Create(service.DraftInput{Title: "Oral health day", LocalTime: "2026-03-20T12:00", AwarenessID: "world-oral-health-day"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := drafts.Create(service.DraftInput{Title: "April post", LocalTime: "2026-04-01T09:00"}); err != nil {
		t.Fatal(err)
	}
	r, err := cal.Range("2026-03-01", "2026-04-01")
	if err != nil {
		t.Fatal(err)
	}
	if r.Zone != "Europe/London" || len(r.Posts) != 1 || r.Posts[0].ID != planned.Draft.ID || r.Posts[0].Start != "2026-03-20T12:00" {
		t.Errorf("posts = %+v", r.Posts)
	}
	names := map[string]bool{}
	for _, a := range r.Awareness {
		names[a.ID] = a.Relevant
	}
	if rel, ok := names["world-oral-health-day"]; !ok || !rel {
		t.Errorf("World Oral Health Day missing or not relevant to a dental practice: %v", names)
	}
	if rel, ok := names["world-kidney-day"]; !ok || rel {
		t.Errorf("World Kidney Day should show, marked not relevant to dental: %v", names)
	}
	if _, ok := names["mothering-sunday"]; !ok {
		t.Error("Mothering Sunday (15 March 2026) missing")
	}
	if _, ok := names["dentists-day"]; ok {
		t.Error("a US-only day shown to a UK practice")
	}
	if _, err := cal.Range("2026-04-01", "2026-03-01"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("reversed range: %v", err)
	}

	ideas, err := cal.Ideas()
	if err != nil || len(ideas) < 20 {
		t.Fatalf("ideas = %d, %v", len(ideas), err)
	}
	ideas[0].Text = "Our own words now."
	if _, err := cal.SaveIdea(ideas[0]); err != nil {
		t.Fatal(err)
	}
	untitled := ideas[1]
	untitled.Title = " "
	if _, err := cal.SaveIdea(untitled); app.ErrorField(err) != "title" {
		t.Errorf("an idea without a title: %v", err)
	}
	again, _ := cal.Ideas()
	if again[0].Text != "Our own words now." || len(again) != len(ideas) {
		t.Errorf("edited idea not kept: %+v", again[0])
	}

	// Each starter idea passes the guard as written for its own country.
	for _, idea := range ideas[1:] {
		v, err := drafts.Create(service.DraftInput{Body: idea.Text, Hashtags: idea.Hashtags, Channels: []string{"facebook", "linkedin"}})
		if err != nil {
			t.Fatal(err)
		}
		if v.Check.Blocked {
			t.Errorf("starter idea %q is blocked: %v", idea.Title, v.Check.Reasons)
		}
	}
}

// calendarOn is the calendar settings of a new practice on a computer
// whose TZ is tz.
func calendarOn(t *testing.T, tz string) service.CalendarSettings {
	t.Helper()
	t.Setenv("TZ", tz)
	c := startCore(t, t.TempDir(), nil, nil, march20())
	st, err := service.NewCalendarService(c, service.NewLockService(c)).Settings()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPracticeZoneDefaultsToTheComputer(t *testing.T) {
	st := calendarOn(t, "America/New_York")
	if st.Zone != "America/New_York" || st.OSZone != "America/New_York" || !strings.Contains(st.ZoneLabel, "EDT") {
		t.Errorf("settings = %+v", st)
	}
}

func TestPracticeZoneIgnoresAComputerOnUTC(t *testing.T) {
	st := calendarOn(t, "Etc/UTC")
	// TZ says UTC; /etc/localtime may still name a place on a developer's
	// machine, and then that place wins.
	if strings.HasPrefix(st.Zone, "Etc/") || (st.OSZone == "" && st.Zone != "Europe/London") {
		t.Errorf("a UK practice on a UTC computer got zone %q (computer: %q), want Europe/London", st.Zone, st.OSZone)
	}
}
