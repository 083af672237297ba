package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// errNoNPM says how to get npm; it is returned only when node_modules must
// be installed, so a machine with web/node_modules in place builds without.
var errNoNPM = errors.New("npm is not installed, and web/node_modules must be installed: " +
	"install Node.js 18 or newer with npm (Debian: apt-get install -y nodejs npm), then run make web again")

func lookPathNPM(name string) (string, error) { return exec.LookPath(name) }

// ensureNodeModules runs `npm ci` in webDir when node_modules is missing or
// out of date. npm records what it installed in node_modules/.package-lock.json;
// a package-lock.json or package.json newer than that record (a pull that
// changed the dependencies) means the tree must be installed again.
func ensureNodeModules(ctx context.Context, c config) error {
	stale, why, err := needsInstall(c.webDir)
	if err != nil || !stale {
		return err
	}
	fmt.Fprintf(c.stdout, "web build: npm ci in %s (%s)\n", c.webDir, why)
	if err := npm(ctx, c, "ci", "--no-audit", "--no-fund", "--loglevel=error"); err != nil {
		return fmt.Errorf("npm ci in %s: %w", c.webDir, err)
	}
	return nil
}

// needsInstall reports whether webDir's node_modules must be (re)installed,
// and why.
func needsInstall(webDir string) (bool, string, error) {
	lock, err := os.Stat(filepath.Join(webDir, "package-lock.json"))
	if err != nil {
		return false, "", fmt.Errorf("%s has no package-lock.json (run npm install there once and commit it): %w", webDir, err)
	}
	pkg, err := os.Stat(filepath.Join(webDir, "package.json"))
	if err != nil {
		return false, "", err
	}
	installed, err := os.Stat(filepath.Join(webDir, "node_modules", ".package-lock.json"))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return true, "node_modules is missing", nil
	case err != nil:
		return false, "", err
	case lock.ModTime().After(installed.ModTime()), pkg.ModTime().After(installed.ModTime()):
		return true, "package.json or package-lock.json changed since the last install", nil
	}
	return false, "", nil
}

// npm runs npm with args in webDir, its output passed through.
func npm(ctx context.Context, c config, args ...string) error {
	path, err := c.lookPath("npm")
	if err != nil {
		return errNoNPM
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = c.webDir
	cmd.Stdout = c.stdout
	cmd.Stderr = c.stderr
	return cmd.Run()
}
