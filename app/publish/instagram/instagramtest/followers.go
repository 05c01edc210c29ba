package instagramtest

import "slices"

// mayReadProfile is whether the token may read the account's profile
// fields (instagram_basic, or instagram_business_basic with Instagram Login).
func (s *Server) mayReadProfile() bool {
	return slices.Contains(s.cfg.TokenScopes, "instagram_basic") || slices.Contains(s.cfg.TokenScopes, "instagram_business_basic")
}
