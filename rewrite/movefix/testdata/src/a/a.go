package a

import (
	"os"

	pkgerrors "github.com/pkg/errors" // want `imports github.com/pkg/errors: move to errors`
)

var errBase = pkgerrors.New("base")

func open(name, msg, format string) error {
	f, err := os.Open(name)
	if err != nil {
		return pkgerrors.Wrap(err, msg)
	}
	if err := f.Close(); err != nil {
		return pkgerrors.Wrapf(err, format, name)
	}
	if pkgerrors.Is(err, errBase) {
		return pkgerrors.Errorf("%d%%", 100)
	}
	return pkgerrors.WithMessage(f.Sync(), "sync 100%")
}
