package facebook_test

import (
	"context"
	"strings"
	"testing"

	"practicepost/app/publish"
	"practicepost/app/publish/facebook"
	"practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/internal/publishtest"
)

// A Page token is used as it is; a system user's token from Business
// Settings is exchanged for the Page's own token, which then verifies; a
// system user never given the Page is told what to do; an invalid token is
// left for Verify to explain.
func TestPageToken(t *testing.T) {
	ctx := context.Background()
	e := setup(t, facebooktest.Config{SystemUserToken: "su-token"}, 0)
	opt := facebook.Options{Clock: e.clock}
	if tok, err := facebook.PageToken(ctx, e.srv.URL, "100200300", "page-token", opt); err != nil || tok != "page-token" {
		t.Errorf("a Page token: %q %v", tok, err)
	}
	tok, err := facebook.PageToken(ctx, e.srv.URL, "100200300", "su-token", opt)
	if err != nil || tok != "page-token" {
		t.Fatalf("a system user's token: %q %v", tok, err)
	}
	if acct, err := facebook.NewClient(e.srv.URL, "100200300", tok, opt).Verify(ctx); err != nil || acct.Name != "Smile Dental" {
		t.Errorf("the exchanged token does not verify: %+v %v", acct, err)
	}

	e2 := setup(t, facebooktest.Config{SystemUserToken: "su-token", SystemUserNoPage: true}, 0)
	_, err = facebook.PageToken(ctx, e2.srv.URL, "100200300", "su-token", facebook.Options{Clock: e2.clock})
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindPermission || !strings.Contains(pe.Message, "Assign assets") {
		t.Errorf("a system user without the Page: %s %s", pe.Kind, pe.Message)
	}

	if _, err := facebook.PageToken(ctx, e.srv.URL, "100200300", "made-up", opt); publish.KindOf(err) != publish.KindAuth {
		t.Errorf("an invalid token: %v", err)
	}
}
