package service

import "context"

// Hooks for the external tests. They are functions, not methods, so the
// bound-method walk in bound_test.go does not see them.

// SetLockCost lowers bcrypt's work factor so tests stay quick.
func SetLockCost(s *LockService, cost int) { s.cost = cost }

// LockNow locks as handing the screen to a patient does.
func LockNow(s *LockService, ctx context.Context, reason string) error {
	db, err := s.c.DB()
	if err != nil {
		return err
	}
	return s.lock(ctx, db, reason, nil)
}

// IdleCheck runs one tick of the idle watcher.
func IdleCheck(s *LockService, ctx context.Context) error {
	db, err := s.c.DB()
	if err != nil {
		return err
	}
	return s.lockIfIdle(ctx, db)
}

// KeepActive records manager activity now, as the UI's ping does.
func KeepActive(s *LockService) { s.touch() }
