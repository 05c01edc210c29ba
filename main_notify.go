package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// stillRunningNotifier tells the manager, in the system's notification
// area, that closing the window hid PracticePost rather than ending it.
// The notification service starts on first use: most days the window is
// never closed with posts waiting.
type stillRunningNotifier struct {
	once sync.Once
	ok   bool
}

func (n *stillRunningNotifier) notify(ctx context.Context, title, body string) {
	n.once.Do(func() {
		if err := runtime.InitializeNotifications(ctx); err != nil {
			// No notification service (a Linux desktop without one): the
			// Publish screen still says so when the window is shown again.
			slog.Info("notifications unavailable", "err", err)
			return
		}
		n.ok = true
	})
	if !n.ok {
		return
	}
	if err := runtime.SendNotification(ctx, runtime.NotificationOptions{ID: "practicepost-still-running", Title: title, Body: body}); err != nil {
		slog.Info("notification not shown", "err", err)
	}
}

func (n *stillRunningNotifier) cleanup(ctx context.Context) {
	if n.ok {
		runtime.CleanupNotifications(ctx)
	}
}
