package service_test

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/service"
)

const addedLine = "\nWe are glad you chose us, and we thank you for your words.\n"

func TestConsentWordingEditMakesANewVersionForNewRequests(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	p := w.patient(t, "Maya Patel", "1980-03-04")

	v1, err := w.consents.ConsentWording("GB")
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 || !v1.Shipped || v1.VersionID != "uk-gdpr-explicit@1" || !strings.Contains(v1.Markdown, "{{patient_name}}") || v1.SavedBy == "Practice manager" {
		t.Fatalf("shipped wording %+v", v1)
	}

	// A consent signed on version 1 before the edit.
	d := service.SigningDraft{Identity: []app.IdentityElement{app.IdentityFirstName}, Channels: []app.ConsentChannel{app.ChannelFacebook}}
	id1 := signOnScreen(t, w, w.request(t, p), d)
	before, err := w.consents.Get(id1)
	if err != nil {
		t.Fatal(err)
	}

	w.clock.Advance(time.Hour)
	edited := strings.Replace(v1.Markdown, "## What this covers", strings.TrimPrefix(addedLine, "\n")+"\n## What this covers", 1)
	v2, err := w.consents.SaveConsentWording("GB", strings.ReplaceAll(edited, "\n", "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.Shipped || v2.Markdown != edited || v2.SHA256 != app.SHA256Hex([]byte(edited)) || v2.SavedBy != "Practice manager" {
		t.Fatalf("saved %+v", v2)
	}
	if cur, _ := w.consents.ConsentWording("GB"); cur.VersionID != "uk-gdpr-explicit@2" {
		t.Fatalf("current after save: %s", cur.VersionID)
	}

	// New requests offer and use version 2 only.
	su, err := w.consents.Setup()
	if err != nil {
		t.Fatal(err)
	}
	if su.DefaultTemplate != "uk-gdpr-explicit@2" {
		t.Fatalf("default form %s", su.DefaultTemplate)
	}
	for _, tv := range su.Templates {
		if tv.VersionID == "uk-gdpr-explicit@1" {
			t.Fatal("the replaced version is still offered for new requests")
		}
	}
	stale := w.request(t, p)
	stale.TemplateVersion = "uk-gdpr-explicit@1"
	if _, err := w.consents.HandToPatient(stale); app.ErrorField(err) != "templateVersion" || !strings.Contains(app.ErrorMessage(err), "version 2") {
		t.Fatalf("a request on the replaced version: %v", err)
	}
	if _, err := w.consents.HandToPatient(w.request(t, p)); err != nil {
		t.Fatal(err)
	}
	pv, err := w.consents.Preview(d)
	if err != nil || !strings.Contains(pv.Text, "We are glad you chose us") {
		t.Fatalf("preview does not use the new wording: %v\n%s", err, pv.Text)
	}
	if _, err := w.lock.Unlock("4821"); err != nil {
		t.Fatal(err)
	}

	// The consent signed on version 1 keeps its exact text and hash.
	after, err := w.consents.Get(id1)
	if err != nil {
		t.Fatal(err)
	}
	if after.Text != before.Text || after.Consent.TemplateVersion != "uk-gdpr-explicit@1" || strings.Contains(after.Text, "We are glad") {
		t.Fatalf("signed consent changed: form %s", after.Consent.TemplateVersion)
	}
	if after.Consent.EvidenceHash != before.Consent.EvidenceHash || app.SHA256Hex([]byte(after.Text)) != app.SHA256Hex([]byte(before.Text)) {
		t.Fatal("signed consent's hash changed")
	}

	// The edit is in the activity log, by the practice manager.
	page, err := service.NewActivityService(w.core).List(0, 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range page.Entries {
		if e.Action == "consent.template.add" && e.Actor == "practice manager" && strings.Contains(e.Subject, "uk-gdpr-explicit@2") {
			found = true
		}
	}
	if !found {
		t.Fatal("the wording change is not in the activity log")
	}
}

func TestConsentWordingRefusesMissingElementsAndKeepsVersions(t *testing.T) {
	w := newConsentWorld(t, "US")
	v1, err := w.consents.ConsentWording("US")
	if err != nil {
		t.Fatal(err)
	}

	// Removing the remuneration statement and the HIPAA "in writing" words.
	bad := strings.ReplaceAll(v1.Markdown, "{{remuneration}}", "nothing")
	bad = strings.ReplaceAll(bad, "in writing", "by any means")
	_, err = w.consents.SaveConsentWording("US", bad)
	if app.ErrorField(err) != "markdown" {
		t.Fatalf("missing elements: %v", err)
	}
	msg := app.ErrorMessage(err)
	for _, want := range []string{"was not saved", "the remuneration statement (E4)", "revocation must be in writing (HIPAA)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message does not name %q:\n%s", want, msg)
		}
	}
	for _, bad := range []string{"", "   \n", v1.Markdown + "\nFill in {{patient_nmae}}.\n", strings.Repeat("x ", 40<<10)} {
		if _, err := w.consents.SaveConsentWording("US", bad); app.ErrorField(err) != "markdown" {
			t.Errorf("refused text saved or wrong error: %v", err)
		}
	}
	if _, err := w.consents.SaveConsentWording("FR", v1.Markdown); app.ErrorField(err) != "country" {
		t.Fatalf("unknown country: %v", err)
	}
	if cur, _ := w.consents.ConsentWording("US"); cur.Version != 1 {
		t.Fatalf("a refused text changed the version to %d", cur.Version)
	}

	// Unchanged text makes no new version.
	same, err := w.consents.SaveConsentWording("US", v1.Markdown)
	if err != nil || same.Version != 1 {
		t.Fatalf("unchanged: %+v %v", same, err)
	}
	if r, err := w.consents.RestoreShippedWording("US"); err != nil || r.Version != 1 {
		t.Fatalf("restore when already shipped: %+v %v", r, err)
	}

	// Edit, then restore: the shipped words come back as version 3.
	v2, err := w.consents.SaveConsentWording("US", v1.Markdown+addedLine)
	if err != nil || v2.Version != 2 {
		t.Fatalf("edit: %+v %v", v2, err)
	}
	v3, err := w.consents.RestoreShippedWording("US")
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := consent.ShippedTemplates()
	if err != nil {
		t.Fatal(err)
	}
	var us app.ConsentTemplate
	for _, s := range shipped {
		if s.Country == "US" {
			us = s
		}
	}
	if v3.Version != 3 || !v3.Shipped || v3.Markdown != us.Body || v3.SHA256 != us.SHA256 || v3.SavedBy != "Practice manager" {
		t.Fatalf("restored %+v", v3)
	}

	// The UK form was not touched by the US edits.
	if uk, _ := w.consents.ConsentWording("GB"); uk.Version != 1 || !uk.Shipped {
		t.Fatalf("UK form %+v", uk)
	}
}
