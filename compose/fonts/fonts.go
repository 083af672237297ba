// Package fonts holds the open fonts bundled with Luneo (see README.md in
// this folder for each file's origin and licence) and a Set that finds a
// font by family or file name and falls back between fonts rune by rune, so
// a line mixing Latin, Arabic, Devanagari and emoji draws every character.
//
// Fonts are parsed lazily, on first use: a process that only draws Latin
// text never pays for parsing the 11 MB colour emoji font.
package fonts

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/go-text/typesetting/font"
	"github.com/tdewolff/canvas"
)

//go:embed *.ttf
var bundled embed.FS

// MaxFontFile is the largest font file a Set loads from disk (the bundled
// colour emoji font is 11 MB; CJK collections reach about 20 MB a file).
const MaxFontFile = 64 << 20

// Font is one font file: its bytes, parsed on first use for shaping and
// outlines (go-text) and for PDF embedding (canvas).
type Font struct {
	// File is the file's base name, e.g. "DejaVuSans.ttf".
	File string
	// Family is the family name a scene may use, e.g. "DejaVu Sans".
	Family string
	// Bold is true for the bold member of a family.
	Bold bool
	// Color is true for a colour bitmap font (emoji): its glyphs are
	// images, and PDF output embeds them as images.
	Color bool

	data     []byte // a font from disk or memory
	embedded string // or the name of a bundled file, read on demand
	// collection is set for a .ttc/.otc file: its first font is used.
	collection bool

	once   sync.Once
	gt     *font.Font
	gtErr  error
	cvOnce sync.Once
	cv     *canvas.Font
	cvErr  error
}

// Face returns a new go-text face of the font (a face holds per-use
// settings, so every layout takes its own; the parsed font is shared).
func (f *Font) Face() (*font.Face, error) {
	if err := f.parse(); err != nil {
		return nil, err
	}
	return font.NewFace(f.gt), nil
}

// parse parses the font for go-text once.
func (f *Font) parse() error {
	f.once.Do(func() {
		var res font.Resource = bytes.NewReader(f.data)
		if f.embedded != "" {
			// go-text reads only the tables it needs through ReadAt: the
			// bundled file is never copied whole (the emoji font is 11 MB).
			file, err := bundled.Open(f.embedded)
			if err != nil {
				f.gtErr = fmt.Errorf("font %s: %w", f.File, err)
				return
			}
			defer file.Close()
			res = file.(font.Resource)
		}
		var face *font.Face
		var err error
		if f.collection {
			var faces []*font.Face
			if faces, err = font.ParseTTC(res); err == nil {
				face = faces[0]
			}
		} else {
			face, err = font.ParseTTF(res)
		}
		if err != nil {
			f.gtErr = fmt.Errorf("parse font %s: %w", f.File, err)
			return
		}
		f.gt = face.Font
	})
	return f.gtErr
}

// Has reports whether the font maps r to a glyph.
func (f *Font) Has(r rune) bool {
	if f.parse() != nil {
		return false
	}
	_, ok := f.gt.NominalGlyph(r)
	return ok
}

// Canvas returns the font parsed for canvas (PDF output with embedded,
// subset fonts). Colour bitmap fonts have no outlines and return an error.
func (f *Font) Canvas() (*canvas.Font, error) {
	if f.Color {
		return nil, fmt.Errorf("font %s: a colour bitmap font cannot be embedded as outlines", f.File)
	}
	f.cvOnce.Do(func() {
		style := canvas.FontRegular
		if f.Bold {
			style = canvas.FontBold
		}
		data := f.data
		if f.embedded != "" {
			if data, f.cvErr = bundled.ReadFile(f.embedded); f.cvErr != nil {
				return
			}
		}
		f.cv, f.cvErr = canvas.LoadFont(data, 0, style)
		if f.cvErr != nil {
			f.cvErr = fmt.Errorf("parse font %s for PDF: %w", f.File, f.cvErr)
		}
	})
	return f.cv, f.cvErr
}

// Set is a collection of fonts with a fallback order. It is safe for
// concurrent use once built (Add* calls must happen before sharing it).
type Set struct {
	fonts    []*Font
	fallback []*Font
	// pdf serializes PDF writing: canvas' fonts (shaping and subsetting)
	// are not made for concurrent use.
	pdf sync.Mutex
}

// LockPDF takes the set's PDF lock; call the returned function to release
// it. PDF output holds it while it uses Canvas fonts (a PDF takes ~15 ms).
func (s *Set) LockPDF() (unlock func()) {
	s.pdf.Lock()
	return s.pdf.Unlock
}

// bundledFiles lists the embedded files: family, boldness, colour, and
// the fallback rank (lower first; -1 never falls back).
var bundledFiles = []struct {
	file, family string
	bold, color  bool
	rank         int
}{
	{"NotoSans-Regular.ttf", "Noto Sans", false, false, 0},
	{"NotoSans-Bold.ttf", "Noto Sans", true, false, -1},
	{"NotoSansArabic-Regular.ttf", "Noto Sans Arabic", false, false, 1},
	{"NotoSansArabic-Bold.ttf", "Noto Sans Arabic", true, false, -1},
	{"NotoSansHebrew-Regular.ttf", "Noto Sans Hebrew", false, false, 2},
	{"NotoSansHebrew-Bold.ttf", "Noto Sans Hebrew", true, false, -1},
	{"NotoSansDevanagari-Regular.ttf", "Noto Sans Devanagari", false, false, 3},
	{"NotoSansDevanagari-Bold.ttf", "Noto Sans Devanagari", true, false, -1},
	{"DejaVuSans.ttf", "DejaVu Sans", false, false, 4},
	{"DejaVuSans-Bold.ttf", "DejaVu Sans", true, false, -1},
	{"NotoColorEmoji.ttf", "Noto Color Emoji", false, true, 5},
}

// Bundled returns a Set of the embedded fonts. Nothing is parsed yet.
func Bundled() *Set {
	s := &Set{}
	ranked := map[int]*Font{}
	for _, b := range bundledFiles {
		f := &Font{File: b.file, Family: b.family, Bold: b.bold, Color: b.color, embedded: b.file}
		s.fonts = append(s.fonts, f)
		if b.rank >= 0 {
			ranked[b.rank] = f
		}
	}
	for i := 0; i < len(ranked); i++ {
		s.fallback = append(s.fallback, ranked[i])
	}
	return s
}

// AddFile adds a font file from disk (a brand's upload, a CJK font). Its
// family is its file name without extension unless the font names one.
// Added fonts join the fallback order before the emoji font.
func (s *Set) AddFile(path string) (*Font, error) {
	return s.AddFileAs(filepath.Base(path), path)
}

// AddFileAs adds a font file from disk under a file name of the caller's
// choosing (the name a scene uses for it, e.g. "fonts/Brand.ttf").
func (s *Set) AddFileAs(name, path string) (*Font, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", path, err)
	}
	if st.Size() > MaxFontFile {
		return nil, fmt.Errorf("font %s: %d bytes, more than the %d allowed", path, st.Size(), MaxFontFile)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", path, err)
	}
	return s.AddBytes(name, data)
}

// AddBytes adds a font from memory under the given file name, parsing it
// at once so a broken file fails here rather than mid-render.
func (s *Set) AddBytes(file string, data []byte) (*Font, error) {
	ext := strings.ToLower(filepath.Ext(file))
	f := &Font{File: file, data: data, collection: ext == ".ttc" || ext == ".otc"}
	if _, err := f.Face(); err != nil {
		return nil, err
	}
	f.Family = strings.TrimSuffix(file, filepath.Ext(file))
	if d := f.gt.Describe(); d.Family != "" {
		f.Family = d.Family
		f.Bold = d.Aspect.Weight >= 600
	}
	s.fonts = append(s.fonts, f)
	n := len(s.fallback)
	if n > 0 && s.fallback[n-1].Color {
		s.fallback = append(s.fallback[:n-1], f, s.fallback[n-1])
	} else {
		s.fallback = append(s.fallback, f)
	}
	return f, nil
}

// AddDir adds every .ttf, .otf, .ttc and .otc file of dir (not recursive;
// the first font of a collection): the way to make CJK or other large
// fonts available without bundling them (Debian's fonts-noto-cjk ships
// collections).
func (s *Set) AddDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("font dir: %w", err)
	}
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".ttf" && ext != ".otf" && ext != ".ttc" && ext != ".otc") {
			continue
		}
		if _, err := s.AddFile(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// Lookup finds a font by family name ("Noto Sans", case-insensitive) or
// file name ("DejaVuSans.ttf"); bold picks the bold member when the family
// has one. An unknown name is an error listing the available families.
func (s *Set) Lookup(name string, bold bool) (*Font, error) {
	var regular *Font
	for _, f := range s.fonts {
		if strings.EqualFold(f.File, name) {
			return f, nil
		}
		if strings.EqualFold(f.Family, name) {
			if f.Bold == bold {
				return f, nil
			}
			if regular == nil || !f.Bold {
				regular = f
			}
		}
	}
	if regular != nil {
		return regular, nil
	}
	return nil, fmt.Errorf("unknown font %q (available: %s)", name, strings.Join(s.Families(), ", "))
}

// Families lists the family names of the set, sorted.
func (s *Set) Families() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range s.fonts {
		if !seen[f.Family] {
			seen[f.Family] = true
			out = append(out, f.Family)
		}
	}
	sort.Strings(out)
	return out
}

// Fallback returns the fonts tried, in order, for a rune the chosen font
// lacks. The caller must not modify the slice.
func (s *Set) Fallback() []*Font { return s.fallback }
