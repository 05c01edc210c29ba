package service

import "context"

// ConsentRevoked tells publishing about a withdrawal, as the consent
// service's AfterRevoke does, for the package's external tests. It is a
// function, not a method, because the method is deliberately not bound.
func ConsentRevoked(s *PublishService, ctx context.Context, consentID int64) error {
	return s.consentRevoked(ctx, consentID)
}
