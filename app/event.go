package app

// Emitter sends events to the frontend. Production uses the Wails runtime;
// tests record what was sent. Nothing under test calls the Wails runtime
// directly, because it exits the process when handed a plain context.
type Emitter interface {
	Emit(name string, data any)
}

// NopEmitter drops every event.
type NopEmitter struct{}

func (NopEmitter) Emit(string, any) {}

// Event names shared with the frontend.
const (
	EventBackupProgress = "backup:progress"
	EventBrandChanged   = "brand:changed"
	EventDataReplaced   = "data:replaced"
	// EventLocked tells the frontend to show the lock screen now (an idle
	// lock happens without any call from the UI).
	EventLocked = "lock:locked"
)
