package imageset

import (
	"strconv"
)

// FormatError is the error of every reader for input that is not what its format
// says: a truncated file, a wrong magic number, a label out of range, an image of the
// wrong size in a folder. It names the file, the byte offset (in the decompressed
// stream, for a gzip-compressed file) and the field concerned, e.g.
//
//	train-labels-idx1-ubyte.gz: offset 4: dims: 59999 labels for 60000 images
//	root/cat/003.png: size: 30×32, want 32×32 (set FolderOptions.Resize to resize)
//
// Errors from the file system, the gzip decompressor or an image decoder are wrapped
// in Err and reachable with errors.Is and errors.As.
type FormatError struct {
	File   string // the file's path (or the name given to a Decode function)
	Offset int64  // byte offset of the problem; -1 when it concerns the file as a whole
	Field  string // the field concerned: "magic", "dims", "label", "pixels", "size", ...
	Msg    string // what was wrong
	Err    error  // underlying error, if any
}

func (e *FormatError) Error() string {
	s := e.File
	if e.Offset >= 0 {
		s += ": offset " + strconv.FormatInt(e.Offset, 10)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

func formatErr(file string, off int64, field, msg string, err error) *FormatError {
	return &FormatError{File: file, Offset: off, Field: field, Msg: msg, Err: err}
}
