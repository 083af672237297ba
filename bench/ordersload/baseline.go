package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// zipRun is one timed run of Info-ZIP's zip.
type zipRun struct {
	args    []string
	elapsed time.Duration
	rssPeak int64 // bytes
	size    int64
}

// zipBaseline archives the files under root with zip -q -r (and extra
// flags) under /usr/bin/time -v: what a person would do with the files by
// hand, reading them from the local disk.
func zipBaseline(ctx context.Context, root, dir string, extra []string) (zipRun, error) {
	out := filepath.Join(dir, "baseline.zip")
	_ = os.Remove(out)
	args := append([]string{"-v", "zip", "-q", "-r"}, extra...)
	args = append(args, out, ".")
	cmd := exec.CommandContext(ctx, "/usr/bin/time", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return zipRun{}, fmt.Errorf("zip: %w: %s", err, stderr.String())
	}
	r, err := parseTimeV(stderr.String())
	if err != nil {
		return zipRun{}, err
	}
	r.args = append([]string{"zip", "-q", "-r"}, extra...)
	st, err := os.Stat(out)
	if err != nil {
		return zipRun{}, err
	}
	r.size = st.Size()
	return r, nil
}

// parseTimeV reads GNU time -v's wall clock ("Elapsed (wall clock) time
// (h:mm:ss or m:ss): 0:01.23") and peak RSS ("Maximum resident set size
// (kbytes): 1234").
func parseTimeV(s string) (zipRun, error) {
	var r zipRun
	var gotT, gotM bool
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		i := strings.LastIndex(line, ": ")
		if i < 0 {
			continue
		}
		v := line[i+2:]
		switch {
		case strings.HasPrefix(line, "Elapsed (wall clock) time"):
			var secs float64
			for _, part := range strings.Split(v, ":") {
				f, err := strconv.ParseFloat(part, 64)
				if err != nil {
					return zipRun{}, fmt.Errorf("time -v: elapsed %q", v)
				}
				secs = secs*60 + f
			}
			r.elapsed, gotT = time.Duration(secs*float64(time.Second)), true
		case strings.HasPrefix(line, "Maximum resident set size"):
			kb, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return zipRun{}, fmt.Errorf("time -v: max RSS %q", v)
			}
			r.rssPeak, gotM = kb<<10, true
		}
	}
	if !gotT || !gotM {
		return zipRun{}, errors.New("time -v: no elapsed time or maximum RSS in its output")
	}
	return r, nil
}

// extract writes every entry of the ZIP at path under dir and counts them.
func extract(path, dir string) (int, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, fmt.Errorf("open downloaded ZIP: %w", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(dst, filepath.Clean(dir)+string(filepath.Separator)) {
			return 0, fmt.Errorf("ZIP entry %q leaves the folder", f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return 0, err
		}
		if err := extractOne(f, dst); err != nil {
			return 0, err
		}
	}
	return len(zr.File), nil
}

func extractOne(f *zip.File, dst string) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("ZIP entry %s: %w", f.Name, err)
	}
	defer rc.Close()
	w, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, rc); err != nil {
		w.Close()
		return fmt.Errorf("ZIP entry %s: %w", f.Name, err)
	}
	return w.Close()
}

// resetPeak sets a process's peak RSS (VmHWM) to its current RSS (Linux
// clear_refs 5; our own processes only) and returns that RSS.
func resetPeak(pid int) (int64, error) {
	rss, err := procField(pid, "VmRSS")
	if err != nil {
		return 0, err
	}
	return rss, os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// procField reads a "kB" field of /proc/PID/status, in bytes.
func procField(pid int, name string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", name, pid)
}

// remarshal converts decoded JSON into a typed value.
func remarshal(v, dst any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}
