package imageset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"testing"
)

// idxBytes encodes an IDX file of unsigned bytes.
func idxBytes(dims []int, data []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, byte(len(dims))})
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(data)
	return b.Bytes()
}

func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// asFormatError fails unless err is a *FormatError and returns it.
func asFormatError(t *testing.T, err error) *FormatError {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *FormatError", err, err)
	}
	return fe
}

// wantFormatError checks err's file, offset and field.
func wantFormatError(t *testing.T, err error, file string, off int64, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s offset %d %s", file, off, field)
	}
	fe := asFormatError(t, err)
	if fe.File != file || fe.Offset != off || fe.Field != field {
		t.Fatalf("error %q: file %q offset %d field %q; want %q %d %q", err, fe.File, fe.Offset, fe.Field, file, off, field)
	}
}

// ramp returns n bytes i*k mod 256.
func ramp(n, k int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * k)
	}
	return b
}
