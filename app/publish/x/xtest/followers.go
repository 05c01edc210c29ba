package xtest

// SetFollowers sets the account's public_metrics.followers_count; below
// zero, public_metrics is left out.
func (s *Server) SetFollowers(n int) { s.followers.Store(int64(n)) }
