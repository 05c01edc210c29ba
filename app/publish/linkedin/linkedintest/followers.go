package linkedintest

import "net/http"

// networkSize answers GET /rest/networkSizes/{urn}: the follower count of
// the organisation this token administers; any other organisation is 403,
// as for a member who is not an admin of it.
func (s *Server) networkSize(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("urn") != s.OrgURN() {
		writeErr(w, http.StatusForbidden, 100, "ACCESS_DENIED", "Not enough permissions to access: networkSizes.GET")
		return
	}
	if r.URL.Query().Get("edgeType") != "COMPANY_FOLLOWED_BY_MEMBER" {
		writeErr(w, http.StatusBadRequest, 0, "", "edgeType must be COMPANY_FOLLOWED_BY_MEMBER for an organization")
		return
	}
	out := map[string]any{}
	if n, ok := s.Followers.Count(); ok {
		out["firstDegreeSize"] = n
	}
	writeJSON(w, http.StatusOK, out)
}
