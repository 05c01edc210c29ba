// PracticePost: patient-consent-aware social media for small healthcare
// practices. main only wires things together; no I/O happens before
// OnStartup because `wails generate` runs main() to read the bindings.
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"log/slog"
	"os"
	goruntime "runtime"
	"slices"
	"time"
	// The practice's time zone (and every scheduled post) must resolve on
	// Windows too, where the OS ships no zoneinfo files.
	_ "time/tzdata"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"practicepost/app"
	"practicepost/app/autostart"
	"practicepost/app/release"
	"practicepost/app/service"
	"practicepost/app/store"
)

//go:embed all:frontend/dist
var frontend embed.FS

var processStart = time.Now()

func main() {
	home, err := store.Home()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	releaseOverrides()
	var wctx context.Context
	emitter := &wailsEmitter{ctx: &wctx}
	dialogs := fileDialogs(&wailsDialogs{ctx: &wctx})
	core := service.NewCore(home, emitter, dialogs, appClock())
	// PRACTICEPOST_EXIT_AFTER_READY=1 makes the app print its cold-start time
	// and quit after the first render: scripts/coldstart.sh uses it.
	exitAfterReady := os.Getenv("PRACTICEPOST_EXIT_AFTER_READY") == "1"
	svc := service.NewServices(core, service.Deps{
		Secrets:     secretStore(home),
		Save:        dialogs,
		OpenBrowser: func(url string) error { runtime.BrowserOpenURL(wctx, url); return nil },
		QuitApp:     func() { runtime.Quit(wctx) },
		Started:     processStart,
		OnReady: func(d time.Duration) {
			if exitAfterReady {
				fmt.Printf("first-render-ms %d\n", d.Milliseconds())
				runtime.Quit(wctx)
			}
		},
	})
	var logCloser io.Closer
	var notifier stillRunningNotifier
	// Started by the system at login (Settings → Running in the
	// background): the window opens minimised, out of the manager's way.
	startState := options.Normal
	if slices.Contains(os.Args[1:], autostart.Flag) {
		startState = options.Minimised
	}

	err = wails.Run(&options.App{
		Title:            "PracticePost",
		Width:            1280,
		Height:           860,
		MinWidth:         1024,
		MinHeight:        700,
		WindowStartState: startState,
		AssetServer: &assetserver.Options{
			Assets:  frontend,
			Handler: service.AssetHandler(core),
		},
		BackgroundColour: &options.RGBA{R: 248, G: 249, B: 250, A: 255},
		Menu:             appMenu(goruntime.GOOS, svc.MenuQuit),
		OnStartup: func(ctx context.Context) {
			wctx = ctx
			logCloser = service.SetupLogging(home, os.Getenv("PRACTICEPOST_LOG_STDERR") == "1")
			slog.Info("starting", "version", release.Version, "commit", release.Commit)
			core.Start(ctx) // an open failure is shown by the UI, not fatal
		},
		// Scheduled posts go out only while PracticePost runs: closing the
		// window hides it while any wait, and only Quit ends it then.
		OnBeforeClose: func(ctx context.Context) bool {
			if svc.KeepRunning() {
				runtime.WindowHide(ctx)
				title, body := svc.StillRunning()
				go notifier.notify(ctx, title, body)
				return true
			}
			return false
		},
		// Starting PracticePost again brings the hidden window back.
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "practicepost-" + app.SHA256Hex([]byte(home))[:16],
			OnSecondInstanceLaunch: func(options.SecondInstanceData) { runtime.WindowShow(wctx) },
		},
		OnShutdown: func(ctx context.Context) {
			notifier.cleanup(ctx)
			core.Stop()
			slog.Info("stopped")
			if logCloser != nil {
				logCloser.Close()
			}
		},
		ErrorFormatter: service.FormatError,
		Bind:           svc.Bind(),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "PracticePost could not start:", err)
		os.Exit(1)
	}
}

// wailsEmitter sends events through the Wails runtime once it is running.
type wailsEmitter struct{ ctx *context.Context }

func (e *wailsEmitter) Emit(name string, data any) {
	if *e.ctx != nil {
		runtime.EventsEmit(*e.ctx, name, data)
	}
}

// filePickers are the file pickers and the save dialog the services ask.
type filePickers interface {
	service.Dialogs
	service.SaveDialog
}

// wailsDialogs opens the native file pickers.
type wailsDialogs struct{ ctx *context.Context }

func (d *wailsDialogs) ChooseFolder(title, start string) (string, error) {
	return runtime.OpenDirectoryDialog(*d.ctx, runtime.OpenDialogOptions{Title: title, DefaultDirectory: start, CanCreateDirectories: true})
}

func (d *wailsDialogs) ChooseFile(title, start, patternName, pattern string) (string, error) {
	return runtime.OpenFileDialog(*d.ctx, runtime.OpenDialogOptions{Title: title, DefaultDirectory: start,
		Filters: []runtime.FileFilter{{DisplayName: patternName, Pattern: pattern}}})
}

func (d *wailsDialogs) SaveFile(title, defaultName, patternName, pattern string) (string, error) {
	return runtime.SaveFileDialog(*d.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName,
		Filters: []runtime.FileFilter{{DisplayName: patternName, Pattern: pattern}}})
}
