package facebooktest

// SetFollowers sets the Page's followers_count; below zero, the Page node
// leaves the field out (as Graph does for a field the token may not read).
func (s *Server) SetFollowers(n int) { s.followers.Store(int64(n)) }
