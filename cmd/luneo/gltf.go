package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/luneo/luneo/gltf"
)

const gltfUsage = `Usage:
  luneo gltf validate [--json] FILE...
        check GLB, .gltf or .zip files; prints every issue as
        FILE: SEVERITY CODE /json/pointer: message, exits 1 if one is invalid
  luneo gltf inspect [--json] FILE
        print the statistics of a model (a table, or JSON)
  luneo gltf optimize [--max-texture N] [--json] IN OUT
        write a smaller canonical GLB that keeps every node, mesh and
        material name; textures larger than N pixels (default 4096, 0 to
        keep them all) are scaled down
`

// runGLTF runs the glTF tools: `luneo gltf validate|inspect|optimize`.
func runGLTF(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, gltfUsage)
		return usageError{"gltf needs a subcommand: validate, inspect or optimize"}
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "validate":
		return gltfValidate(ctx, rest, stdout, stderr)
	case "inspect":
		return gltfInspect(rest, stdout, stderr)
	case "optimize":
		return gltfOptimize(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, gltfUsage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown gltf subcommand %q", sub)}
}

// parseFlags parses flags placed anywhere among the arguments (so that
// `optimize in.glb out.glb --max-texture 2048` works) and returns the
// other arguments. -h gives flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	fs.SetOutput(stderr)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// fileReport is the result of validating one file, for --json.
type fileReport struct {
	File        string       `json:"file"`
	Valid       bool         `json:"valid"`
	NumErrors   int          `json:"numErrors"`
	NumWarnings int          `json:"numWarnings"`
	Issues      []gltf.Issue `json:"issues"`
	Error       string       `json:"error,omitempty"` // a file that could not be read at all
}

// readReport reads and validates a file, turning every failure into issues.
func readReport(path string) (*gltf.Document, fileReport) {
	r := fileReport{File: path, Issues: []gltf.Issue{}}
	doc, err := gltf.ReadFile(path)
	var verr *gltf.ValidationError
	var uerr *gltf.UnsupportedExtensionError
	switch {
	case err == nil:
		r.Issues = append(r.Issues, doc.Report.Issues...)
	case errors.As(err, &verr):
		r.Issues = append(r.Issues, verr.Report.Issues...)
	case errors.As(err, &uerr):
		r.Issues = append(r.Issues, gltf.Issue{Code: "UNSUPPORTED_EXTENSION", Severity: gltf.SeverityError, Pointer: "/extensionsRequired", Message: uerr.Error()})
	case errors.Is(err, gltf.ErrUnknownFormat):
		r.Issues = append(r.Issues, gltf.Issue{Code: "UNKNOWN_FORMAT", Severity: gltf.SeverityError, Message: gltf.ErrUnknownFormat.Error()})
	case errors.Is(err, gltf.ErrTooLarge):
		r.Issues = append(r.Issues, gltf.Issue{Code: "TOO_LARGE", Severity: gltf.SeverityError, Message: err.Error()})
	default:
		r.Error = err.Error()
		r.Issues = append(r.Issues, gltf.Issue{Code: "READ_FAILED", Severity: gltf.SeverityError, Message: err.Error()})
	}
	for _, is := range r.Issues {
		switch is.Severity {
		case gltf.SeverityError:
			r.NumErrors++
		case gltf.SeverityWarning:
			r.NumWarnings++
		}
	}
	r.Valid = r.NumErrors == 0
	if !r.Valid {
		doc = nil
	}
	return doc, r
}

// printIssues writes one line per issue: FILE: SEVERITY CODE WHERE: message.
func printIssues(w io.Writer, r fileReport) {
	for _, is := range r.Issues {
		where := is.Pointer
		if where == "" && is.Offset != nil {
			where = fmt.Sprintf("byte %d", *is.Offset)
		}
		if where != "" {
			where = " " + where
		}
		fmt.Fprintf(w, "%s: %s %s%s: %s\n", r.File, is.Severity, is.Code, where, is.Message)
	}
}

func gltfValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gltf validate", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the reports as JSON")
	files, err := parseFlags(fs, args, stderr)
	if err != nil || len(files) == 0 {
		return orUsage(err, "gltf validate needs at least one file")
	}
	reports := make([]fileReport, 0, len(files))
	invalid := 0
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		_, r := readReport(f)
		reports = append(reports, r)
		if !r.Valid {
			invalid++
		}
		if !*asJSON {
			printIssues(stdout, r)
			verdict := "valid"
			if !r.Valid {
				verdict = "invalid"
			}
			fmt.Fprintf(stdout, "%s: %s (%d errors, %d warnings)\n", f, verdict, r.NumErrors, r.NumWarnings)
		}
	}
	if *asJSON {
		if err := writeJSON(stdout, reports); err != nil {
			return err
		}
	}
	if invalid > 0 {
		return fmt.Errorf("%d of %d file(s) are invalid", invalid, len(files))
	}
	return nil
}

func gltfInspect(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gltf inspect", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the statistics as JSON")
	files, err := parseFlags(fs, args, stderr)
	if err != nil || len(files) != 1 {
		return orUsage(err, "gltf inspect needs exactly one file")
	}
	doc, r := readReport(files[0])
	if doc == nil {
		printIssues(stderr, r)
		return fmt.Errorf("%s is invalid: %d error(s)", files[0], r.NumErrors)
	}
	st := gltf.Stats(doc)
	if *asJSON {
		return writeJSON(stdout, st)
	}
	return printStats(stdout, files[0], st)
}

func gltfOptimize(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gltf optimize", flag.ContinueOnError)
	maxTex := fs.Int("max-texture", gltf.DefaultMaxTextureSize, "largest texture width or height; 0 keeps every texture as it is")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	files, err := parseFlags(fs, args, stderr)
	if err != nil || len(files) != 2 {
		return orUsage(err, "gltf optimize needs an input and an output file")
	}
	in, out := files[0], files[1]
	start := time.Now()
	doc, err := readInput(in, stderr)
	if err != nil {
		return err
	}
	opts := gltf.OptimizeOptions{MaxTextureSize: *maxTex}
	if *maxTex <= 0 {
		opts.MaxTextureSize = -1
	}
	opt, rep, err := gltf.Optimize(doc, opts)
	if err != nil {
		return fmt.Errorf("optimize %s: %w", in, err)
	}
	if err := writeFileAtomic(out, func(w io.Writer) error { return gltf.WriteGLB(w, opt) }); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, rep)
	}
	printOptimizeReport(stdout, in, out, rep, time.Since(start))
	return nil
}

// readInput reads the model a converting tool starts from; an invalid one
// has its issues printed and stops the tool before it writes anything.
func readInput(path string, stderr io.Writer) (*gltf.Document, error) {
	doc, r := readReport(path)
	if doc == nil {
		printIssues(stderr, r)
		return nil, fmt.Errorf("%s is invalid (%d error(s)): nothing written", path, r.NumErrors)
	}
	// Valid glTF may still lack what a conversion needs (a .gltf buffer
	// without uri, an accessor of unknown type): refuse it rather than
	// write an empty or broken file.
	if issues := gltf.Undrawable(doc); len(issues) > 0 {
		printIssues(stderr, fileReport{File: path, Issues: issues})
		return nil, fmt.Errorf("%s is valid glTF but cannot be drawn (%d problem(s)): nothing written", path, len(issues))
	}
	return doc, nil
}

// orUsage returns err, or a usage error with msg when there is none;
// -h is not an error.
func orUsage(err error, msg string) error {
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil
	case err != nil:
		return err
	}
	return usageError{msg}
}

// writeFileAtomic writes path through a temporary file in the same folder
// renamed over it at the end, so a reader never sees half a file and a
// failure leaves any previous file as it was.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// joinOr joins a list for a table cell, "-" when empty.
func joinOr(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}

// printStats writes the statistics as aligned tables.
func printStats(w io.Writer, file string, st gltf.Statistics) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k string, format string, args ...any) {
		fmt.Fprintf(tw, "%s\t"+format+"\n", append([]any{k}, args...)...)
	}
	row("file", "%s", file)
	row("triangles", "%d drawn, %d stored", st.Triangles, st.UniqueTriangles)
	row("vertices", "%d drawn, %d stored", st.Vertices, st.UniqueVertices)
	if st.Lines > 0 || st.Points > 0 {
		row("lines, points", "%d, %d", st.Lines, st.Points)
	}
	row("draw calls", "%d", st.DrawCalls)
	row("nodes", "%d", st.Nodes)
	row("meshes", "%d (%d primitives, up to %d UV sets)", st.Meshes, st.Primitives, st.UVSets)
	row("materials", "%d", len(st.Materials))
	row("textures", "%d (%d bytes of images)", len(st.Textures), st.TextureBytes)
	row("animations, skins", "%d, %d", st.Animations, st.Skins)
	row("variants", "%s", joinOr(st.Variants))
	row("size (m)", "%.4g × %.4g × %.4g", st.Dimensions[0], st.Dimensions[1], st.Dimensions[2])
	if b := st.Bounds; b != nil {
		row("bounds", "min (%.4g, %.4g, %.4g) max (%.4g, %.4g, %.4g)", b.Min[0], b.Min[1], b.Min[2], b.Max[0], b.Max[1], b.Max[2])
	}
	row("extensions used", "%s", joinOr(st.ExtensionsUsed))
	row("extensions required", "%s", joinOr(st.ExtensionsRequired))
	if len(st.Materials) > 0 {
		fmt.Fprintln(tw, "\nmaterial\tname\talpha\tdouble-sided\tunlit")
		for _, m := range st.Materials {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%v\t%v\n", m.Index, orDash(m.Name), m.AlphaMode, m.DoubleSided, m.Unlit)
		}
	}
	if len(st.Textures) > 0 {
		fmt.Fprintln(tw, "\ntexture\tname\timage\ttype\tsize\tbytes")
		for _, t := range st.Textures {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%d×%d\t%d\n", t.Index, orDash(t.Name), t.Image, orDash(t.MimeType), t.Width, t.Height, t.Bytes)
		}
	}
	return tw.Flush()
}

// printOptimizeReport writes what optimize did, before/after side by side.
func printOptimizeReport(w io.Writer, in, out string, r gltf.OptimizeReport, took time.Duration) {
	fmt.Fprintf(w, "%s -> %s in %d ms\n", in, out, took.Milliseconds())
	fmt.Fprintf(w, "  %-13s %10s %10s\n", "", "before", "after")
	b, a := r.Before, r.After
	for _, c := range []struct {
		name          string
		before, after int
	}{
		{"bytes", b.Bytes, a.Bytes}, {"triangles", b.Triangles, a.Triangles}, {"vertices", b.Vertices, a.Vertices},
		{"nodes", b.Nodes, a.Nodes}, {"meshes", b.Meshes, a.Meshes}, {"materials", b.Materials, a.Materials},
		{"textures", b.Textures, a.Textures}, {"images", b.Images, a.Images}, {"samplers", b.Samplers, a.Samplers},
		{"accessors", b.Accessors, a.Accessors}, {"buffer views", b.BufferViews, a.BufferViews},
	} {
		fmt.Fprintf(w, "  %-13s %10d %10d\n", c.name, c.before, c.after)
	}
	fmt.Fprintf(w, "removed as unused: %s\n", countsText(r.Removed))
	fmt.Fprintf(w, "merged duplicates: %s\n", countsText(r.Merged))
	fmt.Fprintf(w, "vertices welded: %d, unused vertices dropped: %d, degenerate triangles dropped: %d, sparse accessors densified: %d\n",
		r.WeldedVertices, r.UnusedVertices, r.DegenerateTriangles, r.DensifiedSparse)
	for _, im := range r.ResizedImages {
		fmt.Fprintf(w, "image %d %s (%s): %d×%d -> %d×%d, %d -> %d bytes\n", im.Image, orDash(im.Name), im.MimeType,
			im.FromWidth, im.FromHeight, im.Width, im.Height, im.BytesBefore, im.BytesAfter)
	}
}

// countsText lists the non-zero counts of c, "none" when all are zero.
func countsText(c gltf.ObjectCounts) string {
	var parts []string
	for _, e := range []struct {
		name string
		n    int
	}{
		{"nodes", c.Nodes}, {"meshes", c.Meshes}, {"materials", c.Materials}, {"textures", c.Textures}, {"images", c.Images},
		{"samplers", c.Samplers}, {"skins", c.Skins}, {"cameras", c.Cameras}, {"accessors", c.Accessors},
	} {
		if e.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", e.n, e.name))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
