package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// Inode flags from linux/fs.h: a file with either cannot be renamed over.
const (
	fsImmutableFL = 0x10
	fsAppendFL    = 0x20
)

// replaceable finds, before anything is written, the files that rename(2)
// would refuse to replace: immutable or append-only files (chattr +i, +a)
// and, for an unprivileged user, other users' files in a sticky directory.
func replaceable(path string, info fs.FileInfo) error {
	if f, err := os.Open(path); err == nil {
		flags, err := unix.IoctlGetUint32(int(f.Fd()), unix.FS_IOC_GETFLAGS)
		f.Close()
		// File systems without inode flags answer ENOTTY or similar:
		// nothing to check there.
		if err == nil {
			switch {
			case flags&fsImmutableFL != 0:
				return errors.New("file is immutable (chattr +i): it cannot be replaced")
			case flags&fsAppendFL != 0:
				return errors.New("file is append-only (chattr +a): it cannot be replaced")
			}
		}
	}
	euid := os.Geteuid()
	if euid == 0 {
		return nil
	}
	dinfo, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return err
	}
	fst, ok1 := info.Sys().(*syscall.Stat_t)
	dst, ok2 := dinfo.Sys().(*syscall.Stat_t)
	if ok1 && ok2 && dinfo.Mode()&fs.ModeSticky != 0 && int(fst.Uid) != euid && int(dst.Uid) != euid {
		return errors.New("another user's file in a sticky directory: it cannot be replaced")
	}
	return nil
}
