package gltf

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"strings"
	"testing"
)

// deflated compresses n zero bytes: a megabyte becomes about a kilobyte.
func deflated(t testing.TB, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	zero := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(zero))
		fw.Write(zero[:k])
		n -= k
	}
	fw.Close()
	return b.Bytes()
}

// rawZip writes one deflated entry whose headers declare the given size,
// true or not.
func rawZip(t testing.TB, name string, data []byte, declared uint64, crc uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(data)), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readZipCounting reads z and returns the error and how many bytes were
// inflated on the way.
func readZipCounting(z []byte, opts ReadOptions) (int64, error) {
	var files *zipFiles
	_, err := readZip(bytes.NewReader(z), int64(len(z)), opts, func(f *zipFiles) { files = f })
	if files == nil {
		return 0, err
	}
	return files.inflated, err
}

// A small archive holding one file larger than a whole model is refused on
// its declared size, before a byte is inflated.
func TestZipBombRefusedOnDeclaredSize(t *testing.T) {
	t.Parallel()
	const size = 64 << 20
	z := rawZip(t, "m.glb", deflated(t, size), size, crc32.ChecksumIEEE(make([]byte, size)))
	if len(z) > 128<<10 {
		t.Fatalf("the bomb is %d bytes, meant to be small", len(z))
	}
	n, err := readZipCounting(z, ReadOptions{MaxSize: 1 << 20})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if n != 0 {
		t.Errorf("%d bytes were inflated before refusing", n)
	}
}

// A header that understates the size is caught while streaming: inflation
// stops at the declared size, far below the real one, and far below the limit.
func TestZipBombWithLyingHeader(t *testing.T) {
	t.Parallel()
	const real, declared = 64 << 20, 1 << 10
	z := rawZip(t, "m.glb", deflated(t, real), declared, 0)
	n, err := readZipCounting(z, ReadOptions{MaxSize: 1 << 20})
	if err == nil {
		t.Fatal("a forged archive was read")
	}
	if n > 1<<20 {
		t.Errorf("%d bytes were inflated, more than the 1 MiB limit", n)
	}
}

// Several files, each within the per-file limit, together over the
// archive's budget: refused at the budget (reported as the issue of the
// buffer that goes over it).
func TestZipBudgetCountsEveryFile(t *testing.T) {
	t.Parallel()
	js := []byte(`{"asset":{"version":"2.0"},"buffers":[{"uri":"a.bin","byteLength":600000},{"uri":"b.bin","byteLength":600000}]}`)
	z := buildZip(t, map[string][]byte{"m.gltf": js, "a.bin": make([]byte, 600000), "b.bin": make([]byte, 600000)})
	n, err := readZipCounting(z, ReadOptions{MaxSize: 1 << 20, MaxUncompressedSize: 1 << 20})
	if err == nil || !strings.Contains(err.Error(), "more than the allowed size") {
		t.Fatalf("err = %v, want the archive's limit", err)
	}
	if n > 1<<20+1 {
		t.Errorf("%d bytes were inflated, more than the budget", n)
	}
}

// FuzzReadZip reads arbitrary archives under a 64 KiB limit (per file and
// in all): never a panic, and never more inflated than the limit allows.
func FuzzReadZip(f *testing.F) {
	f.Add(rawZip(f, "m.glb", deflated(f, 1<<20), 1<<20, 0))
	f.Add(rawZip(f, "m.glb", deflated(f, 1<<20), 100, 0))
	f.Add(buildZip(f, map[string][]byte{"m.gltf": []byte(`{"asset":{"version":"2.0"},"buffers":[{"uri":"b.bin","byteLength":4}]}`), "b.bin": {1, 2, 3, 4}}))
	f.Fuzz(func(t *testing.T, z []byte) {
		n, _ := readZipCounting(z, ReadOptions{MaxSize: 64 << 10, MaxUncompressedSize: 64 << 10})
		if n > 64<<10+1 {
			t.Fatalf("%d bytes inflated past the 64 KiB limit", n)
		}
	})
}
